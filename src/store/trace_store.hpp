// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The trace RPCs of MLflow 3.18, as a seam beside TrackingStore: one method per RPC, with the
// semantics of Python's stores. Two implementations:
//   * RestTraceStore (src/rest/rest_trace_store.*): the v3 endpoints, OTLP/HTTP for spans;
//   * the embedded store: MLflow 3.18's trace tables (trace_info, trace_tags,
//     trace_request_metadata, spans, assessments, entity_associations) written as Python's
//     SqlAlchemyStore writes them, so `mlflow server` on the file shows the traces.
// MlflowClient and the exporter validate arguments first (Python's client-side refusals);
// what a store checks itself is listed per method and must raise the same error codes the
// server does (the conformance suite compares both stores' answers).
//
// Value conventions:
//   * span attributes arrive decoded (SpanData::attributes is an object of JsonValues; the
//     string "LLM" is a JSON string, not the text "\"LLM\""). On the OTLP wire they go as
//     native AnyValues; the SQL store keeps json.dumps(value, ensure_ascii=False) of each in
//     the span's content JSON (Span.to_dict()), exactly like the server does after ingest.
//   * event attributes are primitives (or lists of them) and are NOT JSON-encoded.
//   * times: TraceInfo in milliseconds, spans and events in nanoseconds since the epoch.
//   * ids: trace ids "tr-<32 hex>", span ids 16 lowercase hex, assessment ids "a-<32 hex>".

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/assessment.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"
#include "store/unserved.hpp"

namespace mlflow::internal {

/// A prompt version linked to a trace (LinkPromptsToTrace's PromptVersionRef).
struct PromptVersionRef {
  std::string name;
  /// The version number as text ("3").
  std::string version;
};

/// UpdateAssessment's fields; unset ones are left as they are (the update mask names exactly
/// the set ones). Python refuses expectation and feedback together before calling the store.
struct AssessmentUpdate {
  std::optional<std::string> name = std::nullopt;
  /// Set kind kExpectation: `value` replaces the expectation value.
  std::optional<JsonValue> expectation = std::nullopt;
  /// A feedback value and/or error replaces the feedback.
  std::optional<JsonValue> feedback = std::nullopt;
  std::optional<AssessmentError> feedback_error = std::nullopt;
  std::optional<std::string> rationale = std::nullopt;
  /// Merged into the existing metadata (Python: `metadata.update`).
  std::optional<std::map<std::string, std::string>> metadata = std::nullopt;
};

/// Methods not overridden answer with the store's Unserved error (store/unserved.hpp).
class TraceStore {
 public:
  /// The bare seam of a backend that keeps no traces.
  TraceStore();
  explicit TraceStore(Unserved why) : why_(std::move(why)) {}
  virtual ~TraceStore() = default;

  /// StartTraceV3 (POST /api/3.0/mlflow/traces), called when the root span has ended,
  /// despite its name. `info` is final: state OK/ERROR, request_time, execution_duration,
  /// previews, metadata (incl. mlflow.trace_schema.version "3", token usage), tags (incl.
  /// mlflow.traceName) and any assessments logged while the trace was live (ids set by the
  /// caller). Returns the stored info: the store adds tag `mlflow.artifactLocation`
  /// (`<experiment artifact location>/traces/<trace_id>/artifacts`) and metadata
  /// `mlflow.trace.infoFinalized` = "true", keeps `mlflow.traceName` as the trace name. When
  /// spans were logged first (log_spans), the existing row is updated and its span-derived
  /// fields kept, as Python's _start_trace_once does. Unknown or deleted experiment:
  /// RESOURCE_DOES_NOT_EXIST / INVALID_PARAMETER_VALUE as the server answers.
  virtual TraceInfo start_trace(const TraceInfo& info);

  /// LogSpans (OTLP/HTTP POST /v1/traces with x-mlflow-experiment-id on the server): stores
  /// finished spans of one or more traces of `experiment_id`, all or nothing. Creates the
  /// trace's info row when absent (request_time = earliest span start, IN_PROGRESS until a
  /// root span arrives, then the root's status and duration; token usage / cost / session /
  /// user derived from the spans) and sets tag mlflow.trace.spansLocation=TRACKING_STORE.
  /// Logging a span id again replaces that span (idempotent retries). Throws
  /// MlflowException(kNotImplemented) when the store cannot hold spans (the caller then falls
  /// back to the artifact path).
  virtual void log_spans(const std::string& experiment_id, const std::vector<SpanData>& spans);

  /// Artifact fallback for servers whose start_trace answer lacks
  /// mlflow.trace.spansLocation=TRACKING_STORE: writes `traces.json` ({"spans": [...]}, the
  /// span dicts of Python's Span.to_dict) under the info's mlflow.artifactLocation. Stores that
  /// always hold spans themselves may throw kNotImplemented.
  virtual void upload_trace_data(const TraceInfo& info, const std::vector<SpanData>& spans);

