// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The logged-model seam's defaults: a backend without logged models (a custom tracking store)
// answers every call with one error saying which backends have them.
#include "store/logged_model_store.hpp"

namespace mlflow::internal {

LoggedModelStore::LoggedModelStore()
    : why_(ErrorCode::kInvalidParameterValue,
           "this tracking store does not support logged models. Use an MLflow 3 "
           "server (http://, https://) or the embedded store (sqlite:///...).") {}

LoggedModel LoggedModelStore::create_logged_model(const CreateLoggedModelRequest&) {
  why_.raise("create_logged_model");
}
void LoggedModelStore::log_logged_model_params(const std::string&, const KeyValues&) {
  why_.raise("log_logged_model_params");
}
LoggedModel LoggedModelStore::get_logged_model(const std::string&, bool) {
  why_.raise("get_logged_model");
}
void LoggedModelStore::delete_logged_model(const std::string&) {
  why_.raise("delete_logged_model");
}
LoggedModel LoggedModelStore::finalize_logged_model(const std::string&, LoggedModelStatus) {
  why_.raise("finalize_logged_model");
}
void LoggedModelStore::set_logged_model_tags(const std::string&, const KeyValues&) {
  why_.raise("set_logged_model_tags");
}
void LoggedModelStore::delete_logged_model_tag(const std::string&, const std::string&) {
  why_.raise("delete_logged_model_tag");
}
PagedList<LoggedModel> LoggedModelStore::search_logged_models(const std::vector<std::string>&,
                                                              const SearchLoggedModelsOptions&) {
  why_.raise("search_logged_models");
}
void LoggedModelStore::log_outputs(const std::string&, const std::vector<ModelOutput>&) {
  why_.raise("log_outputs");
}

}  // namespace mlflow::internal
