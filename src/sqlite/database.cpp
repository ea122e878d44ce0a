// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Opening a database file: which files may be opened (ADR 0005).
#include "sqlite/database.hpp"

#include <filesystem>

#include "mlflow/errors.hpp"
#include "sqlite/schema.hpp"

namespace mlflow::internal::sqlite {
namespace {

namespace fs = std::filesystem;

// MLflow's session settings (mlflow/store/db/utils.py), none of which writes to the file.
// MLflow's `PRAGMA busy_timeout = 20000` is the Connection's lock timeout instead: that
// pragma would replace the one-deadline busy handler.
void apply_session_pragmas(Connection& conn) {
  // WAL lets readers (e.g. `mlflow ui`) run while a C++ program writes.
  conn.exec("PRAGMA journal_mode = WAL");
  conn.exec("PRAGMA foreign_keys = ON");
  // LIKE must be case-sensitive for MLflow's search semantics.
  conn.exec("PRAGMA case_sensitive_like = ON");
}

}  // namespace

Database::Database(std::unique_ptr<Connection> conn, std::string path, std::string artifact_root,
                   std::string read_only_reason)
    : conn_(std::move(conn)),
      path_(std::move(path)),
      artifact_root_(std::move(artifact_root)),
      read_only_reason_(std::move(read_only_reason)) {}

std::shared_ptr<Database> Database::open(const std::string& path, std::string artifact_root,
                                         const DatabaseOptions& options) {
  const bool memory = path == ":memory:";
  const std::string uri_hint = memory ? "sqlite:///:memory:" : "sqlite:///" + path;
  std::error_code ec;
  bool needs_schema = memory || !fs::exists(path, ec) || fs::file_size(path, ec) == 0;
  if (!needs_schema) {
    // Decide from a read-only look whether the file may be used at all, so that a refused
    // file is never written to (ADR 0005).
    require_sqlite_header(path, uri_hint);
    Connection reader(path, OpenMode::kReadOnly, options.lock_timeout);
    needs_schema = inspect_schema(reader, path, uri_hint) == SchemaState::kEmpty;
  }
  auto conn = std::make_unique<Connection>(path, OpenMode::kReadWriteCreate, options.lock_timeout);
  apply_session_pragmas(*conn);
  if (needs_schema) {
    LockBudget budget(*conn);
    // Under the write lock: nothing when another process created the schema meanwhile.
    create_schema(*conn, artifact_root);
  }
  return std::shared_ptr<Database>(
      new Database(std::move(conn), path, std::move(artifact_root), std::string()));
}

void Database::refuse_write() const {
  throw_error(ErrorCode::kPermissionDenied,
              "The MLflow database '" + path_ + "' is open read-only because " + read_only_reason_ +
                  ", so this call, which writes, was refused. Searches and reads work. To "
                  "write, copy the file to a writable location and open that copy (or make "
                  "the file and its directory writable, then open it again).");
}

}  // namespace mlflow::internal::sqlite
