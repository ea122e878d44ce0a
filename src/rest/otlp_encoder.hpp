// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// OTLP/HTTP request bodies for POST /v1/traces (opentelemetry-proto
// collector/trace/v1 ExportTraceServiceRequest), written by hand because Debian has no
// opentelemetry-cpp. Shaped as Python's RestStore.log_spans sends them: one ResourceSpans with
// an empty Resource, one ScopeSpans, every span with kind INTERNAL and its attributes as native
// AnyValues (the server JSON-encodes each one when it stores it). Strings that are not valid
// UTF-8 have the bad bytes replaced by U+FFFD (Python's OTLP path does the same). ADR 0021
// says why protobuf is the default and how the JSON form compares.

#include <string>
#include <vector>

#include "mlflow/span_data.hpp"

namespace mlflow::internal::otlp {

/// Binary protobuf (Content-Type application/x-protobuf). `resource`: the Resource's
/// attributes (an object; null or empty for the empty Resource the MLflow server gets, as
/// Python sends it; an OpenTelemetry collector gets service.name and telemetry.sdk.*).
std::string encode_protobuf(const std::vector<SpanData>& spans, const JsonValue& resource = {});
/// OTLP JSON (Content-Type application/json): lowerCamelCase fields, hex ids, int64 as
/// strings, as the OTLP spec writes it.
std::string encode_json(const std::vector<SpanData>& spans, const JsonValue& resource = {});

}  // namespace mlflow::internal::otlp
