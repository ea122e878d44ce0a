// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Starting a run the way Python's mlflow.start_run does (context tags: user, source, git), for
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

/// A new RUNNING run, active in this process until ended (for `run -- CMD`, which ends it
/// before exiting). MLFLOW_RUN_ID is not resumed (the fluent API would): it always creates.
mlflow::ActiveRun start_run(Context& context, const RunStart& start);

/// A new RUNNING run with the same tags, not active in this process: it stays RUNNING after
/// the process exits (the fluent API ends its active runs at exit).
mlflow::Run create_run(Context& context, const RunStart& start);

}  // namespace mlflow_cli
