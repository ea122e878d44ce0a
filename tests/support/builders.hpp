// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Builders of the entities that many tests fill in field by field, so that a test states only
// the values it checks.

#include <cstdint>
#include <string>

#include "mlflow/dataset.hpp"
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

/// A dataset input as mlflow.log_input records it: the dataset's name, digest and source (its
/// type and JSON), used in `context` (the mlflow.data.context tag). Schema and profile stay
/// empty for the test to fill.
inline DatasetInput dataset_input(const std::string& name, const std::string& digest,
                                  const std::string& source_type, const std::string& source,
                                  const std::string& context) {
  DatasetInput input;
  input.dataset.name = name;
  input.dataset.digest = digest;
  input.dataset.source_type = source_type;
  input.dataset.source = source;
  input.tags = {{"mlflow.data.context", context}};
  return input;
}

}  // namespace mlflow::testing
