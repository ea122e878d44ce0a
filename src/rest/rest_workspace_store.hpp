// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// WorkspaceStore over the server's workspace API (/api/3.0/mlflow/workspaces, MLflow >= 3.10),
// sharing the backend's RestClient with the tracking store (connection pool, headers,
// retries, the server-info answer).

#include <memory>

#include "rest/rest_client.hpp"
#include "store/workspace_store.hpp"

namespace mlflow::internal {

class RestWorkspaceStore : public WorkspaceStore {
 public:
  explicit RestWorkspaceStore(std::shared_ptr<RestClient> client);

#include "store/workspace_store_overrides.inc"  // IWYU pragma: keep

 private:
  /// Throws FeatureDisabled when the server runs without workspaces: its workspace endpoints
  /// then answer a plain-text 503 that the retry loop would repeat for minutes.
  RestClient& client();

  std::shared_ptr<RestClient> client_;
};

}  // namespace mlflow::internal
