// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// TrackingStore over MLflow's REST API (api/2.0/mlflow). One HTTP request per method, shaped
// exactly as MLflow's Python client shapes it (see docs of each method in the .cpp);
// validation, chunking and paging live in MlflowClient above.

#include <memory>

#include "core/config.hpp"
#include "rest/rest_client.hpp"
#include "store/logged_model_store.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

class RestTrackingStore : public TrackingStore, public LoggedModelStore {
 public:
  /// `transport` defaults to make_curl_transport(config's TLS settings, "mlflow-cpp/<ver>").
  explicit RestTrackingStore(const ResolvedConfig& config,
                             std::shared_ptr<HttpTransport> transport = nullptr,
                             RetryHooks hooks = default_retry_hooks());
  /// On a RestClient shared with the backend's other REST stores (rest/rest_backend.hpp).
  explicit RestTrackingStore(std::shared_ptr<RestClient> client);

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

  // Logged models (MLflow 3): src/rest/rest_logged_model_store.cpp.
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
  std::shared_ptr<RestClient> shared_client_;
  RestClient& client_;  // *shared_client_
};

}  // namespace mlflow::internal
