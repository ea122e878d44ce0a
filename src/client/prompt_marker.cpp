// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/prompt_marker.hpp"

#include "client/registry_validation.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "store/registry_store.hpp"

namespace mlflow::internal {

bool has_prompt_tag(const std::map<std::string, std::string>& tags) {
  return tags.count(kIsPromptTag) != 0;
}

void throw_model_not_found(const std::string& name) {
  throw_error(ErrorCode::kResourceDoesNotExist,
              "Registered Model with name=" + python_repr(name) + " not found.");
}

void raise_if_prompt(RegistryStore& store, const std::string& name) {
  if (has_prompt_tag(store.get_registered_model(name).tags)) throw_model_not_found(name);
}

}  // namespace mlflow::internal
