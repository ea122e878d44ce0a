// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The bodies of the two metric-logging requests, appended straight into a string: log-batch
// bodies carry up to 1000 metrics, and building an nlohmann::json tree first cost about half
// of the client's CPU per point (bench-rest). This is the library's one metric encoder. Text,
// integers and doubles go through core/json_text: int64 as numbers, doubles as Python's repr,
// NaN/+-Inf as "NaN"/"Infinity"/"-Infinity"; a metric's fields in alphabetical order (the
// order nlohmann::json and Python's json.dumps(sort_keys=True) give).

#include <string>

#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"
#include "store/span.hpp"

namespace mlflow::internal::json_writer {

/// The complete body of POST runs/log-batch. Metrics are sent without their run_id: they
/// belong to `run_id`.
std::string log_batch_body(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                           Span<RunTag> tags);

/// The complete body of POST runs/log-metric: the metric's fields plus run_id and its
/// deprecated twin run_uuid (Python still sends both).
std::string log_metric_body(const std::string& run_id, const Metric& metric);

/// One metric as a JSON object (the shape of both bodies' metrics, without run ids).
std::string metric_json(const Metric& metric);

}  // namespace mlflow::internal::json_writer
