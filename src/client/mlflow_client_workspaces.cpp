// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's workspace methods: name checks as Python's client makes them (every name but
// `default` validated before the call), then the workspace store of this client's backend.
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/workspace_store.hpp"

namespace mlflow {
namespace {

void validate_unless_default(const std::string& name) {
  if (name != kDefaultWorkspaceName) validate_workspace_name(name);
}

void apply_archival(Workspace& ws, const std::optional<TraceArchivalConfig>& config) {
  if (!config) return;
  ws.trace_archival_location = config->location;
  ws.trace_archival_retention = config->retention;
}

}  // namespace

std::vector<Workspace> MlflowClient::list_workspaces() {
  return internal::make_workspace_store(store_)->list_workspaces();
}

Workspace MlflowClient::get_workspace(const std::string& name) {
  validate_unless_default(name);
  return internal::make_workspace_store(store_)->get_workspace(name);
}

Workspace MlflowClient::create_workspace(const std::string& name,
                                         const CreateWorkspaceOptions& options) {
  validate_workspace_name(name);
  Workspace ws;
  ws.name = name;
  ws.description = options.description;
  ws.default_artifact_root = options.default_artifact_root;
  apply_archival(ws, options.trace_archival_config);
  return internal::make_workspace_store(store_)->create_workspace(ws);
}

Workspace MlflowClient::update_workspace(const std::string& name,
                                         const UpdateWorkspaceOptions& options) {
  validate_unless_default(name);
  Workspace ws;
  ws.name = name;
  ws.description = options.description;
  ws.default_artifact_root = options.default_artifact_root;
  apply_archival(ws, options.trace_archival_config);
  return internal::make_workspace_store(store_)->update_workspace(ws);
}

void MlflowClient::delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  validate_unless_default(name);
  internal::make_workspace_store(store_)->delete_workspace(name, mode);
}

}  // namespace mlflow
