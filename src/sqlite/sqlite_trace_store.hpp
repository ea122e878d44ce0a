// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Traces on the embedded store: the TraceStore seam over MLflow 3.18's trace tables
// (trace_info, trace_tags, trace_request_metadata, spans, assessments, entity_associations),
// with the rows, derived fields, errors and search semantics of Python's SqlAlchemyStore and
// the checks its REST handlers add (system tags refused), on the sqlite::Database the URI's
// other stores share. Every call is one transaction. ADR 0023 says what differs and why.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "sqlite/database.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal {

class SqliteTraceStore : public TraceStore {
 public:
  /// `hooks.sleep` paces get_trace's waits for spans still being exported (1 s, then 2 s, as
  /// the server waits); tests pass a no-op.
  explicit SqliteTraceStore(std::shared_ptr<sqlite::Database> db,
                            RetryHooks hooks = default_retry_hooks());

  TraceInfo start_trace(const TraceInfo& info) override;
  void log_spans(const std::string& experiment_id, const std::vector<SpanData>& spans) override;
  /// Always NOT_IMPLEMENTED: this store holds spans itself (log_spans).
  void upload_trace_data(const TraceInfo& info, const std::vector<SpanData>& spans) override;
  TraceInfo get_trace_info(const std::string& trace_id) override;
  Trace get_trace(const std::string& trace_id, bool allow_partial) override;
  std::vector<Trace> batch_get_traces(const std::vector<std::string>& trace_ids) override;
  PagedList<TraceInfo> search_traces(const std::vector<std::string>& experiment_ids,
                                     const std::string& filter_string, int max_results,
                                     const std::vector<std::string>& order_by,
                                     const std::string& page_token) override;
  void set_trace_tag(const std::string& trace_id, const std::string& key,
                     const std::string& value) override;
  void delete_trace_tag(const std::string& trace_id, const std::string& key) override;
  int delete_traces(const std::string& experiment_id,
                    std::optional<std::int64_t> max_timestamp_millis, std::optional<int> max_traces,
                    const std::vector<std::string>& trace_ids) override;
  void link_traces_to_run(const std::vector<std::string>& trace_ids,
                          const std::string& run_id) override;
  void link_prompts_to_trace(const std::string& trace_id,
                             const std::vector<PromptVersionRef>& prompt_versions) override;
  Assessment create_assessment(const Assessment& assessment) override;
  Assessment get_assessment(const std::string& trace_id, const std::string& assessment_id) override;
  Assessment update_assessment(const std::string& trace_id, const std::string& assessment_id,
                               const AssessmentUpdate& update) override;
  void delete_assessment(const std::string& trace_id, const std::string& assessment_id) override;

 private:
  std::shared_ptr<sqlite::Database> db_;
  RetryHooks hooks_;
};

}  // namespace mlflow::internal
