// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The embedded tracking store behind `sqlite:///path.db` URIs. It reads and writes MLflow
// 3.18's own SQL schema, so `mlflow ui` opened on the same file shows what C++ wrote, and the
// semantics (ids, latest_metrics, soft deletion, error codes) are those of MLflow's SQL store.

#include <memory>
#include <string>

#include "sqlite/database.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

/// Runs, experiments, metrics, params, tags and inputs on a sqlite::Database shared with the
/// other stores of the URI (sqlite_backend.hpp builds them). Every write call is one
/// transaction; reads see one snapshot.
class SqliteTrackingStore : public TrackingStore {
 public:
  explicit SqliteTrackingStore(std::shared_ptr<sqlite::Database> db);
  /// A store on a database of its own: `db_path` is ":memory:" or a file path, and new
  /// experiments get `<artifact_root>/<id>` (tests and tools).
  SqliteTrackingStore(const std::string& db_path, std::string artifact_root);
  ~SqliteTrackingStore() override;

#include "store/tracking_store_overrides.inc"  // IWYU pragma: keep

  const std::shared_ptr<sqlite::Database>& database() const noexcept { return db_; }

 private:
  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace mlflow::internal
