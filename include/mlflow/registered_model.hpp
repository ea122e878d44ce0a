// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// RegisteredModel: a named model of the model registry, with its tags, aliases and the
/// latest version of each stage.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/model_version.hpp"

namespace mlflow {

/// A tag of a registered model (upserted by key).
struct RegisteredModelTag {
  std::string key{};
  std::string value{};
};

/// An alias ("champion") naming one version of a registered model.
struct RegisteredModelAlias {
  std::string alias{};
  /// A decimal integer as text.
  std::string version{};
};

inline bool operator==(const RegisteredModelTag& a, const RegisteredModelTag& b) noexcept {
  return a.key == b.key && a.value == b.value;
}
inline bool operator==(const RegisteredModelAlias& a, const RegisteredModelAlias& b) noexcept {
  return a.alias == b.alias && a.version == b.version;
}

/// A registered model as returned by create/get/search_registered_models (Python's
/// RegisteredModel).
struct RegisteredModel {
  std::string name{};
  /// Milliseconds since the epoch.
  std::int64_t creation_timestamp = 0;
  std::int64_t last_updated_timestamp = 0;
  /// std::nullopt when none was ever set, as Python's None: the embedded store keeps that apart
  /// from "" (SQL NULL); the server answers "" for both, which Python reads as "" too.
  std::optional<std::string> description{};
  /// Empty when the store records none (the OSS server does not).
  std::string user_id{};
  /// The newest version of each stage that has one (as MLflow's `latest_versions`).
  std::vector<ModelVersion> latest_versions{};
  /// Every tag by key, including MLflow's own (e.g. `mlflow.prompt.is_prompt`).
  std::map<std::string, std::string> tags{};
  /// Alias -> version (like Python's `RegisteredModel.aliases` dict).
  std::map<std::string, std::string> aliases{};
};

}  // namespace mlflow
