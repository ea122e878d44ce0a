// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Appends JSON text straight into a string, for the one request whose size matters: log-batch
// bodies of up to 1000 metrics. Building an nlohmann::json tree first cost about half of the
// client's CPU per point (bench-rest). Output is the same wire format as json_codec: int64 as
// numbers, doubles in shortest round-trip form, NaN/+-Inf as "NaN"/"Infinity"/"-Infinity".

#include <cstdint>
#include <string>

#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"
#include "store/span.hpp"

namespace mlflow::internal::json_writer {

/// A JSON string literal. Throws InvalidArgument when `text` is not valid UTF-8 (the server
/// could not decode it), naming `field`.
void append_string(std::string& out, const std::string& text, const char* field);
void append_int(std::string& out, std::int64_t value);
/// MLflow's double encoding (see file comment).
void append_double(std::string& out, double value);

/// The complete body of POST runs/log-batch.
std::string log_batch_body(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                           Span<RunTag> tags);

}  // namespace mlflow::internal::json_writer
