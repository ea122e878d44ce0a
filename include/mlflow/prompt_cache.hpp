// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// PromptCache: the process-wide, thread-safe cache behind MlflowClient::load_prompt, with
/// Python MLflow 3.18's TTL rules: alias URIs (`prompts:/name@alias`, including `@latest`)
/// live MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS (default 60 s), version URIs
/// (`prompts:/name/3`) MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS (default: forever); a TTL of 0
/// turns caching off.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "mlflow/prompt.hpp"

namespace mlflow {

class PromptCache {
 public:
  /// The process-wide instance.
  static PromptCache& instance();

  /// The TTL load_prompt uses for `uri` when the call gives none: the environment variable of
  /// its kind, read at each call (as Python reads it), or its default. std::nullopt means no
  /// expiry. Throws InvalidArgument for a negative or unparsable value.
  static std::optional<std::chrono::duration<double>> default_ttl(const PromptUri& uri);

  /// The cached version for (registry, workspace, uri), if present and not expired.
  std::optional<PromptVersion> get(const std::string& registry, const std::string& workspace,
                                   const PromptUri& uri);
  /// Stores a version; `ttl` std::nullopt = no expiry.
  void set(const std::string& registry, const std::string& workspace, const PromptUri& uri,
           PromptVersion value, std::optional<std::chrono::duration<double>> ttl);
  /// Forgets one entry (e.g. `name@latest` after a new version is registered).
  void erase(const std::string& registry, const std::string& workspace, const PromptUri& uri);
  /// Forgets every entry of a prompt name.
  void erase_all(const std::string& registry, const std::string& workspace,
                 const std::string& name);
  void clear();
  std::size_t size() const;

  PromptCache();
  ~PromptCache();
  PromptCache(const PromptCache&) = delete;
  PromptCache& operator=(const PromptCache&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlflow
