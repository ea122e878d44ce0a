// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Prompts linked to experiments, as Python MLflow 3.18 links them
// (MlflowClient._link_prompt_to_experiment): register_prompt, and a load_prompt that reads the
// registry, add the current experiment's id to the prompt's tag `_mlflow_experiment_ids`
// (",1,5,": ids joined by commas, with a comma before and after, so that the UI's Prompts tab
// and search_prompts' `experiment_id = 'N'` filter, a LIKE '%,N,%', find it).

#include <map>
#include <optional>
#include <string>

namespace mlflow::internal {

class RegistryStore;

/// The tag key.
inline constexpr const char* kPromptExperimentIdsTag = "_mlflow_experiment_ids";

/// The tag's new value with `experiment_id` added to `existing` (Python's parsing: outer commas
/// stripped, items trimmed, empty ones dropped), or std::nullopt when it is already listed.
std::optional<std::string> add_experiment_id(const std::string& existing,
                                             const std::string& experiment_id);

/// Links prompt `name` to the current experiment (Python's _get_experiment_id: set_experiment's
/// id, else MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_ID, else "0"). `prompt_tags` are the
/// prompt's tags when the caller has just read them (else they are read: one round trip); at
/// most one more call sets the tag. Never throws: as in Python, a failure is logged as a
/// warning and the prompt call that triggered it succeeds.
void link_prompt_to_current_experiment(RegistryStore& store, const std::string& name,
                                       const std::map<std::string, std::string>* prompt_tags);

}  // namespace mlflow::internal
