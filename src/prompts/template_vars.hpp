// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The double-brace template language of MLflow prompts (mlflow/prompt/constants.py and
// mlflow/genai/prompts/utils.py): `{{ name }}` or `{{ a.b }}` with optional whitespace, where
// whitespace is Python's str.isspace().

#include <set>
#include <string>

#include "mlflow/prompt_value.hpp"

namespace mlflow::internal::prompts {

/// findall of PROMPT_TEMPLATE_VARIABLE_PATTERN over `text`.
std::set<std::string> find_variables(const std::string& text);
/// format_prompt(text, **values): every `{{ key }}` of a supplied key replaced by str(value) in
/// one pass (text inserted for one variable is never read as a placeholder).
std::string substitute(const std::string& text, const PromptValues& values);
/// `{{ var }}` -> `{var}` for each of `variables`.
std::string to_single_brace(const std::string& text, const std::set<std::string>& variables);

}  // namespace mlflow::internal::prompts
