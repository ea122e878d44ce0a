// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Builders of the entities that many tests fill in field by field, so that a test states only
// the values it checks.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "mlflow/dataset.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/span_data.hpp"

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

/// A dataset by its name, digest and source (its type and JSON); schema and profile stay empty.
inline Dataset dataset(const std::string& name, const std::string& digest,
                       const std::string& source_type, const std::string& source) {
  return dataset_input(name, digest, source_type, source, "").dataset;
}

/// A finished span's identity, timing and status; attributes, events and the parent stay for
/// the test to set.
inline SpanData span_data(const std::string& trace_id, const std::string& span_id,
                          const std::string& name, std::int64_t start_time_ns,
                          std::optional<std::int64_t> end_time_ns, SpanStatus status = {}) {
  SpanData span;
  span.trace_id = trace_id;
  span.span_id = span_id;
  span.name = name;
  span.start_time_ns = start_time_ns;
  span.end_time_ns = end_time_ns;
  span.status = std::move(status);
  return span;
}

}  // namespace mlflow::testing
