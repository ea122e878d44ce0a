// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Builders of the entities that many tests fill in field by field, so that a test states only
// the values it checks.

#include <cstdint>
#include <string>

#include "mlflow/metric.hpp"

namespace mlflow::testing {

/// One metric point, as `log_batch` and the stores take it.
inline Metric metric_point(const std::string& key, double value, std::int64_t timestamp,
                           std::int64_t step) {
  Metric m;
  m.key = key;
  m.value = value;
  m.timestamp = timestamp;
  m.step = step;
  return m;
}

}  // namespace mlflow::testing
