// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The one place a log_metric call becomes a Metric, for the synchronous path and the async
// queue's up-front validation alike.

#include <cstdint>
#include <string>

#include "mlflow/metric.hpp"
#include "mlflow/tracking_options.hpp"

namespace mlflow::internal {

/// The point `log_metric(run, key, value, options)` logs at `timestamp`: the options' step,
/// model id and dataset name and digest.
Metric metric_point(const std::string& key, double value, std::int64_t timestamp,
                    const LogMetricOptions& options);

}  // namespace mlflow::internal
