// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Which workspace store goes with which tracking store, and the embedded store's limit to the
// `default` workspace (ADR 0010).
#include "client/workspace_store_factory.hpp"

#include <memory>

#include "mlflow/errors.hpp"
#include "rest/rest_workspace_store.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "sqlite/sqlite_tracking_store.hpp"

namespace mlflow::internal {

std::shared_ptr<WorkspaceStore> make_workspace_store(const std::shared_ptr<TrackingStore>& store) {
  if (auto rest = std::dynamic_pointer_cast<RestTrackingStore>(store)) {
    return std::make_shared<RestWorkspaceStore>(std::move(rest));
  }
  if (std::dynamic_pointer_cast<SqliteTrackingStore>(store)) {
    return sqlite_stores_sharing(store).workspaces;
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "This MlflowClient's custom store has no workspace support; workspaces need an "
              "MLflow server (http://, https://) or the embedded store (sqlite://).");
}

void require_default_workspace_for_embedded_store(const ResolvedConfig& config) {
  if (config.workspace.empty() || config.workspace == kDefaultWorkspaceName) return;
  // Python's local SQL store silently files everything under `default` here; a C++ program
  // asking for isolation should hear that it does not get it.
  throw_error(ErrorCode::kFeatureDisabled,
              "Workspace '" + config.workspace +
                  "' was requested (MLFLOW_WORKSPACE, ClientOptions::workspace or "
                  "mlflow::set_workspace), but the embedded store (" +
                  config.tracking_uri +
                  ") keeps every experiment, run and model in the 'default' workspace. Unset "
                  "the workspace, or serve the database with `mlflow server "
                  "--enable-workspaces --backend-store-uri <this sqlite URI>` and use its "
                  "http:// URI.");
}

}  // namespace mlflow::internal
