// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's workspace methods: name checks as Python's client makes them (every name but
// `default` validated before the call), then the workspace store of this client's backend.
#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {
namespace {

constexpr OperationKind kWorkspace = OperationKind::kWorkspace;
using internal::on_workspace;

void validate_unless_default(const std::string& name) {
  if (name != kDefaultWorkspaceName) validate_workspace_name(name);
}

// The workspace `name` with the fields of Create- or UpdateWorkspaceOptions.
template <typename Options>
Workspace workspace_of(const std::string& name, const Options& options) {
  Workspace ws;
  ws.name = name;
  ws.description = options.description;
  ws.default_artifact_root = options.default_artifact_root;
  if (options.trace_archival_config) {
    ws.trace_archival_location = options.trace_archival_config->location;
    ws.trace_archival_retention = options.trace_archival_config->retention;
  }
  return ws;
}

}  // namespace

std::vector<Workspace> MlflowClient::list_workspaces() {
  return impl_->hooks().run("list_workspaces", kWorkspace, internal::no_target(),
                            [&] { return impl_->workspaces().list_workspaces(); });
}

Workspace MlflowClient::get_workspace(const std::string& name) {
  return impl_->hooks().run("get_workspace", kWorkspace, on_workspace(name), [&] {
    validate_unless_default(name);
    return impl_->workspaces().get_workspace(name);
  });
}

Workspace MlflowClient::create_workspace(const std::string& name,
                                         const CreateWorkspaceOptions& options) {
  return impl_->hooks().run("create_workspace", kWorkspace, on_workspace(name), [&] {
    validate_workspace_name(name);
    return impl_->workspaces().create_workspace(workspace_of(name, options));
  });
}

Workspace MlflowClient::update_workspace(const std::string& name,
                                         const UpdateWorkspaceOptions& options) {
  return impl_->hooks().run("update_workspace", kWorkspace, on_workspace(name), [&] {
    validate_unless_default(name);
    return impl_->workspaces().update_workspace(workspace_of(name, options));
  });
}

void MlflowClient::delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  impl_->hooks().run("delete_workspace", kWorkspace, on_workspace(name), [&] {
    validate_unless_default(name);
    impl_->workspaces().delete_workspace(name, mode);
  });
}

}  // namespace mlflow
