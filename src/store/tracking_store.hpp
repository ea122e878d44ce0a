// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The tracking store seam: one implementation per backend (RestTrackingStore,
// SqliteTrackingStore). Methods map one-to-one onto MLflow's tracking RPCs and carry
// already-validated, already-chunked input; validation, batching and paging live in
// MlflowClient above. Every method throws MlflowException subclasses with MLflow's error
// codes, so both stores fail alike. A method a store does not override answers with the
// store's Unserved error (store/unserved.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/param.hpp"
#include "mlflow/run.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/tracking_options.hpp"
#include "store/span.hpp"
#include "store/unserved.hpp"

namespace mlflow::internal {

/// What CreateRun carries on the wire.
struct CreateRunRequest {
  std::string experiment_id;
  std::string user_id;
  std::int64_t start_time = 0;
  std::optional<std::string> run_name;
  std::vector<RunTag> tags;
};

class TrackingStore {
 public:
  /// Serves what a subclass overrides; every other call throws NotImplemented naming it.
  TrackingStore();
  /// Serves nothing: every call throws `why`.
  explicit TrackingStore(Unserved why) : why_(std::move(why)) {}
  virtual ~TrackingStore() = default;

  // Experiments
  virtual std::string create_experiment(const std::string& name,
                                        const std::optional<std::string>& artifact_location,
                                        const std::vector<ExperimentTag>& tags);
  virtual Experiment get_experiment(const std::string& experiment_id);
  /// std::nullopt when no experiment has this name.
  virtual std::optional<Experiment> get_experiment_by_name(const std::string& name);
  virtual PagedList<Experiment> search_experiments(const SearchExperimentsOptions& options);
  virtual void rename_experiment(const std::string& experiment_id, const std::string& new_name);
  virtual void delete_experiment(const std::string& experiment_id);
  virtual void restore_experiment(const std::string& experiment_id);
  virtual void set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag);
  virtual void delete_experiment_tag(const std::string& experiment_id, const std::string& key);

  // Runs
  virtual Run create_run(const CreateRunRequest& request);
  virtual Run get_run(const std::string& run_id);
  /// UpdateRun: only the fields given are changed.
  virtual RunInfo update_run_info(const std::string& run_id, std::optional<RunStatus> status,
                                  std::optional<std::int64_t> end_time,
                                  const std::optional<std::string>& run_name);
  virtual void delete_run(const std::string& run_id);
  virtual void restore_run(const std::string& run_id);
  virtual PagedList<Run> search_runs(const std::vector<std::string>& experiment_ids,
                                     const SearchRunsOptions& options);

  // Logging
  virtual void log_metric(const std::string& run_id, const Metric& metric);
  virtual void log_param(const std::string& run_id, const Param& param);
  virtual void set_tag(const std::string& run_id, const RunTag& tag);
  virtual void delete_tag(const std::string& run_id, const std::string& key);
  /// One request's worth: at most 1000 metrics, 100 params, 100 tags, 1000 items in all.
  virtual void log_batch(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                         Span<RunTag> tags);
  virtual void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                          const std::vector<ModelInput>& models);
  /// One page of a metric's history (points carry no run_id).
  virtual PagedList<Metric> get_metric_history_page(const std::string& run_id,
                                                    const std::string& key, int max_results,
                                                    const std::string& page_token);
  virtual std::vector<Metric> get_metric_history_bulk_interval(
      const std::vector<std::string>& run_ids, const std::string& metric_key,
      const MetricHistoryBulkIntervalOptions& options);

 private:
  Unserved why_;
};

}  // namespace mlflow::internal
