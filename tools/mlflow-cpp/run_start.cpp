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

}  // namespace mlflow_cli
