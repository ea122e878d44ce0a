// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Keyword arguments of the trace read and delete calls (search_traces, search_sessions,
/// delete_traces) and of the assessment calls, with Python's defaults.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/assessment.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/trace.hpp"

namespace mlflow {

/// Python's MlflowClient.search_traces / mlflow.search_traces arguments.
struct SearchTracesOptions {
  /// Experiments to search (Python's `locations`); empty = the active experiment (fluent) or
  /// an error (MlflowClient, as Python's client needs them).
  std::vector<std::string> experiment_ids{};
  /// MLflow's trace filter grammar, e.g. "trace.status = 'OK' AND tags.env = 'prod'",
  /// "metadata.`mlflow.trace.session` = 's1'", "span.name = 'retrieve'",
  /// "feedback.quality = 'good'". Evaluated by the store.
  std::string filter_string{};
  /// Per page for MlflowClient::search_traces (default 100; the server allows up to 500).
  /// For the fluent search_traces: the total wanted, unset = all.
  std::optional<int> max_results = std::nullopt;
  /// e.g. {"timestamp_ms DESC"}; default: newest first, then trace id.
  std::vector<std::string> order_by{};
  std::string page_token{};
  /// Only traces logged under this run (metadata mlflow.sourceRun); the run's experiment
  /// must be among experiment_ids.
  std::optional<std::string> run_id = std::nullopt;
  /// Only traces of this logged model (metadata mlflow.modelId). Not with filter_string.
  std::optional<std::string> model_id = std::nullopt;
  /// Fetch the spans too (one batch request per page); false = trace infos only.
  bool include_spans = true;
};

/// Python's mlflow.search_sessions arguments.
struct SearchSessionsOptions {
  std::vector<std::string> experiment_ids{};
  /// Sessions wanted.
  int max_results = 100;
  std::optional<std::string> run_id = std::nullopt;
  std::optional<std::string> model_id = std::nullopt;
  bool include_spans = true;
};

/// A session: the traces sharing one `mlflow.trace.session` metadata value, oldest first.
struct Session {
  std::string id{};
  std::vector<Trace> traces{};
};

/// Python's delete_traces: either trace_ids, or max_timestamp_millis (with an optional
/// max_traces), never both.
struct DeleteTracesOptions {
  std::optional<std::int64_t> max_timestamp_millis = std::nullopt;
  std::optional<int> max_traces = std::nullopt;
  std::vector<std::string> trace_ids{};
};

/// Python's log_feedback keyword arguments (name "feedback" and source CODE by default).
struct LogFeedbackOptions {
  std::string name = "feedback";
  /// Unset with an error: a feedback that failed to compute.
  std::optional<JsonValue> value = std::nullopt;
  std::optional<AssessmentSource> source = std::nullopt;
  std::optional<AssessmentError> error = std::nullopt;
  std::optional<std::string> rationale = std::nullopt;
  std::map<std::string, std::string> metadata{};
  std::optional<std::string> span_id = std::nullopt;
};

/// Python's log_expectation keyword arguments (source HUMAN by default).
struct LogExpectationOptions {
  std::string name{};
  JsonValue value{};
  std::optional<AssessmentSource> source = std::nullopt;
  std::map<std::string, std::string> metadata{};
  std::optional<std::string> span_id = std::nullopt;
};

/// Python's override_feedback keyword arguments.
struct OverrideFeedbackOptions {
  JsonValue value{};
  std::optional<std::string> rationale = std::nullopt;
  std::optional<AssessmentSource> source = std::nullopt;
  std::map<std::string, std::string> metadata{};
};

}  // namespace mlflow
