// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The trace seam's defaults: a backend without a trace store answers every trace call with one
// error saying how to get one.
#include "store/trace_store.hpp"

namespace mlflow::internal {

TraceStore::TraceStore()
    : why_(ErrorCode::kNotImplemented,
           "this MlflowClient keeps no traces: build it from a tracking URI (http://, https://, "
           "sqlite:///...).") {}

TraceInfo TraceStore::start_trace(const TraceInfo&) { why_.raise("start_trace"); }
void TraceStore::log_spans(const std::string&, const std::vector<SpanData>&) {
  why_.raise("log_spans");
}
void TraceStore::upload_trace_data(const TraceInfo&, const std::vector<SpanData>&) {
  why_.raise("upload_trace_data");
}
std::vector<SpanData> TraceStore::download_trace_data(const TraceInfo& info) {
  return get_trace(info.trace_id, /*allow_partial=*/true).data.spans;
}
TraceInfo TraceStore::get_trace_info(const std::string&) { why_.raise("get_trace_info"); }
Trace TraceStore::get_trace(const std::string&, bool) { why_.raise("get_trace"); }
std::vector<Trace> TraceStore::batch_get_traces(const std::vector<std::string>&) {
  why_.raise("batch_get_traces");
}
PagedList<TraceInfo> TraceStore::search_traces(const std::vector<std::string>&, const std::string&,
                                               int, const std::vector<std::string>&,
                                               const std::string&) {
  why_.raise("search_traces");
}
void TraceStore::set_trace_tag(const std::string&, const std::string&, const std::string&) {
  why_.raise("set_trace_tag");
}
void TraceStore::delete_trace_tag(const std::string&, const std::string&) {
  why_.raise("delete_trace_tag");
}
int TraceStore::delete_traces(const std::string&, std::optional<std::int64_t>, std::optional<int>,
                              const std::vector<std::string>&) {
  why_.raise("delete_traces");
}
void TraceStore::link_traces_to_run(const std::vector<std::string>&, const std::string&) {
  why_.raise("link_traces_to_run");
}
void TraceStore::link_prompts_to_trace(const std::string&, const std::vector<PromptVersionRef>&) {
  why_.raise("link_prompts_to_trace");
}
Assessment TraceStore::create_assessment(const Assessment&) { why_.raise("create_assessment"); }
Assessment TraceStore::get_assessment(const std::string&, const std::string&) {
  why_.raise("get_assessment");
}
Assessment TraceStore::update_assessment(const std::string&, const std::string&,
                                         const AssessmentUpdate&) {
  why_.raise("update_assessment");
}
void TraceStore::delete_assessment(const std::string&, const std::string&) {
  why_.raise("delete_assessment");
}

}  // namespace mlflow::internal
