// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The prompt marker (tag `mlflow.prompt.is_prompt`) and the refusals that keep model-registry
// calls off prompts, as Python MLflow 3.18's MlflowClient makes them (has_prompt_tag,
// _raise_if_prompt, _model_not_found in mlflow/tracking/client.py): client-side, so both stores
// refuse alike.

#include <map>
#include <string>

namespace mlflow::internal {

class RegistryStore;

/// Python's has_prompt_tag: the marker key is present, whatever its value.
bool has_prompt_tag(const std::map<std::string, std::string>& tags);
/// RESOURCE_DOES_NOT_EXIST "Registered Model with name='<name>' not found." (a prompt is not a
/// registered model to the registry API).
[[noreturn]] void throw_model_not_found(const std::string& name);
/// Python's _raise_if_prompt: reads the registered model (one round trip; a missing model fails
/// here with the store's own error) and refuses a prompt as if it did not exist.
void raise_if_prompt(RegistryStore& store, const std::string& name);

}  // namespace mlflow::internal
