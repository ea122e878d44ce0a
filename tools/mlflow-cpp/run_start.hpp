// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Starting a run the way Python's mlflow.start_run does (context tags: user, source), for
// `runs create` and `run -- CMD`.

#include <map>
#include <optional>
#include <string>

#include "context.hpp"
#include "mlflow/active_run.hpp"

namespace mlflow_cli {

struct RunStart {
  std::string experiment_id;
  std::optional<std::string> run_name;
  std::optional<std::string> description;
  std::optional<std::string> parent_run_id;
  std::map<std::string, std::string> tags;
  bool log_system_metrics = false;
};

/// A new RUNNING run on the context's tracking URI. MLFLOW_RUN_ID is not resumed (the fluent
/// API would): these commands always create a run.
mlflow::ActiveRun start_run(Context& context, const RunStart& start);

}  // namespace mlflow_cli
