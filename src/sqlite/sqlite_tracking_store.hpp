// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The embedded tracking store behind `sqlite:///path.db` URIs. It reads and writes MLflow
// 3.18's own SQL schema, so `mlflow ui` opened on the same file shows what C++ wrote, and the
// semantics (ids, latest_metrics, soft deletion, error codes) are those of MLflow's SQL store.

#include <memory>
#include <string>

#include "sqlite/database.hpp"
#include "sqlite/sqlite_logged_model_store.hpp"
#include "store/logged_model_store.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

/// Runs, experiments, metrics, params, tags and inputs on a sqlite::Database shared with the
/// other stores of the URI (sqlite_backend.hpp builds them). Every write call is one
/// transaction; reads see one snapshot.
class SqliteTrackingStore : public TrackingStore, public LoggedModelStore {
 public:
  explicit SqliteTrackingStore(std::shared_ptr<sqlite::Database> db);
  /// A store on a database of its own: `db_path` is ":memory:" or a file path, and new
  /// experiments get `<artifact_root>/<id>` (tests and tools).
  SqliteTrackingStore(const std::string& db_path, std::string artifact_root);
  ~SqliteTrackingStore() override;

  std::string create_experiment(const std::string& name,
                                const std::optional<std::string>& artifact_location,
                                const std::vector<ExperimentTag>& tags) override;
  Experiment get_experiment(const std::string& experiment_id) override;
  std::optional<Experiment> get_experiment_by_name(const std::string& name) override;
  PagedList<Experiment> search_experiments(const SearchExperimentsOptions& options) override;
  void rename_experiment(const std::string& experiment_id, const std::string& new_name) override;
  void delete_experiment(const std::string& experiment_id) override;
  void restore_experiment(const std::string& experiment_id) override;
  void set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) override;
  void delete_experiment_tag(const std::string& experiment_id, const std::string& key) override;

  Run create_run(const CreateRunRequest& request) override;
  Run get_run(const std::string& run_id) override;
  RunInfo update_run_info(const std::string& run_id, std::optional<RunStatus> status,
                          std::optional<std::int64_t> end_time,
                          const std::optional<std::string>& run_name) override;
  void delete_run(const std::string& run_id) override;
  void restore_run(const std::string& run_id) override;
  PagedList<Run> search_runs(const std::vector<std::string>& experiment_ids,
                             const SearchRunsOptions& options) override;

  void log_metric(const std::string& run_id, const Metric& metric) override;
  void log_param(const std::string& run_id, const Param& param) override;
  void set_tag(const std::string& run_id, const RunTag& tag) override;
  void delete_tag(const std::string& run_id, const std::string& key) override;
  void log_batch(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                 Span<RunTag> tags) override;
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                  const std::vector<ModelInput>& models) override;
  PagedList<Metric> get_metric_history_page(const std::string& run_id, const std::string& key,
                                            int max_results,
                                            const std::string& page_token) override;
  std::vector<Metric> get_metric_history_bulk_interval(
      const std::vector<std::string>& run_ids, const std::string& metric_key,
      const MetricHistoryBulkIntervalOptions& options) override;

  const std::shared_ptr<sqlite::Database>& database() const noexcept { return db_; }

  // Transitional, until the client takes the logged-model store from make_sqlite_stores
  // (branch `backend`): the client finds logged models on its tracking store, so this store
  // answers for them by handing each call to a SqliteLoggedModelStore on the same database.
  LoggedModel create_logged_model(const CreateLoggedModelRequest& request) override;
  void log_logged_model_params(const std::string& model_id, const KeyValues& params) override;
  LoggedModel get_logged_model(const std::string& model_id, bool allow_deleted) override;
  void delete_logged_model(const std::string& model_id) override;
  LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status) override;
  void set_logged_model_tags(const std::string& model_id, const KeyValues& tags) override;
  void delete_logged_model_tag(const std::string& model_id, const std::string& key) override;
  PagedList<LoggedModel> search_logged_models(const std::vector<std::string>& experiment_ids,
                                              const SearchLoggedModelsOptions& options) override;
  void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) override;

 private:
  std::shared_ptr<sqlite::Database> db_;
  SqliteLoggedModelStore logged_models_;
};

}  // namespace mlflow::internal
