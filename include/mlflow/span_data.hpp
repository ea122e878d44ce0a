// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Finished spans as MLflow stores and returns them (Python's mlflow.entities.Span), with
/// their status, events and the predefined span types.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/json_value.hpp"

namespace mlflow {

/// Python's mlflow.entities.SpanType: the predefined values of the `mlflow.spanType`
/// attribute. Any other string is allowed too (the UI shows it as is).
struct SpanType {
  static constexpr const char* kLlm = "LLM";
  static constexpr const char* kChain = "CHAIN";
  static constexpr const char* kAgent = "AGENT";
  static constexpr const char* kTool = "TOOL";
  static constexpr const char* kChatModel = "CHAT_MODEL";
  static constexpr const char* kRetriever = "RETRIEVER";
  static constexpr const char* kParser = "PARSER";
  static constexpr const char* kEmbedding = "EMBEDDING";
  static constexpr const char* kReranker = "RERANKER";
  static constexpr const char* kMemory = "MEMORY";
  static constexpr const char* kUnknown = "UNKNOWN";
  static constexpr const char* kWorkflow = "WORKFLOW";
  static constexpr const char* kTask = "TASK";
  static constexpr const char* kGuardrail = "GUARDRAIL";
  static constexpr const char* kEvaluator = "EVALUATOR";
};

/// Python's SpanStatusCode ("UNSET", "OK", "ERROR"; OTel's STATUS_CODE_* on the wire).
enum class SpanStatusCode { kUnset, kOk, kError };
/// "UNSET", "OK", "ERROR".
std::string to_string(SpanStatusCode code);
/// Accepts "UNSET"/"OK"/"ERROR" and "STATUS_CODE_UNSET"/... ; throws InvalidArgument otherwise
/// (Python's SpanStatusCode(...) refuses other names too).
SpanStatusCode span_status_code_from_string(const std::string& text);

struct SpanStatus {
  SpanStatusCode status_code = SpanStatusCode::kUnset;
  /// Only meaningful for ERROR (OTel drops it otherwise).
  std::string description{};
};

/// Python's SpanEvent: something that happened at a point in a span's life ("exception" for
/// a recorded exception, with exception.type / exception.message / exception.stacktrace).
struct SpanEvent {
  std::string name{};
  /// Nanoseconds since the Unix epoch; 0 = now when added to a live span.
  std::int64_t timestamp = 0;
  /// An object of primitive values or lists of them (OTel event attributes; not JSON-encoded
  /// on the wire, unlike span attributes).
  JsonValue attributes = JsonValue::object();
};

/// Well-known span attribute keys (Python's SpanAttributeKey).
struct SpanAttributeKey {
  static constexpr const char* kRequestId = "mlflow.traceRequestId";
  static constexpr const char* kInputs = "mlflow.spanInputs";
  static constexpr const char* kOutputs = "mlflow.spanOutputs";
  static constexpr const char* kSpanType = "mlflow.spanType";
  static constexpr const char* kLogLevel = "mlflow.spanLogLevel";
  static constexpr const char* kFunctionName = "mlflow.spanFunctionName";
  static constexpr const char* kDescription = "mlflow.spanDescription";
  static constexpr const char* kChatTools = "mlflow.chat.tools";
  static constexpr const char* kChatUsage = "mlflow.chat.tokenUsage";
  static constexpr const char* kLlmCost = "mlflow.llm.cost";
  static constexpr const char* kModel = "mlflow.llm.model";
  static constexpr const char* kModelProvider = "mlflow.llm.provider";
  static constexpr const char* kMessageFormat = "mlflow.message.format";
  static constexpr const char* kLinkedPrompts = "mlflow.linkedPrompts";
  static constexpr const char* kUserId = "user.id";
  static constexpr const char* kSessionId = "session.id";
};

/// A span of a finished trace (Python's immutable mlflow.entities.Span), as get_trace and
/// search_traces return it.
struct SpanData {
  /// "tr-" + 32 hex digits.
  std::string trace_id{};
  /// 16 lowercase hex digits.
  std::string span_id{};
  /// Unset for the root span.
  std::optional<std::string> parent_id = std::nullopt;
  std::string name{};
  /// Nanoseconds since the Unix epoch.
  std::int64_t start_time_ns = 0;
  std::optional<std::int64_t> end_time_ns = std::nullopt;
  SpanStatus status{};
  /// Every attribute with its decoded value, in the order they were set (an object).
  JsonValue attributes = JsonValue::object();
  std::vector<SpanEvent> events{};

  /// The attribute's value, or nullptr.
  const JsonValue* get_attribute(const std::string& key) const noexcept {
    return attributes.find(key);
  }
  /// `mlflow.spanType`; empty when unset.
  std::string span_type() const;
  /// `mlflow.spanInputs` / `mlflow.spanOutputs`; null when unset.
  JsonValue inputs() const;
  JsonValue outputs() const;
};

}  // namespace mlflow
