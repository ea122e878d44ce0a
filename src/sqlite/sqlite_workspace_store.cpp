// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The `workspaces` table with the rules and messages of MLflow 3.18's SQL workspace store
// (mlflow/store/workspace/sqlalchemy_store.py).
#include "sqlite/sqlite_workspace_store.hpp"

#include <utility>

#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

using sqlite::Connection;

// Python's _WORKSPACE_ROOT_MODELS: the tables whose rows belong to a workspace directly
// (everything else hangs off one of them). Constants, never user text.
constexpr const char* kRootTables[] = {
    "registered_models", "experiments", "evaluation_datasets", "webhooks",
    "secrets",           "endpoints",   "model_definitions",   "budget_policies",
    "guardrails",        "jobs",        "mcp_servers",         "skills"};

constexpr const char* kWorkspaceColumns =
    "name, description, default_artifact_root, trace_archival_location, "
    "trace_archival_retention";

Workspace read_workspace_row(const sqlite::Statement& s) {
  return Workspace{s.text(0), s.opt_text(1), s.opt_text(2), s.opt_text(3), s.opt_text(4)};
}

std::optional<Workspace> find(Connection& c, const std::string& name) {
  auto s =
      c.query(std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces WHERE name = ?", name);
  if (!s->step()) return std::nullopt;
  return read_workspace_row(*s);
}

Workspace require(Connection& c, const std::string& name) {
  auto ws = find(c, name);
  if (!ws) throw_error(ErrorCode::kResourceDoesNotExist, "Workspace '" + name + "' not found");
  return *ws;
}

// An empty string stores NULL, as Python's `value or None`.
std::optional<std::string> or_null(const std::optional<std::string>& value) {
  if (!value || value->empty()) return std::nullopt;
  return value;
}

}  // namespace

SqliteWorkspaceStore::SqliteWorkspaceStore(std::shared_ptr<sqlite::Database> db)
    : db_(std::move(db)) {}

std::vector<Workspace> SqliteWorkspaceStore::list_workspaces() {
  return db_->read([](Connection& c) {
    auto s =
        c.query(std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces ORDER BY name ASC");
    std::vector<Workspace> out;
    while (s->step()) out.push_back(read_workspace_row(*s));
    return out;
  });
}

Workspace SqliteWorkspaceStore::get_workspace(const std::string& name) {
  return db_->read([&](Connection& c) { return require(c, name); });
}

Workspace SqliteWorkspaceStore::create_workspace(const Workspace& workspace) {
  return db_->write([&](Connection& c) {
    if (find(c, workspace.name)) {
      throw_error(ErrorCode::kResourceAlreadyExists,
                  "Workspace '" + workspace.name + "' already exists.");
    }
    c.run(std::string("INSERT INTO workspaces (") + kWorkspaceColumns + ") VALUES (?, ?, ?, ?, ?)",
          workspace.name, workspace.description, or_null(workspace.default_artifact_root),
          or_null(workspace.trace_archival_location), or_null(workspace.trace_archival_retention));
    return require(c, workspace.name);
  });
}

Workspace SqliteWorkspaceStore::update_workspace(const Workspace& workspace) {
  if (!workspace.description && !workspace.default_artifact_root &&
      !workspace.trace_archival_location && !workspace.trace_archival_retention) {
    // The server's wording for the same request.
    throw_error(ErrorCode::kInvalidParameterValue, "Workspace update must have at least one key");
  }
  return db_->write([&](Connection& c) {
    Workspace current = require(c, workspace.name);
    if (workspace.description) current.description = workspace.description;
    if (workspace.default_artifact_root) {
      current.default_artifact_root = or_null(workspace.default_artifact_root);
    }
    if (workspace.trace_archival_location) {
      current.trace_archival_location = or_null(workspace.trace_archival_location);
    }
    if (workspace.trace_archival_retention) {
      current.trace_archival_retention = or_null(workspace.trace_archival_retention);
    }
    c.run(
        "UPDATE workspaces SET description = ?, default_artifact_root = ?, "
        "trace_archival_location = ?, trace_archival_retention = ? WHERE name = ?",
        current.description, current.default_artifact_root, current.trace_archival_location,
        current.trace_archival_retention, current.name);
    return current;
  });
}

void SqliteWorkspaceStore::delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  if (name == kDefaultWorkspaceName) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The 'default' workspace is reserved and cannot be deleted");
  }
  db_->write([&](Connection& c) {
    require(c, name);
    for (const char* table : kRootTables) {
      std::int64_t count = 0;
      {
        auto s =
            c.query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE workspace = ?", name);
        if (s->step()) count = s->int64(0);
      }
      if (count == 0) continue;
      if (mode == WorkspaceDeletionMode::kRestrict) {
        throw_error(ErrorCode::kInvalidState,
                    "Cannot delete workspace '" + name + "': table '" + table +
                        "' still contains " + std::to_string(count) +
                        " resource(s). Remove or reassign them before deleting the workspace.");
      }
      throw_error(ErrorCode::kNotImplemented,
                  std::string("Deleting workspace '") + name + "' in " + to_string(mode) +
                      " mode would " +
                      (mode == WorkspaceDeletionMode::kCascade ? "delete" : "move") +
                      " its resources (table '" + table +
                      "'), which the embedded store does not implement. Serve this database "
                      "with `mlflow server --enable-workspaces --backend-store-uri "
                      "sqlite:///<file>` and delete the workspace through that server.");
    }
    c.run("DELETE FROM workspaces WHERE name = ?", name);
  });
}

}  // namespace mlflow::internal
