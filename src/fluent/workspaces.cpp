// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent workspace functions (mlflow/tracking/_workspace/fluent.py): a process-wide
// workspace for the default client, and workspace CRUD through that client.
#include <mutex>

#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace internal {
namespace {

struct WorkspaceState {
  std::mutex mutex;
  std::optional<std::string> workspace;
};

WorkspaceState& workspace_state() {
  static WorkspaceState s;
  return s;
}

}  // namespace

std::optional<std::string> fluent_workspace() {
  auto& s = workspace_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.workspace;
}

}  // namespace internal

void set_workspace(const std::optional<std::string>& workspace) {
  if (workspace && *workspace != kDefaultWorkspaceName) validate_workspace_name(*workspace);
  auto& s = internal::workspace_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.workspace = workspace;
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
