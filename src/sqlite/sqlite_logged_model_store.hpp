// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Pieces of the embedded logged-model store that the tracking half needs: metrics logged with a
// model_id are also rows of logged_model_metrics (MLflow's SqlAlchemyStore._log_model_metrics).

#include <cstdint>
#include <string>

#include "mlflow/metric.hpp"
#include "store/span.hpp"

namespace mlflow::internal {

namespace sqlite {
class Connection;
}

/// Writes the metrics that carry a model_id to logged_model_metrics (run's experiment id,
/// sanitised value, exact duplicates ignored), inside the caller's transaction.
void insert_logged_model_metrics(sqlite::Connection& c, const std::string& run_id,
                                 std::int64_t experiment_id, Span<Metric> metrics);

}  // namespace mlflow::internal
