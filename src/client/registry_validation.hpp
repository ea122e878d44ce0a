// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Client-side validation of model registry input with the rules and wording of MLflow 3.18's
// server (mlflow/utils/validation.py), so both stores refuse bad input alike and before any
// request is sent.

#include <cstddef>
#include <string>

namespace mlflow::internal {

inline constexpr std::size_t kMaxRegistryTagKeyLength = 250;
inline constexpr std::size_t kMaxRegistryTagValueLength = 100000;
inline constexpr std::size_t kMaxAliasLength = 255;
inline constexpr int kMaxSearchRegisteredModels = 1000;
inline constexpr int kMaxSearchModelVersions = 200000;
/// The tag that marks a registered model or version as a prompt.
inline constexpr const char* kIsPromptTag = "mlflow.prompt.is_prompt";

/// Non-blank, no '/' or ':', must not resolve to another path name.
void validate_model_name(const std::string& name, const std::string& field = "name");
/// A decimal integer (Python's int()); throws "Parameter 'version' must be an integer...".
void validate_model_version(const std::string& version);
/// Key characters and length, value length (100 000).
void validate_registry_tag(const std::string& key, const std::string& value);
void validate_registry_tag_key(const std::string& key);
/// Letters, digits, '_', '-'; at most 255 characters; non-empty.
void validate_alias_name(const std::string& alias);
/// `latest` (any case) and `v<digits>` may not be set.
void validate_alias_not_reserved(const std::string& alias);
/// 1..limit, with the server's message (page sizes of the lazy ranges).
void validate_registry_max_results(int max_results, int limit);
/// At most `limit` (search_registered_models: Python's stores take 0 and negative sizes).
void validate_max_results_at_most(int max_results, int limit);
/// 1..kMaxSearchModelVersions, with the SQL store's and server's messages.
void validate_model_versions_max_results(int max_results);

}  // namespace mlflow::internal
