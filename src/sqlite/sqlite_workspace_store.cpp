// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The `workspaces` table with the rules and messages of MLflow 3.18's SQL workspace store
// (mlflow/store/workspace/sqlalchemy_store.py).
#include "sqlite/sqlite_workspace_store.hpp"

#include <mutex>
#include <utility>

#include "mlflow/errors.hpp"
#include "sqlite/db.hpp"

namespace mlflow::internal {
namespace {

using sqlite::Connection;
using sqlite::Transaction;

// Python's _WORKSPACE_ROOT_MODELS: the tables whose rows belong to a workspace directly
// (everything else hangs off one of them). Constants, never user text.
constexpr const char* kRootTables[] = {
    "registered_models", "experiments", "evaluation_datasets", "webhooks",
    "secrets",           "endpoints",   "model_definitions",   "budget_policies",
    "guardrails",        "jobs",        "mcp_servers",         "skills"};

std::optional<Workspace> find(Connection& c, const std::string& name) {
  auto s = c.prepare(
      "SELECT name, description, default_artifact_root, trace_archival_location, "
      "trace_archival_retention FROM workspaces WHERE name = ?");
  s->bind(1, name);
  std::optional<Workspace> out;
  if (s->step()) {
    out = Workspace{s->text(0), s->opt_text(1), s->opt_text(2), s->opt_text(3), s->opt_text(4)};
  }
  s->reset();
  return out;
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

SqliteWorkspaceStore::SqliteWorkspaceStore(std::shared_ptr<SqliteTrackingStore> tracking)
    : tracking_(std::move(tracking)) {}

std::vector<Workspace> SqliteWorkspaceStore::list_workspaces() {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  auto s = tracking_->connection().prepare(
      "SELECT name, description, default_artifact_root, trace_archival_location, "
      "trace_archival_retention FROM workspaces ORDER BY name ASC");
  std::vector<Workspace> out;
  while (s->step()) {
    out.push_back(
        Workspace{s->text(0), s->opt_text(1), s->opt_text(2), s->opt_text(3), s->opt_text(4)});
  }
  s->reset();
  return out;
}

Workspace SqliteWorkspaceStore::get_workspace(const std::string& name) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  return require(tracking_->connection(), name);
}

Workspace SqliteWorkspaceStore::create_workspace(const Workspace& workspace) {
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  if (find(c, workspace.name)) {
    throw_error(ErrorCode::kResourceAlreadyExists,
                "Workspace '" + workspace.name + "' already exists.");
  }
  c.prepare(
       "INSERT INTO workspaces (name, description, default_artifact_root, "
       "trace_archival_location, trace_archival_retention) VALUES (?, ?, ?, ?, ?)")
      ->bind(1, workspace.name)
      .bind(2, workspace.description)
      .bind(3, or_null(workspace.default_artifact_root))
      .bind(4, or_null(workspace.trace_archival_location))
      .bind(5, or_null(workspace.trace_archival_retention))
      .run();
  Workspace created = require(c, workspace.name);
  tx.commit();
  return created;
}

Workspace SqliteWorkspaceStore::update_workspace(const Workspace& workspace) {
  if (!workspace.description && !workspace.default_artifact_root &&
      !workspace.trace_archival_location && !workspace.trace_archival_retention) {
    // The server's wording for the same request.
    throw_error(ErrorCode::kInvalidParameterValue, "Workspace update must have at least one key");
  }
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
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
  c.prepare(
       "UPDATE workspaces SET description = ?, default_artifact_root = ?, "
       "trace_archival_location = ?, trace_archival_retention = ? WHERE name = ?")
      ->bind(1, current.description)
      .bind(2, current.default_artifact_root)
      .bind(3, current.trace_archival_location)
      .bind(4, current.trace_archival_retention)
      .bind(5, current.name)
      .run();
  tx.commit();
  return current;
}

void SqliteWorkspaceStore::delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  if (name == kDefaultWorkspaceName) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The 'default' workspace is reserved and cannot be deleted");
  }
  std::lock_guard<std::mutex> lock(tracking_->mutex());
  Connection& c = tracking_->connection();
  Transaction tx(c);
  require(c, name);
  for (const char* table : kRootTables) {
    auto s = c.prepare(std::string("SELECT COUNT(*) FROM ") + table + " WHERE workspace = ?");
    s->bind(1, name);
    const std::int64_t count = s->step() ? s->int64(0) : 0;
    s->reset();
    if (count == 0) continue;
    if (mode == WorkspaceDeletionMode::kRestrict) {
      throw_error(ErrorCode::kInvalidState,
                  "Cannot delete workspace '" + name + "': table '" + table + "' still contains " +
                      std::to_string(count) +
                      " resource(s). Remove or reassign them before deleting the workspace.");
    }
    throw_error(ErrorCode::kNotImplemented,
                std::string("Deleting workspace '") + name + "' in " + to_string(mode) +
                    " mode would " + (mode == WorkspaceDeletionMode::kCascade ? "delete" : "move") +
                    " its resources (table '" + table +
                    "'), which the embedded store does not implement. Serve this database with "
                    "`mlflow server --enable-workspaces --backend-store-uri sqlite:///<file>` "
                    "and delete the workspace through that server.");
  }
  c.prepare("DELETE FROM workspaces WHERE name = ?")->bind(1, name).run();
  tx.commit();
}

}  // namespace mlflow::internal
