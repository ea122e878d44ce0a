// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/schema.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
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

// Every connection gets MLflow's session settings. WAL lets readers (e.g. `mlflow ui`) run
// while a C++ program writes; it is a property of the file that MLflow itself is fine with.
void apply_pragmas(Connection& conn) {
  conn.exec("PRAGMA busy_timeout = 20000");
  conn.exec("PRAGMA journal_mode = WAL");
  conn.exec("PRAGMA foreign_keys = ON");
  conn.exec("PRAGMA case_sensitive_like = ON");
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

enum class FileState { kNew, kCurrent };

// Decides from a read-only look whether the file may be used, so that a refused file is never
// written to (not even a journal-mode change).
FileState inspect_existing_file(const std::string& path, const std::string& uri_hint) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) {
    return FileState::kNew;
  }
  {
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
  Connection ro(path, OpenMode::kReadOnly);
  if (table_count(ro) == 0) return FileState::kNew;
  if (!has_table(ro, "alembic_version") || !has_table(ro, "experiments") ||
      !has_table(ro, "runs")) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + path +
                    "' is a SQLite database but not an MLflow tracking database (it has no "
                    "alembic_version/experiments/runs tables); it was left unmodified. Point " +
                    uri_hint + " at a new file or at a database MLflow created.");
  }
  std::string revision;
  {
    auto stmt = ro.prepare("SELECT version_num FROM alembic_version");
    if (stmt->step()) revision = stmt->text(0);
  }
  const std::string head = kSchemaHeadRevision;
  if (revision == head) return FileState::kCurrent;
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
  conn.prepare("INSERT INTO alembic_version (version_num) VALUES (?)")
      ->bind(1, std::string(kSchemaHeadRevision))
      .run();
  conn.exec(
      "INSERT INTO workspaces (name, description) "
      "VALUES ('default', 'Default workspace for legacy resources')");
  const std::int64_t now = now_millis();
  // MLflow inserts the Default experiment with the explicit id 0.
  auto stmt = conn.prepare(
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
      "creation_time, last_update_time, workspace) VALUES (0, 'Default', ?, 'active', ?, ?, "
      "'default')");
  stmt->bind(1, artifact_root + "/0").bind(2, now).bind(3, now).run();
  tx.commit();
}

}  // namespace

const char* schema_head_revision() { return kSchemaHeadRevision; }
const char* schema_mlflow_version() { return kSchemaMlflowVersion; }
std::vector<std::string> schema_statements() {
  return {std::begin(kSchemaStatements), std::end(kSchemaStatements)};
}

std::unique_ptr<Connection> open_mlflow_database(const std::string& path,
                                                 const std::string& artifact_root) {
  const bool memory = path == ":memory:";
  const std::string uri_hint = memory ? "sqlite:///:memory:" : "sqlite:///" + path;
  const FileState state = memory ? FileState::kNew : inspect_existing_file(path, uri_hint);
  auto conn = std::make_unique<Connection>(path, OpenMode::kReadWriteCreate);
  apply_pragmas(*conn);
  if (state == FileState::kNew) create_schema(*conn, artifact_root);
  return conn;
}

}  // namespace mlflow::internal::sqlite
