// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Application versions (MLflow 3): the active model that traces are linked to
/// (`mlflow.modelId` metadata), external models, and the fluent logged-model functions of
/// Python's `mlflow` module that work on the default client.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/logged_model.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/run.hpp"

namespace mlflow {

/// Python's mlflow.set_active_model(name=..., model_id=...): by id (the model must exist; a
/// given name must match it), or by name (the newest model of that name in the active
/// experiment, created as an external model when there is none). Makes it this thread's active
/// model and returns it. Throws InvalidArgument when neither is given.
LoggedModel set_active_model(const std::optional<std::string>& name = std::nullopt,
                             const std::optional<std::string>& model_id = std::nullopt);
/// Python's mlflow.clear_active_model (this thread; MLFLOW_ACTIVE_MODEL_ID no longer applies).
void clear_active_model();
/// Python's mlflow.get_active_model_id: this thread's active model, else MLFLOW_ACTIVE_MODEL_ID
/// (or the legacy _MLFLOW_ACTIVE_MODEL_ID), else std::nullopt.
std::optional<std::string> get_active_model_id();

/// Python's mlflow.create_external_model: a model whose artifacts live outside MLflow, READY at
/// once (tag mlflow.model.isExternal / an MLmodel file marking it external), in the active
/// run's or the active experiment.
LoggedModel create_external_model(const CreateLoggedModelOptions& options = {},
                                  const std::optional<std::string>& experiment_id = std::nullopt);
/// Python's mlflow.last_logged_model: the model most recently created by this process through
/// the fluent API (initialize_logged_model, create_external_model, log_model), or std::nullopt.
std::optional<LoggedModel> last_logged_model();

/// The fluent forms of MlflowClient's logged-model calls, on the default client.
LoggedModel get_logged_model(const std::string& model_id);
/// Python's mlflow.search_logged_models: experiment_ids default to the active experiment.
std::vector<LoggedModel> search_logged_models(const SearchLoggedModelsOptions& options = {},
                                              std::vector<std::string> experiment_ids = {});
void set_logged_model_tags(const std::string& model_id,
                           const std::map<std::string, std::string>& tags);
void delete_logged_model_tag(const std::string& model_id, const std::string& key);
/// Python's mlflow.log_model_params(params, model_id): the active model when model_id is unset.
void log_model_params(const std::map<std::string, std::string>& params,
                      const std::optional<std::string>& model_id = std::nullopt);
/// Python's mlflow.log_outputs: on this thread's active run (one is started when there is
/// none, as Python).
void log_outputs(const std::vector<ModelOutput>& models);

}  // namespace mlflow
