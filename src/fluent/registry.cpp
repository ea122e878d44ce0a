// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent model-registry and prompt functions (Python's mlflow.register_model,
// mlflow.search_registered_models, mlflow.genai.load_prompt, ...): thin calls of
// default_client(), whose registry store follows set_registry_uri / MLFLOW_REGISTRY_URI.

#include "mlflow/fluent.hpp"
#include "tracing/provider.hpp"

namespace mlflow {

ModelVersion register_model(const std::string& model_uri, const std::string& name,
                            const RegisterModelOptions& options) {
  return default_client().register_model(model_uri, name, options);
}

std::vector<RegisteredModel> search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  return default_client().search_registered_models_all(options).to_vector();
}

std::vector<ModelVersion> search_model_versions(const SearchModelVersionsOptions& options) {
  return default_client().search_model_versions_all(options).to_vector();
}

void set_model_version_tag(const std::string& name, const std::string& version,
                           const std::string& key, const std::string& value) {
  default_client().set_model_version_tag(name, version, key, value);
}

PromptVersion register_prompt(const std::string& name, const std::string& template_text,
                              const RegisterPromptOptions& options) {
  return default_client().register_prompt(name, template_text, options);
}

PromptVersion register_prompt(const std::string& name, const std::vector<ChatMessage>& messages,
                              const RegisterPromptOptions& options) {
  return default_client().register_prompt(name, messages, options);
}

std::optional<PromptVersion> load_prompt(const std::string& name_or_uri,
                                         const LoadPromptOptions& options) {
  std::optional<PromptVersion> prompt = default_client().load_prompt(name_or_uri, options);
  // Python links a prompt loaded inside a trace to it (mlflow.linkedPrompts).
  if (prompt)
    internal::tracing::on_prompt_loaded(prompt->name(), std::to_string(prompt->version()));
  return prompt;
}

std::vector<Prompt> search_prompts(const SearchPromptsOptions& options) {
  return default_client().search_prompts_all(options).to_vector();
}

void set_prompt_alias(const std::string& name, const std::string& alias, int version) {
  default_client().set_prompt_alias(name, alias, version);
}

void delete_prompt_alias(const std::string& name, const std::string& alias) {
  default_client().delete_prompt_alias(name, alias);
}

}  // namespace mlflow
