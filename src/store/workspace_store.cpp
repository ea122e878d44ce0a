// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The workspace seam's defaults: a backend without workspaces (a custom tracking store)
// answers every call with one error saying which backends have them.
#include "store/workspace_store.hpp"

namespace mlflow::internal {

WorkspaceStore::WorkspaceStore()
    : why_(ErrorCode::kInvalidParameterValue,
           "this MlflowClient's custom store has no workspace support; workspaces "
           "need an MLflow server (http://, https://) or the embedded store "
           "(sqlite://).") {}

std::vector<Workspace> WorkspaceStore::list_workspaces() { why_.raise("list_workspaces"); }
Workspace WorkspaceStore::get_workspace(const std::string&) { why_.raise("get_workspace"); }
Workspace WorkspaceStore::create_workspace(const Workspace&) { why_.raise("create_workspace"); }
Workspace WorkspaceStore::update_workspace(const Workspace&) { why_.raise("update_workspace"); }
void WorkspaceStore::delete_workspace(const std::string&, WorkspaceDeletionMode) {
  why_.raise("delete_workspace");
}

}  // namespace mlflow::internal
