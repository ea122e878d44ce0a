// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/store_factory.hpp"

#include <string>
#include <utility>

#include "client/workspace_store_factory.hpp"
#include "mlflow/errors.hpp"
#include "rest/rest_registry_store.hpp"
#include "rest/rest_tracking_store.hpp"
#include "sqlite/sqlite_backend.hpp"

namespace mlflow::internal {
namespace {

std::string scheme_of(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos) return "";
  const std::string scheme = uri.substr(0, colon);
  for (char c : scheme) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      return "";
  }
  return scheme;
}

}  // namespace

std::shared_ptr<TrackingStore> make_tracking_store(const ResolvedConfig& config) {
  const std::string& uri = config.tracking_uri;
  const std::string scheme = scheme_of(uri);
  if (scheme == "http" || scheme == "https") return make_rest_tracking_store(config);
  if (scheme == "sqlite") {
    require_default_workspace_for_embedded_store(config);
    return make_sqlite_tracking_store(uri);
  }
  if (scheme.empty() || scheme == "file") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Tracking URI '" + uri +
                    "' names a file store, which MLflow no longer supports and mlflow-cpp does "
                    "not implement. Use an embedded database instead, e.g. "
                    "MLFLOW_TRACKING_URI=sqlite:///mlflow.db (migrate existing data with "
                    "`mlflow migrate-filestore`), or a server URI such as http://127.0.0.1:5000.");
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "Unsupported tracking URI scheme '" + scheme + "' in '" + uri +
                  "'. mlflow-cpp supports http://, https:// (an MLflow server) and "
                  "sqlite:///path.db (the embedded store).");
}

namespace {

// Stands in for a registry whose URI could not be opened: tracking keeps working (Python
// resolves the registry lazily too), and every registry call reports the original error.
class UnavailableRegistryStore : public RegistryStore {
 public:
  UnavailableRegistryStore(ErrorCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  [[noreturn]] void fail() const { throw_error(code_, message_); }

  RegisteredModel create_registered_model(const std::string&,
                                          const std::vector<RegisteredModelTag>&,
                                          const std::optional<std::string>&) override {
    fail();
  }
  RegisteredModel get_registered_model(const std::string&) override { fail(); }
  RegisteredModel rename_registered_model(const std::string&, const std::string&) override {
    fail();
  }
  RegisteredModel update_registered_model(const std::string&,
                                          const std::optional<std::string>&) override {
    fail();
  }
  void delete_registered_model(const std::string&) override { fail(); }
  PagedList<RegisteredModel> search_registered_models(
      const SearchRegisteredModelsOptions&) override {
    fail();
  }
  std::vector<ModelVersion> get_latest_versions(const std::string&,
                                                const std::vector<std::string>&) override {
    fail();
  }
  void set_registered_model_tag(const std::string&, const RegisteredModelTag&) override { fail(); }
  void delete_registered_model_tag(const std::string&, const std::string&) override { fail(); }
  void set_registered_model_alias(const std::string&, const std::string&,
                                  const std::string&) override {
    fail();
  }
  void delete_registered_model_alias(const std::string&, const std::string&) override { fail(); }
  ModelVersion get_model_version_by_alias(const std::string&, const std::string&) override {
    fail();
  }
  ModelVersion create_model_version(const CreateModelVersionRequest&) override { fail(); }
  ModelVersion get_model_version(const std::string&, const std::string&) override { fail(); }
  ModelVersion update_model_version(const std::string&, const std::string&,
                                    const std::optional<std::string>&) override {
    fail();
  }
  ModelVersion transition_model_version_stage(const std::string&, const std::string&,
                                              const std::string&, bool) override {
    fail();
  }
  void delete_model_version(const std::string&, const std::string&) override { fail(); }
  PagedList<ModelVersion> search_model_versions(const SearchModelVersionsOptions&) override {
    fail();
  }
  std::string get_model_version_download_uri(const std::string&, const std::string&) override {
    fail();
  }
  void set_model_version_tag(const std::string&, const std::string&,
                             const ModelVersionTag&) override {
    fail();
  }
  void delete_model_version_tag(const std::string&, const std::string&,
                                const std::string&) override {
    fail();
  }

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace

std::shared_ptr<RegistryStore> make_registry_store(const ClientOptions& options,
                                                   const ResolvedConfig& config,
                                                   const std::shared_ptr<TrackingStore>& tracking) {
  const auto env = process_env();
  const std::optional<std::string> registry_uri =
      options.registry_uri && !options.registry_uri->empty() ? options.registry_uri
                                                             : env("MLFLOW_REGISTRY_URI");
  if (registry_uri && !registry_uri->empty()) {
    try {
      ClientOptions registry_options = options;
      registry_options.tracking_uri = *registry_uri;
      const ResolvedConfig registry_config = resolve_config(registry_options, env);
      if (registry_config.tracking_uri != config.tracking_uri) {
        const std::string scheme = scheme_of(registry_config.tracking_uri);
        if (scheme == "http" || scheme == "https") {
          return std::make_shared<RestRegistryStore>(registry_config);
        }
        // A separate database: its own tracking store object owns the connection and schema.
        return make_sqlite_registry_store(make_tracking_store(registry_config));
      }
    } catch (const MlflowException& e) {
      return std::make_shared<UnavailableRegistryStore>(
          e.error_code(), std::string("MLFLOW_REGISTRY_URI: ") + e.what());
    }
  }
  const std::string scheme = scheme_of(config.tracking_uri);
  if (scheme == "http" || scheme == "https") return std::make_shared<RestRegistryStore>(config);
  return make_sqlite_registry_store(tracking);
}

}  // namespace mlflow::internal
