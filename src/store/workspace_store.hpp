// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The workspace store seam (Python's mlflow.store.workspace.AbstractStore): workspace CRUD,
// kept apart from the tracking store as MLflow keeps it (a workspace provider may be
// something else than the tracking backend). Names are validated by the caller. Methods not
// overridden answer with the store's Unserved error (store/unserved.hpp).

#include <string>
#include <vector>

#include "mlflow/workspace.hpp"
#include "store/unserved.hpp"

namespace mlflow::internal {

class WorkspaceStore {
 public:
  /// Serves what a subclass overrides; every other call says the backend has no workspaces.
  WorkspaceStore();
  /// Serves nothing: every call throws `why`.
  explicit WorkspaceStore(Unserved why) : why_(std::move(why)) {}
  virtual ~WorkspaceStore() = default;

  /// Sorted by name.
  virtual std::vector<Workspace> list_workspaces();
  /// Throws NotFound for an unknown name.
  virtual Workspace get_workspace(const std::string& name);
  /// Throws AlreadyExists for a taken name.
  virtual Workspace create_workspace(const Workspace& workspace);
  /// Fields left std::nullopt are unchanged; "" clears default_artifact_root.
  virtual Workspace update_workspace(const Workspace& workspace);
  virtual void delete_workspace(const std::string& name, WorkspaceDeletionMode mode);

 private:
  Unserved why_;
};

}  // namespace mlflow::internal
