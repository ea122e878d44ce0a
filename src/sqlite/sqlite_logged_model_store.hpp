// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Logged models (MLflow 3) on the embedded store: the logged_models tables and the run ->
// model edges, with the rows, ids, errors and search semantics of MLflow 3.18's
// SqlAlchemyStore, on the sqlite::Database the URI's other stores share.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlflow/metric.hpp"
#include "sqlite/database.hpp"
#include "store/logged_model_store.hpp"
#include "store/span.hpp"

namespace mlflow::internal {

class SqliteLoggedModelStore : public LoggedModelStore {
 public:
  explicit SqliteLoggedModelStore(std::shared_ptr<sqlite::Database> db);

#include "store/logged_model_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<sqlite::Database> db_;
};

/// Writes the metrics that carry a model_id to logged_model_metrics (the run's experiment id,
/// the stored value, exact duplicates ignored) inside the caller's transaction: the tracking
/// store's log_batch does this, as MLflow's SqlAlchemyStore._log_model_metrics.
void insert_logged_model_metrics(sqlite::Connection& c, const std::string& run_id,
                                 std::int64_t experiment_id, Span<Metric> metrics);

}  // namespace mlflow::internal
