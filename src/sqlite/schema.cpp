// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/schema.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/clock.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {
namespace {

#include "sqlite/schema_3_18.inc"

bool is_known_older_revision(const std::string& revision) {
  return std::find(std::begin(kKnownOlderRevisions), std::end(kKnownOlderRevisions), revision) !=
         std::end(kKnownOlderRevisions);
}

bool has_table(Connection& conn, const std::string& name) {
  auto stmt = conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  stmt->bind(1, name);
  return stmt->step();
}

std::int64_t table_count(Connection& conn) {
  auto stmt = conn.prepare("SELECT count(*) FROM sqlite_master");
  stmt->step();
  return stmt->int64(0);
}

}  // namespace

void require_sqlite_header(const std::string& path, const std::string& uri_hint) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  if (in.gcount() != 16 || std::memcmp(header, "SQLite format 3", 16) != 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + path +
                    "' is not a SQLite database, so it cannot be an MLflow tracking store. "
                    "Point " +
                    uri_hint + " at a new file or at a database MLflow created.");
  }
}

SchemaState inspect_schema(Connection& reader, const std::string& path,
                           const std::string& uri_hint) {
  if (table_count(reader) == 0) return SchemaState::kEmpty;
  if (!has_table(reader, "alembic_version") || !has_table(reader, "experiments") ||
      !has_table(reader, "runs")) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + path +
                    "' is a SQLite database but not an MLflow tracking database (it has no "
                    "alembic_version/experiments/runs tables); it was left unmodified. Point " +
                    uri_hint + " at a new file or at a database MLflow created.");
  }
  std::string revision;
  {
    auto stmt = reader.prepare("SELECT version_num FROM alembic_version");
    if (stmt->step()) revision = stmt->text(0);
  }
  const std::string head = kSchemaHeadRevision;
  if (revision == head) return SchemaState::kCurrent;
  if (is_known_older_revision(revision)) {
    throw_error(ErrorCode::kInvalidState,
                "The MLflow database '" + path + "' has the older schema revision '" + revision +
                    "', but this SDK writes MLflow " + kSchemaMlflowVersion + "'s revision '" +
                    head + "'. Take a backup, then run `mlflow db upgrade " + uri_hint +
                    "` with MLflow " + kSchemaMlflowVersion +
                    " to migrate it; the file was left unmodified.");
  }
  throw_error(ErrorCode::kInvalidState,
              "The MLflow database '" + path + "' has the schema revision '" + revision +
                  "', which MLflow " + kSchemaMlflowVersion + " (revision '" + head +
                  "') does not know; it was probably written by a newer MLflow. Use an SDK "
                  "release that matches that MLflow version; the file was left unmodified.");
}

void create_schema(Connection& conn, const std::string& artifact_root) {
  Transaction tx(conn);
  // Another process may have created it between our read-only look and this lock.
  if (has_table(conn, "alembic_version")) return;
  for (const char* sql : kSchemaStatements) conn.exec(sql);
  conn.run("INSERT INTO alembic_version (version_num) VALUES (?)",
           std::string(kSchemaHeadRevision));
  conn.exec(
      "INSERT INTO workspaces (name, description) "
      "VALUES ('default', 'Default workspace for legacy resources')");
  const std::int64_t now = now_millis();
  // MLflow inserts the Default experiment with the explicit id 0.
  conn.run(
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
      "creation_time, last_update_time, workspace) VALUES (0, 'Default', ?, 'active', ?, ?, "
      "'default')",
      artifact_root + "/0", now, now);
  tx.commit();
}

const char* schema_head_revision() { return kSchemaHeadRevision; }
const char* schema_mlflow_version() { return kSchemaMlflowVersion; }
std::vector<std::string> schema_statements() {
  return {std::begin(kSchemaStatements), std::end(kSchemaStatements)};
}

}  // namespace mlflow::internal::sqlite
