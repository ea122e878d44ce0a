// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Client-side validation with the rules and wording of MLflow's server
// (mlflow/utils/validation.py in 3.18), so bad input fails before any request is sent and
// fails the same way on both stores.

#include <cstdint>
#include <string>
#include <vector>

#include "core/mlflow_limits.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"

namespace mlflow::internal {

/// Metric, param and tag keys: characters, path rule, length. `path` names the field in the
/// message (e.g. "metrics[3].name").
void validate_metric_key(const std::string& key, const std::string& path = "name");
void validate_param_key(const std::string& key, const std::string& path = "key");
void validate_tag_key(const std::string& key, const std::string& path = "key");

/// Checks the key; returns the value truncated to 6000 / 8000 characters (with a warning in the
/// log), as MLflow does while MLFLOW_TRUNCATE_LONG_VALUES is true (the default); throws when it
/// is false and the value is too long.
Param validate_param(const Param& param, const std::string& path = "");
RunTag validate_tag(const RunTag& tag, const std::string& path = "");
void validate_metric(const Metric& metric, const std::string& path = "");
void validate_experiment_tag(const ExperimentTag& tag);
void validate_experiment_name(const std::string& name);
/// Experiment ids are decimal integers in MLflow's SQL stores.
void validate_experiment_id(const std::string& experiment_id);
/// 1 alphanumeric then up to 255 of [A-Za-z0-9_-].
void validate_run_id(const std::string& run_id, const std::string& path = "run_id");
void validate_max_results(std::int64_t max_results, std::int64_t limit = kMaxSearchResults);
void validate_dataset_input(const DatasetInput& input, const std::string& path);
/// No duplicate keys among params of one log_batch.
void validate_param_keys_unique(const std::vector<Param>& params);

}  // namespace mlflow::internal
