// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// spans.content: the JSON text of Python's Span.to_dict() as MLflow 3.18's SQL store writes it
// (json.dumps(..., ensure_ascii=False), key order trace_id, span_id, parent_span_id, name, kind,
// start_time_unix_nano, end_time_unix_nano, events, status, attributes, links), with ids as
// base64 of their bytes, status codes as OTel's STATUS_CODE_* names, and every attribute value
// stored as its own JSON text (dump_span_attribute_value), event attributes as they are.

#include <string>

#include "mlflow/span_data.hpp"

namespace mlflow::internal::sqlite {

/// "tr-" + 32 hex digits (either case) as the trace id MLflow stores ("tr-" + lowercase);
/// throws INVALID_PARAMETER_VALUE naming `what` otherwise.
std::string normalized_trace_id(const std::string& trace_id);
/// 16 hex digits (either case) as MLflow's lowercase span id; throws INVALID_PARAMETER_VALUE.
std::string normalized_span_id(const std::string& span_id, const char* what);

/// A span as it is written: ids normalised, `mlflow.traceRequestId` set to the trace id
/// (appended when absent, as the server's OTLP ingest does).
SpanData span_for_storage(const SpanData& span);

/// The content text of a span prepared by span_for_storage.
std::string span_content(const SpanData& span);

/// Span.from_dict of stored content: ids from base64 (or the hex of MLflow 3.5), attributes
/// decoded from their JSON text (kept as text where that is not JSON). `trace_id` is used when
/// the content has no `mlflow.traceRequestId`. Throws INTERNAL_ERROR for content that is not
/// a span dict.
SpanData span_from_content(const std::string& content, const std::string& trace_id);

}  // namespace mlflow::internal::sqlite
