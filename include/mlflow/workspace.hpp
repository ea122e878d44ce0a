// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Workspace: a named, isolated namespace of experiments, runs, registered models and prompts
/// on an MLflow server started with `--enable-workspaces` (MLflow >= 3.10).

#include <optional>
#include <string>

namespace mlflow {

/// The reserved workspace every server (and the embedded store) has; it cannot be created or
/// deleted. Resources created without a workspace live there.
inline constexpr const char* kDefaultWorkspaceName = "default";

/// A workspace as returned by get_workspace / list_workspaces (Python's
/// `mlflow.entities.Workspace`). Absent fields were not set on the server.
struct Workspace {
  std::string name{};
  std::optional<std::string> description = std::nullopt;
  /// Artifact root of the workspace's new experiments; absent = the server's default root
  /// (below `workspaces/<name>/`).
  std::optional<std::string> default_artifact_root = std::nullopt;
  std::optional<std::string> trace_archival_location = std::nullopt;
  /// Retention of archived traces, `<int><unit>` such as "30d" or "12h".
  std::optional<std::string> trace_archival_retention = std::nullopt;
};

/// Trace archival settings of a workspace (Python's `TraceArchivalConfig`). On update an empty
/// string clears a value; std::nullopt leaves it unchanged.
struct TraceArchivalConfig {
  std::optional<std::string> location = std::nullopt;
  std::optional<std::string> retention = std::nullopt;
};

/// What delete_workspace does with the workspace's resources.
enum class WorkspaceDeletionMode {
  /// Refuse (InvalidState) while the workspace still holds experiments, models or prompts.
  kRestrict,
  /// Delete its resources with it.
  kCascade,
  /// Move its resources to the `default` workspace; refused when names would collide.
  kSetDefault,
};

/// "RESTRICT", "CASCADE" or "SET_DEFAULT".
const char* to_string(WorkspaceDeletionMode mode) noexcept;
/// Parses MLflow's name; throws InvalidArgument listing the valid ones.
WorkspaceDeletionMode workspace_deletion_mode_from_string(const std::string& name);

struct CreateWorkspaceOptions {
  std::optional<std::string> description = std::nullopt;
  /// Falls back to the server's default artifact root.
  std::optional<std::string> default_artifact_root = std::nullopt;
  std::optional<TraceArchivalConfig> trace_archival_config = std::nullopt;
};

/// std::nullopt fields are left unchanged; at least one must be set. An empty
/// `default_artifact_root` clears the workspace's own root.
struct UpdateWorkspaceOptions {
  std::optional<std::string> description = std::nullopt;
  std::optional<std::string> default_artifact_root = std::nullopt;
  std::optional<TraceArchivalConfig> trace_archival_config = std::nullopt;
};

/// MLflow's workspace name rule (Kubernetes DNS label): 2-63 characters of [a-z0-9-], starting
/// and ending alphanumeric, not one of the reserved names (workspaces, api, ajax-api,
/// static-files). Throws InvalidArgument saying which part failed.
void validate_workspace_name(const std::string& name);

}  // namespace mlflow
