// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Equality of the public value types. NaN metric values compare equal to NaN, so a metric
// read back equals the one logged.
#include <cmath>

#include "core/metric_point.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/metric.hpp"

namespace mlflow {

bool operator==(const Metric& a, const Metric& b) noexcept {
  const bool same_value = (std::isnan(a.value) && std::isnan(b.value)) || a.value == b.value;
  return a.key == b.key && same_value && a.timestamp == b.timestamp && a.step == b.step &&
         a.model_id == b.model_id && a.dataset_name == b.dataset_name &&
         a.dataset_digest == b.dataset_digest && a.run_id == b.run_id;
}

bool operator==(const Dataset& a, const Dataset& b) noexcept {
  return a.name == b.name && a.digest == b.digest && a.source_type == b.source_type &&
         a.source == b.source && a.schema == b.schema && a.profile == b.profile;
}

bool operator==(const DatasetInput& a, const DatasetInput& b) noexcept {
  return a.dataset == b.dataset && a.tags == b.tags;
}

Metric internal::metric_point(const std::string& key, double value, std::int64_t timestamp,
                              const LogMetricOptions& options) {
  Metric metric;
  metric.key = key;
  metric.value = value;
  metric.timestamp = timestamp;
  metric.step = options.step;
  metric.model_id = options.model_id;
  metric.dataset_name = options.dataset_name;
  metric.dataset_digest = options.dataset_digest;
  return metric;
}

}  // namespace mlflow
