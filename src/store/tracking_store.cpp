// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The tracking seam's defaults: a store (a custom one, a test double) that does not override
// a method answers NotImplemented naming it.
#include "store/tracking_store.hpp"

namespace mlflow::internal {

TrackingStore::TrackingStore()
    : why_(ErrorCode::kNotImplemented, "not implemented by this tracking store.") {}

std::string TrackingStore::create_experiment(const std::string&, const std::optional<std::string>&,
                                             const std::vector<ExperimentTag>&) {
  why_.raise("create_experiment");
}
Experiment TrackingStore::get_experiment(const std::string&) { why_.raise("get_experiment"); }
std::optional<Experiment> TrackingStore::get_experiment_by_name(const std::string&) {
  why_.raise("get_experiment_by_name");
}
PagedList<Experiment> TrackingStore::search_experiments(const SearchExperimentsOptions&) {
  why_.raise("search_experiments");
}
void TrackingStore::rename_experiment(const std::string&, const std::string&) {
  why_.raise("rename_experiment");
}
void TrackingStore::delete_experiment(const std::string&) { why_.raise("delete_experiment"); }
void TrackingStore::restore_experiment(const std::string&) { why_.raise("restore_experiment"); }
void TrackingStore::set_experiment_tag(const std::string&, const ExperimentTag&) {
  why_.raise("set_experiment_tag");
}
void TrackingStore::delete_experiment_tag(const std::string&, const std::string&) {
  why_.raise("delete_experiment_tag");
}
Run TrackingStore::create_run(const CreateRunRequest&) { why_.raise("create_run"); }
Run TrackingStore::get_run(const std::string&) { why_.raise("get_run"); }
RunInfo TrackingStore::update_run_info(const std::string&, std::optional<RunStatus>,
                                       std::optional<std::int64_t>,
                                       const std::optional<std::string>&) {
  why_.raise("update_run_info");
}
void TrackingStore::delete_run(const std::string&) { why_.raise("delete_run"); }
void TrackingStore::restore_run(const std::string&) { why_.raise("restore_run"); }
PagedList<Run> TrackingStore::search_runs(const std::vector<std::string>&,
                                          const SearchRunsOptions&) {
  why_.raise("search_runs");
}
void TrackingStore::log_metric(const std::string&, const Metric&) { why_.raise("log_metric"); }
void TrackingStore::log_param(const std::string&, const Param&) { why_.raise("log_param"); }
void TrackingStore::set_tag(const std::string&, const RunTag&) { why_.raise("set_tag"); }
void TrackingStore::delete_tag(const std::string&, const std::string&) { why_.raise("delete_tag"); }
void TrackingStore::log_batch(const std::string&, Span<Metric>, Span<Param>, Span<RunTag>) {
  why_.raise("log_batch");
}
void TrackingStore::log_inputs(const std::string&, const std::vector<DatasetInput>&,
                               const std::vector<ModelInput>&) {
  why_.raise("log_inputs");
}
PagedList<Metric> TrackingStore::get_metric_history_page(const std::string&, const std::string&,
                                                         int, const std::string&) {
  why_.raise("get_metric_history_page");
}
std::vector<Metric> TrackingStore::get_metric_history_bulk_interval(
    const std::vector<std::string>&, const std::string&, const MetricHistoryBulkIntervalOptions&) {
  why_.raise("get_metric_history_bulk_interval");
}

}  // namespace mlflow::internal
