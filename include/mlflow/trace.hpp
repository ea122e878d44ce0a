// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Traces as MLflow stores them (Python's mlflow.entities.Trace, TraceInfo (V3), TraceData,
/// TraceState, TraceLocation) and the keys MLflow writes into trace metadata and tags.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/assessment.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/span_data.hpp"

namespace mlflow {

/// Python's TraceState.
enum class TraceState { kStateUnspecified, kOk, kError, kInProgress };
/// "STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS".
std::string to_string(TraceState state);
/// Python's names; throws InvalidArgument otherwise.
TraceState trace_state_from_string(const std::string& text);

/// Where a trace lives. MLflow OSS stores traces in experiments only.
struct TraceLocation {
  /// "MLFLOW_EXPERIMENT" (or "INFERENCE_TABLE", read but not written by this SDK).
  std::string type = "MLFLOW_EXPERIMENT";
  std::string experiment_id{};
};

/// Python's TraceInfo (the V3 schema).
struct TraceInfo {
  /// "tr-" + 32 lowercase hex digits (the OTel trace id).
  std::string trace_id{};
  TraceLocation trace_location{};
  /// Start of the root span, milliseconds since the Unix epoch.
  std::int64_t request_time = 0;
  TraceState state = TraceState::kStateUnspecified;
  std::optional<std::string> request_preview = std::nullopt;
  std::optional<std::string> response_preview = std::nullopt;
  std::optional<std::string> client_request_id = std::nullopt;
  /// Milliseconds.
  std::optional<std::int64_t> execution_duration = std::nullopt;
  /// Immutable once logged (run id, model id, token usage, session, user ...).
  std::map<std::string, std::string> trace_metadata{};
  /// Mutable (trace name, linked prompts, user tags ...).
  std::map<std::string, std::string> tags{};
  std::vector<Assessment> assessments{};

  const std::string& experiment_id() const noexcept { return trace_location.experiment_id; }
  /// Python's trace_info.token_usage: the parsed `mlflow.trace.tokenUsage` metadata
  /// ({input_tokens, output_tokens, total_tokens, ...}); null when absent.
  JsonValue token_usage() const;
  /// Python's trace_info.cost: the parsed `mlflow.trace.cost` metadata; null when absent.
  JsonValue cost() const;
};

/// The spans of a trace, in the order the store returned them (parents before children for
/// traces recorded by MLflow).
struct TraceData {
  std::vector<SpanData> spans{};
  /// The span without a parent, or nullptr.
  const SpanData* root_span() const noexcept;
};

struct Trace {
  TraceInfo info{};
  TraceData data{};

  /// Spans with this name (Python's trace.search_spans(name=...)).
  std::vector<const SpanData*> search_spans(const std::string& name) const;
};

/// Trace metadata keys MLflow sets (Python's TraceMetadataKey).
struct TraceMetadataKey {
  static constexpr const char* kInputs = "mlflow.traceInputs";
  static constexpr const char* kOutputs = "mlflow.traceOutputs";
  static constexpr const char* kSourceRun = "mlflow.sourceRun";
  static constexpr const char* kModelId = "mlflow.modelId";
  static constexpr const char* kSizeStats = "mlflow.trace.sizeStats";
  static constexpr const char* kSizeBytes = "mlflow.trace.sizeBytes";
  static constexpr const char* kTokenUsage = "mlflow.trace.tokenUsage";
  static constexpr const char* kCost = "mlflow.trace.cost";
  static constexpr const char* kTraceUser = "mlflow.trace.user";
  static constexpr const char* kTraceSession = "mlflow.trace.session";
  static constexpr const char* kSchemaVersion = "mlflow.trace_schema.version";
  static constexpr const char* kInfoFinalized = "mlflow.trace.infoFinalized";
};

/// Trace tag keys MLflow sets (Python's TraceTagKey).
struct TraceTagKey {
  static constexpr const char* kTraceName = "mlflow.traceName";
  static constexpr const char* kSpansLocation = "mlflow.trace.spansLocation";
  static constexpr const char* kLinkedPrompts = "mlflow.linkedPrompts";
  static constexpr const char* kArtifactLocation = "mlflow.artifactLocation";
  static constexpr const char* kEvalRequestId = "mlflow.eval.requestId";
};

}  // namespace mlflow
