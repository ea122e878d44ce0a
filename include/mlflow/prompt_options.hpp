// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Options of MlflowClient's prompt registry calls (Python's keyword arguments).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/prompt.hpp"

namespace mlflow {

struct RegisterPromptOptions {
  /// Stored as the version's description; also the prompt's description when this call
  /// creates the prompt.
  std::optional<std::string> commit_message{};
  /// Set on the prompt (overwriting same keys) and on the new version.
  std::map<std::string, std::string> tags{};
  /// A JSON object (JSON schema) for structured output; an empty object is not stored.
  std::optional<std::string> response_format{};
  std::optional<PromptModelConfig> model_config{};
};

struct LoadPromptOptions {
  /// Load this version of a prompt given by name (not allowed with a prompts:/ URI).
  std::optional<int> version{};
  /// Return std::nullopt instead of throwing when the prompt, version or alias is missing.
  bool allow_missing = false;
  /// Cache lifetime for this call; std::nullopt = MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS (60 s)
  /// for alias URIs, MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS (forever) for versions; 0 = do
  /// not use the cache.
  std::optional<double> cache_ttl_seconds{};
};

struct SearchPromptsOptions {
  /// A registered-model filter (`name LIKE 'greet%'`, `tags.team = 'a'`), plus Python's
  /// `experiment_id = "N"` shortcut.
  std::string filter_string{};
  /// Python's client default (the server's maximum).
  int max_results = 1000;
  std::vector<std::string> order_by{};
  std::string page_token{};
};

struct SearchPromptVersionsOptions {
  int max_results = 100;
  std::string page_token{};
};

}  // namespace mlflow
