// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// TraceStore over MLflow 3.18's REST API: the v3 trace endpoints (/api/3.0/mlflow/traces...),
// the v2 ones Python still uses (trace tags, delete-traces, link-to-run, link-prompts), and
// OTLP/HTTP (POST /v1/traces, protobuf) for spans. One request per method, shaped as Python's
// RestStore shapes it; see the .cpp for each.

#include <memory>
#include <string>

#include "artifacts/artifact_repository.hpp"
#include "rest/rest_client.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal {

/// Body encoding of span uploads (ADR 0021). Protobuf is the default; JSON exists for the
/// measurement in bench-tracing and for servers that only take JSON through a proxy.
enum class OtlpEncoding { kProtobuf, kJson };

class RestTraceStore : public TraceStore {
 public:
  /// Shares `client`'s configuration and transport (connection pool); `artifacts` serve the
  /// traces.json fallback.
  RestTraceStore(std::shared_ptr<RestClient> client, ArtifactClientContext artifacts,
                 OtlpEncoding encoding = OtlpEncoding::kProtobuf);

  TraceInfo start_trace(const TraceInfo& info) override;
  void log_spans(const std::string& experiment_id, const std::vector<SpanData>& spans) override;
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

  /// The spans of `info`'s traces.json artifact.
  std::vector<SpanData> download_trace_data(const TraceInfo& info) override;

  RestClient& client() noexcept { return *client_; }

 private:
  std::shared_ptr<RestClient> client_;
  ArtifactClientContext artifacts_;
  OtlpEncoding encoding_;
};

}  // namespace mlflow::internal