  /// The spans a trace keeps outside the tracking store (the read side of the artifact
  /// fallback: traces.json under mlflow.artifactLocation). Default: the store's own spans of
  /// the trace (get_trace with allow_partial).
  virtual std::vector<SpanData> download_trace_data(const TraceInfo& info);

  /// GetTraceInfoV3. Unknown id: RESOURCE_DOES_NOT_EXIST.
  virtual TraceInfo get_trace_info(const std::string& trace_id);
  /// GetTrace (info and spans, spans ordered by start time). When the root span is missing and
  /// !allow_partial: RESOURCE_DOES_NOT_EXIST ("... not fully exported yet"). Unknown id:
  /// RESOURCE_DOES_NOT_EXIST.
  virtual Trace get_trace(const std::string& trace_id, bool allow_partial);
  /// BatchGetTraces: the traces that exist among `trace_ids` (unknown ids are left out).
  virtual std::vector<Trace> batch_get_traces(const std::vector<std::string>& trace_ids);

  /// SearchTracesV3, one page: trace infos (with assessments) of the experiments, filtered by
  /// MLflow's trace grammar (mlflow/utils/search_utils.py SearchTraceUtils), ordered by
  /// `order_by` (default timestamp_ms DESC, request_id ASC), at most `max_results`; values
  /// below 1 or above 50,000 are INVALID_PARAMETER_VALUE ("Invalid value N for parameter
  /// 'max_results' supplied. ..."), as the SQL store says. Next page token in the result.
  virtual PagedList<TraceInfo> search_traces(const std::vector<std::string>& experiment_ids,
                                             const std::string& filter_string, int max_results,
                                             const std::vector<std::string>& order_by,
                                             const std::string& page_token);

  /// SetTraceTagV3 (upsert). Unknown trace: BAD_REQUEST (the server's foreign-key refusal), or
  /// RESOURCE_DOES_NOT_EXIST for the trace name tag (mlflow.traceName).
  virtual void set_trace_tag(const std::string& trace_id, const std::string& key,
                             const std::string& value);
  /// DeleteTraceTagV3. Unknown key: RESOURCE_DOES_NOT_EXIST ("No trace tag with key 'k' for
  /// trace with ID 'tr-...'"); deleting mlflow.traceName clears the trace name.
  virtual void delete_trace_tag(const std::string& trace_id, const std::string& key);
  /// DeleteTraces: `trace_ids`, or every trace with timestamp_ms <= max_timestamp_millis
  /// (oldest first, at most max_traces). Arguments already checked by the caller (exactly one
  /// of the two; max_traces only with the timestamp, positive). Returns the number deleted;
  /// unknown ids are not an error.
  virtual int delete_traces(const std::string& experiment_id,
                            std::optional<std::int64_t> max_timestamp_millis,
                            std::optional<int> max_traces,
                            const std::vector<std::string>& trace_ids);

  /// LinkTracesToRun: at most 100 ids (more: INVALID_PARAMETER_VALUE "Cannot link more than
  /// 100 traces to a run in a single request. Provided N traces."), existing links kept.
  virtual void link_traces_to_run(const std::vector<std::string>& trace_ids,
                                  const std::string& run_id);
  /// LinkPromptsToTrace: entity associations trace -> prompt version.
  virtual void link_prompts_to_trace(const std::string& trace_id,
                                     const std::vector<PromptVersionRef>& prompt_versions);

  /// CreateAssessment on assessment.trace_id; the store assigns assessment_id when unset and
  /// sets create/last-update times as Python's store does. With `overrides` set, the
  /// overridden assessment becomes valid=false. Unknown trace: RESOURCE_DOES_NOT_EXIST.
  virtual Assessment create_assessment(const Assessment& assessment);
  /// Unknown trace: "Trace with request_id 'tr-...' not found"; unknown assessment:
  /// "Assessment with ID 'a-...' not found for trace 'tr-...'" (both RESOURCE_DOES_NOT_EXIST).
  virtual Assessment get_assessment(const std::string& trace_id, const std::string& assessment_id);
  /// UpdateAssessment with the mask of the set fields; changing a feedback into an
  /// expectation or back is refused (INVALID_PARAMETER_VALUE), as the server does.
  virtual Assessment update_assessment(const std::string& trace_id,
                                       const std::string& assessment_id,
                                       const AssessmentUpdate& update);
  /// DeleteAssessment; an unknown assessment id is not an error (idempotent), an unknown trace
  /// is RESOURCE_DOES_NOT_EXIST. When the deleted assessment overrode another, that one
  /// becomes valid again (Python's store).
  virtual void delete_assessment(const std::string& trace_id, const std::string& assessment_id);

 private:
  Unserved why_;
};

}  // namespace mlflow::internal
