// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// JSON <-> trace entities, in the three shapes MLflow uses:
//   * protobuf JSON of the v3 trace API (TraceInfoV3 with RFC 3339 Timestamp and "1.5s"
//     Duration strings, Assessment, and OTel Span messages with base64 ids and AnyValue
//     attributes, as GET /api/3.0/mlflow/traces/get answers);
//   * Python's Span.to_dict(), the span format of the `traces.json` artifact (base64 ids,
//     attribute values as JSON text);
//   * JsonValue <-> nlohmann::json for values carried inside those messages.
// Decoding is lenient as protobuf JSON is (absent fields keep defaults, int64 as number or
// string); a field of the wrong type throws MlflowException naming it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "mlflow/assessment.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"

namespace mlflow::internal::trace_json {

using Json = nlohmann::json;

// ---- values ----
Json to_json(const JsonValue& value);
JsonValue from_json(const Json& value);

// ---- protobuf well-known types ----
/// Timestamp JSON of milliseconds since the epoch: "2023-11-14T22:13:20.123Z" (no fraction
/// for whole seconds), as protobuf's ToJsonString writes it.
std::string format_timestamp(std::int64_t millis);
/// RFC 3339 ("...Z" or "+hh:mm", 0-9 fractional digits) -> milliseconds (truncated).
std::int64_t parse_timestamp(const std::string& text, const char* field);
/// Duration JSON of milliseconds: "1s", "0.263s".
std::string format_duration(std::int64_t millis);
std::int64_t parse_duration(const std::string& text, const char* field);

// ---- trace info and assessments ----
/// TraceInfoV3 as Python's TraceInfo.to_proto() writes it: metadata keys and values cut to 250
/// characters, tag keys to 250 and values to 4096 (Python's _truncate_request_metadata and
/// _truncate_tags), optional fields omitted.
Json encode_trace_info(const TraceInfo& info);
TraceInfo decode_trace_info(const Json& j);
/// Assessment as Python's Assessment.to_proto(): a feedback value as google.protobuf.Value, an
/// expectation as a Value when it is a number, string or bool and as JSON text
/// (serialized_value, JSON_FORMAT) otherwise.
Json encode_assessment(const Assessment& assessment);
Assessment decode_assessment(const Json& j);

// ---- spans ----
/// An OTel Span message in MLflow's JSON rendering (GetTrace, BatchGetTraces).
SpanData decode_otel_span(const Json& j);
/// A whole Trace message ({trace_info, spans}).
Trace decode_trace(const Json& j);
/// Python's Span.to_dict() (the traces.json format).
Json span_to_dict(const SpanData& span);
SpanData span_from_dict(const Json& j);

// ---- ids ----
/// "tr-" + hex of 16 bytes / 16 hex of 8 bytes <-> raw bytes; throws InvalidArgument for text
/// that is not such an id.
std::string trace_id_bytes(const std::string& trace_id);
std::string span_id_bytes(const std::string& span_id);
std::string hex_of(const std::string& bytes);

}  // namespace mlflow::internal::trace_json
