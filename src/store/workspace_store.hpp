// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The workspace store seam (Python's mlflow.store.workspace.AbstractStore): workspace CRUD,
// kept apart from the tracking store as MLflow keeps it (a workspace provider may be
// something else than the tracking backend). Names are validated by the caller.

#include <memory>
#include <string>
#include <vector>

#include "mlflow/workspace.hpp"

namespace mlflow::internal {

class TrackingStore;

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  /// Sorted by name.
  virtual std::vector<Workspace> list_workspaces() = 0;
  /// Throws NotFound for an unknown name.
  virtual Workspace get_workspace(const std::string& name) = 0;
  /// Throws AlreadyExists for a taken name.
  virtual Workspace create_workspace(const Workspace& workspace) = 0;
  /// Fields left std::nullopt are unchanged; "" clears default_artifact_root.
  virtual Workspace update_workspace(const Workspace& workspace) = 0;
  virtual void delete_workspace(const std::string& name, WorkspaceDeletionMode mode) = 0;
};

/// The workspace store that goes with a tracking store: the server's workspace API for a REST
/// store, the database's `workspaces` table for the embedded store. Throws InvalidArgument
/// for a custom store.
std::shared_ptr<WorkspaceStore> make_workspace_store(const std::shared_ptr<TrackingStore>& store);

}  // namespace mlflow::internal
