// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Splits a log_batch of any size into requests within MLflow's limits, in the order Python's
// MlflowClient uses: params and tags first (100 of each per request, zipped together), metrics
// topping up each request to 1000 items, then the remaining metrics 1000 at a time. The one
// chunker of the SDK: MlflowClient::log_batch and the asynchronous logger's worker both cut
// their requests with it (limits from core/mlflow_limits.hpp).

#include <vector>

#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"
#include "store/span.hpp"

namespace mlflow::internal {

/// One request's slice of the caller's vectors (views: nothing is copied).
struct BatchChunk {
  Span<Metric> metrics;
  Span<Param> params;
  Span<RunTag> tags;
};

std::vector<BatchChunk> split_batch(Span<Metric> metrics, Span<Param> params, Span<RunTag> tags);

}  // namespace mlflow::internal
