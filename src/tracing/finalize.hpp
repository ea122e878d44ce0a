// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What Python's span processor and trace manager compute when a trace's root span ends
// (BaseMlflowSpanProcessor._update_trace_info, set_request_response_preview,
// add_size_stats_to_trace_metadata), and the metadata a new trace starts with.

#include <map>
#include <string>
#include <vector>

#include "mlflow/json_value.hpp"
#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"

namespace mlflow::internal::tracing {

/// json.dumps(value, ensure_ascii=False): how Python serialises span attribute values.
std::string attribute_text(const JsonValue& value);

/// Runs on the exporter's thread, before the trace is sent. Adds the environment metadata and
/// the schema version (unless set while the trace was live), fills request_time,
/// execution_duration, state (when still IN_PROGRESS), the
/// mlflow.traceInputs / traceOutputs metadata (250 characters), mlflow.trace.tokenUsage (the
/// tree-aware sum of mlflow.chat.tokenUsage), the request/response previews (1000
/// characters, the last user/assistant message for chat payloads) and the size statistics.
void finalize_trace_info(TraceInfo& info, const SpanData& root, const std::vector<SpanData>& spans);

/// Python's aggregate_usage_from_spans: input/output/total tokens (and cache token keys when
/// present) summed over spans whose ancestors carry none; null when no span has usage.
JsonValue aggregate_token_usage(const std::vector<SpanData>& spans);

/// The environment metadata of every trace (Python's resolve_env_metadata): mlflow.user,
/// mlflow.source.name, mlflow.source.type and the git keys. Resolved once. A live trace does
/// not hold them yet (finalize_trace_info adds them).
const std::map<std::string, std::string>& env_metadata();

}  // namespace mlflow::internal::tracing
