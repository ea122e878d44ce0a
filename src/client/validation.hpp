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

/// Python's _validate_length_limit: more than `limit` code points (Python's len()) throws
/// "'<entity>' exceeds the maximum length of <limit> characters".
void validate_length_limit(const std::string& entity, std::size_t limit, const std::string& value);

/// Metric, param and tag keys: characters, path rule, length. `path` names the field in the
/// message (e.g. "metrics[3].name").
void validate_metric_key(const std::string& key, const std::string& path = "name");
void validate_param_key(const std::string& key, const std::string& path = "key");
void validate_tag_key(const std::string& key, const std::string& path = "key");

/// Checks that key and value are valid UTF-8 (naming the field and byte offset), then the key;
/// returns the value truncated to 6000 / 8000 characters (code points, as Python's value[:n],
/// with a warning in the log), as MLflow does while MLFLOW_TRUNCATE_LONG_VALUES is true (the
/// default); throws when it is false and the value is too long. Every validate_* below that
/// takes text refuses invalid UTF-8 first: Python cannot hold it, and stored it would break
/// Python's readers and the UI.
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
