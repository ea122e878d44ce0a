// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Run, RunInfo, RunData, RunInputs and RunOutputs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/dataset.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/run_status.hpp"

namespace mlflow {

/// Run metadata.
struct RunInfo {
  std::string run_id{};
  std::string experiment_id{};
  std::string run_name{};
  std::string user_id{};
  RunStatus status = RunStatus::kRunning;
  /// Milliseconds since the epoch.
  std::int64_t start_time = 0;
  /// Absent while the run has not ended.
  std::optional<std::int64_t> end_time = std::nullopt;
  std::string artifact_uri{};
  /// "active" or "deleted".
  std::string lifecycle_stage{};
};

/// A run's logged data. Like Python's RunData: `metrics` maps each key to its **latest**
/// value; `latest_metrics` keeps the full points (timestamp and step) of those values.
struct RunData {
  std::map<std::string, double> metrics{};
  std::map<std::string, std::string> params{};
  std::map<std::string, std::string> tags{};
  std::vector<Metric> latest_metrics{};
};

/// A logged model a run consumed.
struct ModelInput {
  std::string model_id{};
};
/// A logged model a run produced, at a step.
struct ModelOutput {
  std::string model_id{};
  std::int64_t step = 0;
};

/// What the run used.
struct RunInputs {
  std::vector<DatasetInput> dataset_inputs{};
  std::vector<ModelInput> model_inputs{};
};
/// What the run produced.
struct RunOutputs {
  std::vector<ModelOutput> model_outputs{};
};

/// A run: metadata, data, inputs and outputs.
struct Run {
  RunInfo info{};
  RunData data{};
  RunInputs inputs{};
  RunOutputs outputs{};
};

}  // namespace mlflow
