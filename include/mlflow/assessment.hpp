// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Assessments of traces (Python's mlflow.entities.Assessment, Feedback, Expectation,
/// AssessmentSource, AssessmentError): judgements and ground truth attached to a trace or one
/// of its spans.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mlflow/json_value.hpp"

namespace mlflow {

/// Python's AssessmentSourceType. AI_JUDGE (deprecated) is read as LLM_JUDGE.
enum class AssessmentSourceType { kSourceTypeUnspecified, kLlmJudge, kHuman, kCode };
/// "SOURCE_TYPE_UNSPECIFIED", "LLM_JUDGE", "HUMAN", "CODE".
std::string to_string(AssessmentSourceType type);
/// Case-insensitive, as Python's; "AI_JUDGE" gives kLlmJudge. Throws InvalidArgument with
/// Python's message ("Invalid assessment source type: ...") for anything else.
AssessmentSourceType assessment_source_type_from_string(const std::string& text);

struct AssessmentSource {
  AssessmentSourceType source_type = AssessmentSourceType::kCode;
  /// Python's default is "default".
  std::optional<std::string> source_id = std::string("default");
};

/// Why a feedback has no value (e.g. the judge timed out).
struct AssessmentError {
  std::string error_code{};
  std::optional<std::string> error_message = std::nullopt;
  std::optional<std::string> stack_trace = std::nullopt;
};

/// What an assessment holds: a feedback (value or error), an expectation (ground truth) or a
/// reference to an issue.
enum class AssessmentKind { kFeedback, kExpectation, kIssue };

/// One assessment as stored by MLflow. Build one with Feedback or Expectation below.
struct Assessment {
  /// "a-" + 32 hex digits; assigned by the store when logged.
  std::optional<std::string> assessment_id = std::nullopt;
  /// Python's `name` (`assessment_name` on the wire).
  std::string name{};
  std::string trace_id{};
  std::optional<std::string> run_id = std::nullopt;
  std::optional<std::string> span_id = std::nullopt;
  AssessmentSource source{};
  /// Milliseconds since the Unix epoch; set to now when the assessment is built.
  std::int64_t create_time_ms = 0;
  std::int64_t last_update_time_ms = 0;
  std::optional<std::string> rationale = std::nullopt;
  std::map<std::string, std::string> metadata{};
  /// Id of the assessment this one replaces (override_feedback); the replaced one becomes
  /// invalid.
  std::optional<std::string> overrides = std::nullopt;
  /// Unset when the store did not say (Python's None); feedback defaults to true.
  std::optional<bool> valid = std::nullopt;

  AssessmentKind kind = AssessmentKind::kFeedback;
  /// The feedback's or expectation's value (null for a feedback that has only an error).
  JsonValue value{};
  /// Feedback only.
  std::optional<AssessmentError> error = std::nullopt;
  /// Issue references only.
  std::optional<std::string> issue_name = std::nullopt;

  bool is_feedback() const noexcept { return kind == AssessmentKind::kFeedback; }
  bool is_expectation() const noexcept { return kind == AssessmentKind::kExpectation; }
};

/// Python's Feedback(...): name "feedback", source CODE and valid=true unless changed; a
/// value, an error, or both.
struct Feedback : Assessment {
  explicit Feedback(JsonValue value, std::string name = "feedback");
  explicit Feedback(AssessmentError error, std::string name = "feedback");
};

/// Python's Expectation(name, value): source HUMAN unless given. Any JSON value but null
/// (Python: "The `value` field must be specified.").
struct Expectation : Assessment {
  Expectation(std::string name, JsonValue value);
};

}  // namespace mlflow
