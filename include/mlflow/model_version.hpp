// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// ModelVersion: one numbered version of a registered model, with its stage and status.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlflow {

/// A model version's deployment stage (MLflow's legacy stages).
enum class ModelVersionStage { kNone, kStaging, kProduction, kArchived };

/// "None", "Staging", "Production" or "Archived" (what the server stores and returns).
const char* to_string(ModelVersionStage stage) noexcept;
/// Case-insensitive, as the server matches stages ("staging" -> kStaging). Throws
/// InvalidArgument with the server's message for anything else.
ModelVersionStage model_version_stage_from_string(const std::string& name);

/// A model version's registration status. Values equal MLflow's proto numbers.
enum class ModelVersionStatus {
  kPendingRegistration = 1,
  kFailedRegistration = 2,
  kReady = 3,
};

/// "PENDING_REGISTRATION", "FAILED_REGISTRATION" or "READY".
const char* to_string(ModelVersionStatus status) noexcept;
/// Parses MLflow's name (case-sensitive); throws InvalidArgument.
ModelVersionStatus model_version_status_from_string(const std::string& name);

/// A tag of a model version (upserted by key).
struct ModelVersionTag {
  std::string key{};
  std::string value{};
};

inline bool operator==(const ModelVersionTag& a, const ModelVersionTag& b) noexcept {
  return a.key == b.key && a.value == b.value;
}

/// A model version as returned by create/get/search_model_versions (Python's ModelVersion).
struct ModelVersion {
  std::string name{};
  /// A decimal integer as text ("1", "2", ...), as MLflow's wire format carries it.
  std::string version{};
  /// Milliseconds since the epoch.
  std::int64_t creation_timestamp = 0;
  std::int64_t last_updated_timestamp = 0;
  /// Empty when the store records none (the OSS server does not).
  std::string user_id{};
  ModelVersionStage current_stage = ModelVersionStage::kNone;
  /// std::nullopt when none was ever set, as Python's None: the embedded store keeps that apart
  /// from "" (SQL NULL); the server stores "" for a version created without one.
  std::optional<std::string> description{};
  /// Where the model's files are (e.g. the run's artifact location + "/model").
  std::string source{};
  std::string run_id{};
  std::string run_link{};
  ModelVersionStatus status = ModelVersionStatus::kReady;
  std::string status_message{};
  /// Tags by key (like Python's `ModelVersion.tags` dict).
  std::map<std::string, std::string> tags{};
  /// The aliases that point at this version.
  std::vector<std::string> aliases{};
  /// The logged model this version was registered from, when any.
  std::optional<std::string> model_id = std::nullopt;
};

}  // namespace mlflow
