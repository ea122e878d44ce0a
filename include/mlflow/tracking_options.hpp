// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Optional arguments of MlflowClient's tracking calls, as aggregates (Python's keyword
/// arguments): `client.log_metric(run_id, "loss", 0.3, {.step = 7});` in C++20, or set fields
/// by name in C++17.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/run_status.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow {

/// create_experiment(name, artifact_location=None, tags=None)
struct CreateExperimentOptions {
  std::optional<std::string> artifact_location{};
  std::map<std::string, std::string> tags{};
};

/// search_experiments(view_type, max_results, filter_string, order_by, page_token)
struct SearchExperimentsOptions {
  ViewType view_type = ViewType::kActiveOnly;
  /// 1..50000; Python's default is 1000.
  std::int64_t max_results = 1000;
  std::string filter_string{};
  std::vector<std::string> order_by{};
  std::string page_token{};
};

/// create_run(experiment_id, start_time=None, tags=None, run_name=None)
struct CreateRunOptions {
  /// Milliseconds since the epoch; now when absent.
  std::optional<std::int64_t> start_time{};
  std::map<std::string, std::string> tags{};
  std::optional<std::string> run_name{};
};

/// update_run(run_id, status=None, name=None)
struct UpdateRunOptions {
  std::optional<RunStatus> status{};
  std::optional<std::string> name{};
};

/// set_terminated(run_id, status=None, end_time=None)
struct SetTerminatedOptions {
  RunStatus status = RunStatus::kFinished;
  /// Milliseconds since the epoch; now when absent.
  std::optional<std::int64_t> end_time{};
};

/// search_runs(experiment_ids, filter_string, run_view_type, max_results, order_by, page_token)
struct SearchRunsOptions {
  std::string filter_string{};
  ViewType run_view_type = ViewType::kActiveOnly;
  /// 1..50000; Python's default is 1000.
  int max_results = 1000;
  std::vector<std::string> order_by{};
  std::string page_token{};
};

/// log_metric(run_id, key, value, timestamp=None, step=None, model_id=None, dataset_name,
/// dataset_digest)
struct LogMetricOptions {
  /// Milliseconds since the epoch; now when absent.
  std::optional<std::int64_t> timestamp{};
  std::int64_t step = 0;
  std::optional<std::string> model_id{};
  std::optional<std::string> dataset_name{};
  std::optional<std::string> dataset_digest{};
  /// false: queue the point for the client's asynchronous logger and return at once; true:
  /// send it now; absent: asynchronous when ClientOptions::async_logging (else
  /// MLFLOW_ENABLE_ASYNC_LOGGING, read when the client is created) is true. See
  /// docs/adr/0012-async-logging.md.
  std::optional<bool> synchronous{};
};

/// log_param(run_id, key, value, synchronous=None)
struct LogParamOptions {
  /// As LogMetricOptions::synchronous.
  std::optional<bool> synchronous{};
};

/// set_tag(run_id, key, value, synchronous=None)
struct SetTagOptions {
  /// As LogMetricOptions::synchronous.
  std::optional<bool> synchronous{};
};

/// log_batch(run_id, metrics, params, tags, synchronous=None)
struct LogBatchOptions {
  /// As LogMetricOptions::synchronous.
  std::optional<bool> synchronous{};
};

/// get_metric_history_bulk_interval(run_ids, metric_key, start_step, end_step, max_results)
struct MetricHistoryBulkIntervalOptions {
  /// Give both or neither; start_step <= end_step.
  std::optional<int> start_step{};
  std::optional<int> end_step{};
  /// 1..2500.
  int max_results = 2500;
};

}  // namespace mlflow
