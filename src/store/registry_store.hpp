// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The model registry store seam: one implementation per backend (REST, SQLite), one method
// per MLflow model-registry RPC. Input arrives validated by MlflowClient (names, tags,
// versions, limits); stores enforce what only they can know (existence, uniqueness) and throw
// MlflowException subclasses with MLflow's codes and messages, so both backends fail alike.
// Methods not overridden answer with the store's Unserved error (store/unserved.hpp).
//
// Layers built on the registry (the prompt registry) call this seam directly: MlflowClient's
// public methods refuse the prompt marker tag as Python's MlflowClient does.

#include <optional>
#include <string>
#include <vector>

#include "mlflow/model_version.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/registered_model.hpp"
#include "mlflow/registry_options.hpp"
#include "store/unserved.hpp"

namespace mlflow::internal {

/// What CreateModelVersion carries on the wire.
struct CreateModelVersionRequest {
  std::string name;
  std::string source;
  std::optional<std::string> run_id;
  std::vector<ModelVersionTag> tags;
  std::optional<std::string> run_link;
  std::optional<std::string> description;
  std::optional<std::string> model_id;
};

class RegistryStore {
 public:
  /// Serves what a subclass overrides; every other call says this client has no registry.
  RegistryStore();
  /// Serves nothing: every call throws `why` (e.g. a registry URI that could not be opened).
  explicit RegistryStore(Unserved why) : why_(std::move(why)) {}
  virtual ~RegistryStore() = default;

  /// Whether Python's store of this kind returns version numbers as int (its SQL store) rather
  /// than the proto's string (a server): JSON that Python writes from them differs
  /// ("version": 1 against "version": "1"), e.g. a logged model's mlflow.modelVersions tag.
  virtual bool python_versions_are_integers() const { return false; }

  // Registered models
  virtual RegisteredModel create_registered_model(const std::string& name,
                                                  const std::vector<RegisteredModelTag>& tags,
                                                  const std::optional<std::string>& description);
  virtual RegisteredModel get_registered_model(const std::string& name);
  virtual RegisteredModel rename_registered_model(const std::string& name,
                                                  const std::string& new_name);
  /// An absent description clears it (the server's behaviour).
  virtual RegisteredModel update_registered_model(const std::string& name,
                                                  const std::optional<std::string>& description);
  virtual void delete_registered_model(const std::string& name);
  virtual PagedList<RegisteredModel> search_registered_models(
      const SearchRegisteredModelsOptions& options);
  /// Empty `stages` = the latest version of every stage.
  virtual std::vector<ModelVersion> get_latest_versions(const std::string& name,
                                                        const std::vector<std::string>& stages);
  virtual void set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag);
  virtual void delete_registered_model_tag(const std::string& name, const std::string& key);
  virtual void set_registered_model_alias(const std::string& name, const std::string& alias,
                                          const std::string& version);
  virtual void delete_registered_model_alias(const std::string& name, const std::string& alias);
  virtual ModelVersion get_model_version_by_alias(const std::string& name,
                                                  const std::string& alias);

  // Model versions
  virtual ModelVersion create_model_version(const CreateModelVersionRequest& request);
  virtual ModelVersion get_model_version(const std::string& name, const std::string& version);
  /// An absent description clears it (the server's behaviour).
  virtual ModelVersion update_model_version(const std::string& name, const std::string& version,
                                            const std::optional<std::string>& description);
  virtual ModelVersion transition_model_version_stage(const std::string& name,
                                                      const std::string& version,
                                                      const std::string& stage,
                                                      bool archive_existing_versions);
  virtual void delete_model_version(const std::string& name, const std::string& version);
  virtual PagedList<ModelVersion> search_model_versions(const SearchModelVersionsOptions& options);
  virtual std::string get_model_version_download_uri(const std::string& name,
                                                     const std::string& version);
  virtual void set_model_version_tag(const std::string& name, const std::string& version,
                                     const ModelVersionTag& tag);
  virtual void delete_model_version_tag(const std::string& name, const std::string& version,
                                        const std::string& key);

 private:
  Unserved why_;
};

}  // namespace mlflow::internal
