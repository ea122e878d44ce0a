// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent workspace functions (mlflow/tracking/_workspace/fluent.py): a process-wide
// workspace for the default client, and workspace CRUD through that client.
#include <optional>
#include <string>

#include "fluent/guarded_setting.hpp"
#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace internal {
namespace {

GuardedSetting workspace_setting;  // constant-initialised: usable from any static

}  // namespace

std::optional<std::string> fluent_workspace() { return workspace_setting.get(); }

}  // namespace internal

void set_workspace(const std::optional<std::string>& workspace) {
  if (workspace && *workspace != kDefaultWorkspaceName) validate_workspace_name(*workspace);
  internal::workspace_setting.set(workspace);
}

std::vector<Workspace> list_workspaces() { return default_client().list_workspaces(); }

Workspace get_workspace(const std::string& name) { return default_client().get_workspace(name); }

Workspace create_workspace(const std::string& name, const CreateWorkspaceOptions& options) {
  return default_client().create_workspace(name, options);
}

Workspace update_workspace(const std::string& name, const UpdateWorkspaceOptions& options) {
  return default_client().update_workspace(name, options);
}

void delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  default_client().delete_workspace(name, mode);
}

}  // namespace mlflow
