// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The fluent trace reads and writes and assessments of Python's `mlflow` module
/// (mlflow.get_trace, search_traces, search_sessions, set_trace_tag, delete_traces,
/// log_trace, add_trace, log_feedback, log_expectation, override_feedback, ...), on the
/// default client (mlflow::default_client()).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/assessment.hpp"
#include "mlflow/trace.hpp"
#include "mlflow/trace_options.hpp"
#include "mlflow/tracing.hpp"

namespace mlflow {

/// Python's mlflow.get_trace(trace_id, silent, flush): the trace, or std::nullopt (with a
/// warning unless `silent`) when there is none. `flush` first waits for traces being exported.
std::optional<Trace> get_trace(const std::string& trace_id, bool silent = false,
                               bool flush = false);
/// Python's mlflow.search_traces(..., return_type="list"): experiment_ids default to the
/// active experiment; max_results unset = every match. `flush` waits for the exporter first.
std::vector<Trace> search_traces(const SearchTracesOptions& options = {}, bool flush = false);
/// Python's mlflow.search_sessions: the newest sessions first (by their newest trace), each
/// with its traces oldest first.
std::vector<Session> search_sessions(const SearchSessionsOptions& options = {});
void set_trace_tag(const std::string& trace_id, const std::string& key, const std::string& value);
void delete_trace_tag(const std::string& trace_id, const std::string& key);
/// Python's MlflowClient().delete_traces on the default client.
int delete_traces(const std::string& experiment_id, const DeleteTracesOptions& options);

/// Python's mlflow.log_trace(...): a trace of one root span, returns its id.
struct LogTraceOptions {
  std::string name = "Task";
  std::optional<JsonValue> request = std::nullopt;
  std::optional<JsonValue> response = std::nullopt;
  /// Stored as the root span's mlflow.trace.intermediate_outputs attribute.
  std::optional<JsonValue> intermediate_outputs = std::nullopt;
  JsonValue attributes{};
  std::map<std::string, std::string> tags{};
  std::optional<std::int64_t> start_time_ms = std::nullopt;
  std::optional<std::int64_t> execution_time_ms = std::nullopt;
};
std::string log_trace(const LogTraceOptions& options = {});

/// Python's mlflow.add_trace(trace, target): copies a finished trace (e.g. returned by a
/// remote service) under `target`, else under the current span, else under a new root span
/// "Remote Trace <root name>". Throws InvalidArgument when the trace has not ended.
void add_trace(const Trace& trace, const std::optional<LiveSpan>& target = std::nullopt);

// ---- Assessments ----

/// Python's mlflow.log_feedback (a value, an error, or both).
Assessment log_feedback(const std::string& trace_id, const LogFeedbackOptions& options);
Assessment log_expectation(const std::string& trace_id, const LogExpectationOptions& options);
Assessment log_assessment(const std::string& trace_id, const Assessment& assessment);
Assessment get_assessment(const std::string& trace_id, const std::string& assessment_id);
Assessment update_assessment(const std::string& trace_id, const std::string& assessment_id,
                             const Assessment& assessment);
void delete_assessment(const std::string& trace_id, const std::string& assessment_id);
/// Python's mlflow.override_feedback: a new feedback with the old one's name and span that
/// overrides it (the old one becomes invalid). Throws InvalidArgument when the assessment is
/// not a feedback.
Assessment override_feedback(const std::string& trace_id, const std::string& assessment_id,
                             const OverrideFeedbackOptions& options);

}  // namespace mlflow
