// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The embedded model registry: MLflow 3.18's registry tables (registered_models,
// model_versions, their tags, registered_model_aliases; workspace 'default') in the same
// database file as the tracking store, written as Python's SqlAlchemyStore writes them, so
// `mlflow server` and Python read what C++ wrote and the other way round.

#include <memory>

#include "sqlite/database.hpp"
#include "store/registry_store.hpp"

namespace mlflow::internal {

/// On the sqlite::Database the URI's other stores share (sqlite_backend.hpp builds them).
class SqliteRegistryStore : public RegistryStore {
 public:
  explicit SqliteRegistryStore(std::shared_ptr<sqlite::Database> db);

  bool python_versions_are_integers() const override { return true; }

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
  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace mlflow::internal
