// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Fluent trace reads/writes and assessments on the default client (mlflow/tracing/fluent.py
// and mlflow/tracing/assessment.py in 3.18).

#include "mlflow/fluent_traces.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/log.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/trace_export.hpp"
#include "tracing/finalize.hpp"
#include "tracing/provider.hpp"

namespace mlflow {
namespace {

std::vector<std::string> search_locations(const std::vector<std::string>& given) {
  if (!given.empty()) return given;
  const std::string id = internal::resolve_experiment_id();
  if (id.empty()) {
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          "No active experiment found. Set an experiment using "
                          "`mlflow::set_experiment`, or specify the list of experiment IDs in "
                          "SearchTracesOptions::experiment_ids.");
  }
  return {id};
}

void flush_quietly() {
  try {
    flush_trace_async_logging();
  } catch (const MlflowException& e) {
    internal::log(LogLevel::kWarning, std::string("mlflow tracing: ") + e.what());
  }
}

}  // namespace

std::optional<Trace> get_trace(const std::string& trace_id, bool silent, bool flush) {
  if (flush) flush_quietly();
  try {
    return default_client().get_trace(trace_id);
  } catch (const MlflowException& e) {
    if (!silent) {
      internal::log(LogLevel::kWarning, "mlflow: failed to get trace from the tracking store: " +
                                            std::string(e.what()));
    }
    return std::nullopt;
  }
}

std::vector<Trace> search_traces(const SearchTracesOptions& options, bool flush) {
  if (flush) flush_quietly();
  SearchTracesOptions page = options;
  page.experiment_ids = search_locations(options.experiment_ids);
  const std::optional<int> wanted = options.max_results;
  MlflowClient client = default_client();
  std::vector<Trace> out;
  while (true) {
    // Python's get_results_from_paginated_fn with pages of 100.
    const int remaining = wanted ? *wanted - static_cast<int>(out.size()) : 100;
    if (remaining <= 0) break;
    page.max_results = std::min(remaining, 100);
    PagedList<Trace> result = client.search_traces(page);
    for (auto& t : result.items) out.push_back(std::move(t));
    if (result.token.empty()) break;
    page.page_token = result.token;
  }
  return out;
}

std::vector<Session> search_sessions(const SearchSessionsOptions& options) {
  const std::vector<std::string> locations = search_locations(options.experiment_ids);
  MlflowClient client = default_client();
  // 1. Session ids of the newest traces first, until max_results sessions are found.
  std::vector<std::string> ids;
  std::set<std::string> seen;
  SearchTracesOptions page;
  page.experiment_ids = locations;
  page.max_results = 100;
  page.order_by = {"timestamp DESC"};
  page.include_spans = false;
  page.run_id = options.run_id;
  page.model_id = options.model_id;
  while (static_cast<int>(ids.size()) < options.max_results) {
    PagedList<Trace> traces = client.search_traces(page);
    for (const auto& t : traces.items) {
      const auto it = t.info.trace_metadata.find(TraceMetadataKey::kTraceSession);
      if (it == t.info.trace_metadata.end() || it->second.empty()) continue;
      if (seen.insert(it->second).second) {
        ids.push_back(it->second);
        if (static_cast<int>(ids.size()) >= options.max_results) break;
      }
    }
    if (traces.token.empty()) break;
    page.page_token = traces.token;
  }
  // 2. Every trace of each session, oldest first.
  std::vector<Session> sessions;
  for (const auto& id : ids) {
    SearchTracesOptions session;
    session.experiment_ids = locations;
    // As Python builds it (the id is not escaped there either).
    session.filter_string =
        "metadata.`" + std::string(TraceMetadataKey::kTraceSession) + "` = '" + id + "'";
    session.order_by = {"timestamp ASC"};
    session.include_spans = options.include_spans;
    session.run_id = options.run_id;
    if (options.model_id) {
      session.filter_string +=
          " AND request_metadata.`mlflow.modelId` = '" + *options.model_id + "'";
    }
    std::vector<Trace> traces = search_traces(session);
    if (!traces.empty()) sessions.push_back(Session{id, std::move(traces)});
  }
  return sessions;
}

void set_trace_tag(const std::string& trace_id, const std::string& key, const std::string& value) {
  default_client().set_trace_tag(trace_id, key, value);
}

void delete_trace_tag(const std::string& trace_id, const std::string& key) {
  default_client().delete_trace_tag(trace_id, key);
}

int delete_traces(const std::string& experiment_id, const DeleteTracesOptions& options) {
  return default_client().delete_traces(experiment_id, options);
}

std::string log_trace(const LogTraceOptions& options) {
  StartSpanNoContextOptions start;
  start.inputs = options.request;
  start.attributes = options.attributes.is_object() ? options.attributes : JsonValue::object();
  if (options.intermediate_outputs) {
    start.attributes.set("mlflow.trace.intermediate_outputs", *options.intermediate_outputs);
  }
  start.tags = options.tags;
  if (options.start_time_ms) start.start_time_ns = *options.start_time_ms * 1000000;
  LiveSpan span = start_span_no_context(options.name, start);
  EndSpanOptions end;
  end.outputs = options.response;
  if (options.start_time_ms && options.execution_time_ms) {
    end.end_time_ns = (*options.start_time_ms + *options.execution_time_ms) * 1000000;
  }
  span.end(end);
  return span.trace_id();
}

