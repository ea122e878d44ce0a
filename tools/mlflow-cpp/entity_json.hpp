// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The `--json` shapes of the SDK's entities. Field names are Python's: an experiment as
// `dict(experiment)`, a run as `run.to_dictionary()` (what `mlflow runs describe` prints), so
// scripts written against the Python CLI read ours.

#include <vector>

#include "mlflow/experiment.hpp"
#include "mlflow/file_info.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/model_version.hpp"
#include "mlflow/prompt.hpp"
#include "mlflow/registered_model.hpp"
#include "mlflow/run.hpp"
#include "mlflow/trace.hpp"

namespace mlflow_cli {

mlflow::JsonValue experiment_json(const mlflow::Experiment& experiment);
mlflow::JsonValue run_info_json(const mlflow::RunInfo& info);
mlflow::JsonValue run_json(const mlflow::Run& run);
mlflow::JsonValue metric_json(const mlflow::Metric& metric);
mlflow::JsonValue file_info_json(const mlflow::FileInfo& file);
mlflow::JsonValue model_version_json(const mlflow::ModelVersion& version);
mlflow::JsonValue registered_model_json(const mlflow::RegisteredModel& model);
mlflow::JsonValue prompt_json(const mlflow::Prompt& prompt);
mlflow::JsonValue prompt_version_json(const mlflow::PromptVersion& version);
mlflow::JsonValue trace_info_json(const mlflow::TraceInfo& info);
mlflow::JsonValue trace_json(const mlflow::Trace& trace);

/// A list of entities as a JSON array, through one of the functions above.
template <typename T, typename F>
mlflow::JsonValue json_array(const std::vector<T>& items, F to_json) {
  mlflow::JsonValue out = mlflow::JsonValue::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace mlflow_cli
