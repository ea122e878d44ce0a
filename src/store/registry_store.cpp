// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The registry seam's defaults: a backend without a model registry answers every registry call
// with one error saying how to get one.
#include "store/registry_store.hpp"

namespace mlflow::internal {

RegistryStore::RegistryStore()
    : why_(ErrorCode::kInvalidParameterValue,
           "this MlflowClient has no model registry: build it from a tracking or "
           "registry URI (http://, https://, sqlite:///...).") {}

RegisteredModel RegistryStore::create_registered_model(const std::string&,
                                                       const std::vector<RegisteredModelTag>&,
                                                       const std::optional<std::string>&) {
  why_.raise("create_registered_model");
}
RegisteredModel RegistryStore::get_registered_model(const std::string&) {
  why_.raise("get_registered_model");
}
RegisteredModel RegistryStore::rename_registered_model(const std::string&, const std::string&) {
  why_.raise("rename_registered_model");
}
RegisteredModel RegistryStore::update_registered_model(const std::string&,
                                                       const std::optional<std::string>&) {
  why_.raise("update_registered_model");
}
void RegistryStore::delete_registered_model(const std::string&) {
  why_.raise("delete_registered_model");
}
PagedList<RegisteredModel> RegistryStore::search_registered_models(
    const SearchRegisteredModelsOptions&) {
  why_.raise("search_registered_models");
}
std::vector<ModelVersion> RegistryStore::get_latest_versions(const std::string&,
                                                             const std::vector<std::string>&) {
  why_.raise("get_latest_versions");
}
void RegistryStore::set_registered_model_tag(const std::string&, const RegisteredModelTag&) {
  why_.raise("set_registered_model_tag");
}
void RegistryStore::delete_registered_model_tag(const std::string&, const std::string&) {
  why_.raise("delete_registered_model_tag");
}
void RegistryStore::set_registered_model_alias(const std::string&, const std::string&,
                                               const std::string&) {
  why_.raise("set_registered_model_alias");
}
void RegistryStore::delete_registered_model_alias(const std::string&, const std::string&) {
  why_.raise("delete_registered_model_alias");
}
ModelVersion RegistryStore::get_model_version_by_alias(const std::string&, const std::string&) {
  why_.raise("get_model_version_by_alias");
}
ModelVersion RegistryStore::create_model_version(const CreateModelVersionRequest&) {
  why_.raise("create_model_version");
}
ModelVersion RegistryStore::get_model_version(const std::string&, const std::string&) {
  why_.raise("get_model_version");
}
ModelVersion RegistryStore::update_model_version(const std::string&, const std::string&,
                                                 const std::optional<std::string>&) {
  why_.raise("update_model_version");
}
ModelVersion RegistryStore::transition_model_version_stage(const std::string&, const std::string&,
                                                           const std::string&, bool) {
  why_.raise("transition_model_version_stage");
}
void RegistryStore::delete_model_version(const std::string&, const std::string&) {
  why_.raise("delete_model_version");
}
PagedList<ModelVersion> RegistryStore::search_model_versions(const SearchModelVersionsOptions&) {
  why_.raise("search_model_versions");
}
std::string RegistryStore::get_model_version_download_uri(const std::string&, const std::string&) {
  why_.raise("get_model_version_download_uri");
}
void RegistryStore::set_model_version_tag(const std::string&, const std::string&,
                                          const ModelVersionTag&) {
  why_.raise("set_model_version_tag");
}
void RegistryStore::delete_model_version_tag(const std::string&, const std::string&,
                                             const std::string&) {
  why_.raise("delete_model_version_tag");
}

}  // namespace mlflow::internal
