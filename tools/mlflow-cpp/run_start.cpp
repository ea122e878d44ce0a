// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "run_start.hpp"

#include <cstdlib>

#include "mlflow/fluent.hpp"

namespace mlflow_cli {

mlflow::ActiveRun start_run(Context& context, const RunStart& start) {
  if (!context.options.tracking_uri.empty()) mlflow::set_tracking_uri(context.options.tracking_uri);
  ::unsetenv("MLFLOW_RUN_ID");
  mlflow::StartRunOptions options;
  options.experiment_id = start.experiment_id;
  options.run_name = start.run_name;
  options.description = start.description;
  options.parent_run_id = start.parent_run_id;
  options.tags = start.tags;
  options.log_system_metrics = start.log_system_metrics;
  return mlflow::start_run(options);
}

mlflow::Run create_run(Context& context, const RunStart& start) {
  std::map<std::string, std::string> tags = start.tags;
  // The tags start_run sets from its options (user tags win over them, as there).
  if (start.description) tags.emplace("mlflow.note.content", *start.description);
  if (start.parent_run_id) tags.emplace("mlflow.parentRunId", *start.parent_run_id);
  if (start.run_name) tags.emplace("mlflow.runName", *start.run_name);
  mlflow::CreateRunOptions options;
  options.tags = mlflow::resolve_tags(tags);
  options.run_name = start.run_name;
  return context.client().create_run(start.experiment_id, options);
}

}  // namespace mlflow_cli