void add_trace(const Trace& trace, const std::optional<LiveSpan>& target) {
  if (!tracing::is_enabled()) return;
  if (trace.info.state != TraceState::kOk && trace.info.state != TraceState::kError) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "The trace must be ended before adding it to another trace. Current "
                          "status: " +
                              to_string(trace.info.state) + ".");
  }
  if (trace.data.spans.empty()) return;
  std::optional<LiveSpan> parent = target ? target : get_current_active_span();
  LiveSpan remote_root;
  const SpanData& first = trace.data.spans.front();
  if (!parent || !parent->is_recording()) {
    StartSpanNoContextOptions start;
    start.inputs = first.inputs();
    start.attributes = JsonValue::object();
    for (const auto& [key, value] : first.attributes.as_object()) {
      if (key != SpanAttributeKey::kRequestId) start.attributes.set(key, value);
    }
    start.span_type = first.span_type();
    start.start_time_ns = first.start_time_ns - 1;
    remote_root = start_span_no_context("Remote Trace <" + first.name + ">", start);
    parent = remote_root;
  }
  if (!parent->is_recording()) return;
  const auto parent_state = internal::tracing::SpanAccess::state(*parent);
  // Clone spans in order; the parent always comes before its children (Python's assumption).
  std::map<std::string, std::shared_ptr<internal::tracing::LiveSpanState>> cloned;
  for (const auto& span : trace.data.spans) {
    std::shared_ptr<internal::tracing::LiveSpanState> parent_of = parent_state;
    if (span.parent_id) {
      const auto it = cloned.find(*span.parent_id);
      if (it == cloned.end()) {
        throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                              "Span with ID " + *span.parent_id +
                                  " not found. Please make sure the spans in the trace are "
                                  "ordered correctly i.e. the parent span comes before its "
                                  "children.");
      }
      parent_of = it->second;
    }
    internal::tracing::StartRequest request;
    request.name = span.name;
    request.span_type = span.span_type();
    request.parent = parent_of;
    request.use_context = false;
    request.start_time_ns = span.start_time_ns;
    request.span_id = span.span_id;
    JsonValue attributes = JsonValue::object();
    for (const auto& [key, value] : span.attributes.as_object()) {
      if (key != SpanAttributeKey::kRequestId) attributes.set(key, value);
    }
    request.attributes = &attributes;
    auto state = internal::tracing::start(request, nullptr);
    if (!state) return;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      state->data.events = span.events;
    }
    EndSpanOptions end;
    end.status = span.status;
    end.end_time_ns = span.end_time_ns;
    cloned[span.span_id] = state;
    internal::tracing::end(state, &end);
  }
  // The child trace's tags and metadata, the parent's winning.
  {
    std::lock_guard<std::mutex> lock(parent_state->trace->mutex);
    auto& info = parent_state->trace->info;
    for (const auto& [k, v] : trace.info.tags) info.tags.emplace(k, v);
    for (const auto& [k, v] : trace.info.trace_metadata) {
      // The parent's environment metadata and schema version, added when it is exported, win.
      if (internal::tracing::env_metadata().count(k) != 0 ||
          k == TraceMetadataKey::kSchemaVersion) {
        continue;
      }
      info.trace_metadata.emplace(k, v);
    }
  }
  if (remote_root.is_recording()) {
    EndSpanOptions end;
    end.status = SpanStatus{
        trace.info.state == TraceState::kError ? SpanStatusCode::kError : SpanStatusCode::kOk, ""};
    end.outputs = first.outputs();
    end.end_time_ns = first.end_time_ns;
    remote_root.end(end);
  }
}

// ---- Assessments ----

Assessment log_feedback(const std::string& trace_id, const LogFeedbackOptions& options) {
  Feedback feedback(options.value.value_or(JsonValue()), options.name);
  if (options.source) feedback.source = *options.source;
  feedback.error = options.error;
  feedback.rationale = options.rationale;
  feedback.metadata = options.metadata;
  feedback.span_id = options.span_id;
  return default_client().log_assessment(trace_id, feedback);
}

Assessment log_expectation(const std::string& trace_id, const LogExpectationOptions& options) {
  Expectation expectation(options.name, options.value);
  if (options.source) expectation.source = *options.source;
  expectation.metadata = options.metadata;
  expectation.span_id = options.span_id;
  return default_client().log_assessment(trace_id, expectation);
}

Assessment log_assessment(const std::string& trace_id, const Assessment& assessment) {
  return default_client().log_assessment(trace_id, assessment);
}

Assessment get_assessment(const std::string& trace_id, const std::string& assessment_id) {
  return default_client().get_assessment(trace_id, assessment_id);
}

Assessment update_assessment(const std::string& trace_id, const std::string& assessment_id,
                             const Assessment& assessment) {
  return default_client().update_assessment(trace_id, assessment_id, assessment);
}

void delete_assessment(const std::string& trace_id, const std::string& assessment_id) {
  default_client().delete_assessment(trace_id, assessment_id);
}

Assessment override_feedback(const std::string& trace_id, const std::string& assessment_id,
                             const OverrideFeedbackOptions& options) {
  MlflowClient client = default_client();
  const Assessment old = client.get_assessment(trace_id, assessment_id);
  if (old.kind != AssessmentKind::kFeedback) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        "The assessment with ID " + assessment_id + " is not a feedback assessment.");
  }
  Feedback feedback(options.value, old.name);
  feedback.span_id = old.span_id;
  feedback.rationale = options.rationale;
  if (options.source) feedback.source = *options.source;
  feedback.metadata = options.metadata;
  feedback.overrides = old.assessment_id;
  return client.log_assessment(trace_id, feedback);
}

}  // namespace mlflow
