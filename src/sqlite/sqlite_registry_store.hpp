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

#include "store/registry_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace mlflow::internal
