// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// WorkspaceStore on the embedded database's `workspaces` table (ADR 0010), on the
// sqlite::Database the URI's other stores share. The embedded store itself serves only the
// `default` workspace; this manages the rows, as Python's SQL workspace store does for a
// sqlite URI.

#include <memory>

#include "sqlite/database.hpp"
#include "store/workspace_store.hpp"

namespace mlflow::internal {

class SqliteWorkspaceStore : public WorkspaceStore {
 public:
  explicit SqliteWorkspaceStore(std::shared_ptr<sqlite::Database> db);

// delete_workspace: RESTRICT as MLflow; CASCADE and SET_DEFAULT only for a workspace without
// resources (the same outcome), else NotImplemented pointing at the server.
#include "store/workspace_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace mlflow::internal
