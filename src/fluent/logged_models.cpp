// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Fluent logged-model functions, as mlflow.initialize_logged_model / finalize_logged_model
// (mlflow/tracking/fluent.py in 3.18).
#include "fluent/active_model.hpp"
#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {

LoggedModel initialize_logged_model(const CreateLoggedModelOptions& options,
                                    const std::optional<std::string>& experiment_id) {
  const std::optional<Run> run = active_run();
  CreateLoggedModelOptions create = options;
  if (!create.source_run_id && run) create.source_run_id = run->info.run_id;
  MlflowClient client = default_client();
  std::string experiment;
  if (experiment_id) {
    experiment = *experiment_id;
  } else if (run) {
    experiment = run->info.experiment_id;
  } else {
    // Python's _get_experiment_id(): set_experiment's, else the environment's, else "0"
    // (never empty, so the source run's experiment is not consulted).
    experiment = internal::resolve_experiment_id();
  }
  std::map<std::string, std::string> tags = internal::context_tags();
  for (const auto& [key, value] : options.tags) tags[key] = value;  // user tags win
  create.tags = std::move(tags);
  LoggedModel model = client.create_logged_model(experiment, create);
  internal::set_last_logged_model_id(model.model_id);
  return model;
}

LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status) {
  return default_client().finalize_logged_model(model_id, status);
}

}  // namespace mlflow
