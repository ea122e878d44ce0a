// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// RegistryStore over MLflow's model registry REST API (api/2.0/mlflow/registered-models and
// model-versions). Requests are shaped as MLflow's Python client shapes them: reads as GET
// with query parameters, writes as POST/PATCH/DELETE with a JSON body (DELETE too).

#include <memory>

#include "core/config.hpp"
#include "rest/rest_client.hpp"
#include "store/registry_store.hpp"

namespace mlflow::internal {

class RestRegistryStore : public RegistryStore {
 public:
  /// `transport` defaults to the libcurl transport with the config's TLS settings.
  explicit RestRegistryStore(const ResolvedConfig& config,
                             std::shared_ptr<HttpTransport> transport = nullptr,
                             RetryHooks hooks = default_retry_hooks());
  /// On a RestClient shared with the backend's other REST stores (rest/rest_backend.hpp).
  explicit RestRegistryStore(std::shared_ptr<RestClient> client);

  RegisteredModel create_registered_model(const std::string& name,
                                          const std::vector<RegisteredModelTag>& tags,
                                          const std::optional<std::string>& description) override;
  RegisteredModel get_registered_model(const std::string& name) override;
  RegisteredModel rename_registered_model(const std::string& name,
                                          const std::string& new_name) override;
  RegisteredModel update_registered_model(const std::string& name,
                                          const std::optional<std::string>& description) override;
  void delete_registered_model(const std::string& name) override;
  PagedList<RegisteredModel> search_registered_models(
      const SearchRegisteredModelsOptions& options) override;
  std::vector<ModelVersion> get_latest_versions(const std::string& name,
                                                const std::vector<std::string>& stages) override;
  void set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) override;
  void delete_registered_model_tag(const std::string& name, const std::string& key) override;
  void set_registered_model_alias(const std::string& name, const std::string& alias,
                                  const std::string& version) override;
  void delete_registered_model_alias(const std::string& name, const std::string& alias) override;
  ModelVersion get_model_version_by_alias(const std::string& name,
                                          const std::string& alias) override;

  ModelVersion create_model_version(const CreateModelVersionRequest& request) override;
  ModelVersion get_model_version(const std::string& name, const std::string& version) override;
  ModelVersion update_model_version(const std::string& name, const std::string& version,
                                    const std::optional<std::string>& description) override;
  ModelVersion transition_model_version_stage(const std::string& name, const std::string& version,
                                              const std::string& stage,
                                              bool archive_existing_versions) override;
  void delete_model_version(const std::string& name, const std::string& version) override;
  PagedList<ModelVersion> search_model_versions(const SearchModelVersionsOptions& options) override;
  std::string get_model_version_download_uri(const std::string& name,
                                             const std::string& version) override;
  void set_model_version_tag(const std::string& name, const std::string& version,
                             const ModelVersionTag& tag) override;
  void delete_model_version_tag(const std::string& name, const std::string& version,
                                const std::string& key) override;

 private:
  std::shared_ptr<RestClient> shared_client_;
  RestClient& client_;  // *shared_client_
};

}  // namespace mlflow::internal
