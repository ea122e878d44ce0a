// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Opening a database file: which files may be opened (ADR 0005) and how (ADR 0015): we never
// change the journal mode of a file we did not create, and a file we may not write opens
// read-only instead of failing.
#include "sqlite/database.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "mlflow/errors.hpp"
#include "sqlite/schema.hpp"

namespace mlflow::internal::sqlite {
namespace {

namespace fs = std::filesystem;

// MLflow's session settings (mlflow/store/db/utils.py), none of which writes to the file.
// MLflow's `PRAGMA busy_timeout = 20000` is the Connection's lock timeout instead: that
// pragma would replace the one-deadline busy handler.
void apply_session_pragmas(Connection& conn) {
  conn.exec("PRAGMA foreign_keys = ON");
  // LIKE must be case-sensitive for MLflow's search semantics.
  conn.exec("PRAGMA case_sensitive_like = ON");
}

// Bytes 18 and 19 of the header are 2 in a WAL-mode file and 1 with a rollback journal.
bool header_says_wal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[20] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && header[18] == 2 && header[19] == 2;
}

struct FileAccess {
  bool has_content = false;  // exists and is not empty
  bool read_only_file_system = false;
  std::string read_only_reason;  // empty: this process can write the file and its directory
};

std::string errno_text() { return std::strerror(errno); }

FileAccess file_access(const std::string& path) {
  FileAccess out;
  std::error_code ec;
  out.has_content = fs::exists(path, ec) && fs::file_size(path, ec) > 0 && !ec;
  if (!out.has_content) return out;
  const std::string dir = fs::path(path).parent_path().string();
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
    out.read_only_file_system = true;
    out.read_only_reason = "it is on a read-only file system";
  } else if (::access(path.c_str(), W_OK) != 0) {
    out.read_only_reason = "this process may not write the file (" + errno_text() + ")";
  } else if (::access(dir.c_str(), W_OK) != 0) {
    // SQLite creates its rollback journal, or the -wal and -shm files, next to the database.
    out.read_only_reason = "this process may not write its directory '" + dir +
                           "', where SQLite keeps its journal (" + errno_text() + ")";
  }
  return out;
}

// A WAL-mode file needs its -shm file even to be read. On a read-only file system nobody can
// change the file, so SQLite may read it without one (immutable) as long as no -wal file holds
// commits not yet in the database. Elsewhere a directory we cannot write leaves it unreadable.
OpenMode read_only_mode(const std::string& path, const FileAccess& access) {
  if (!header_says_wal(path)) return OpenMode::kReadOnly;
  std::error_code ec;
  const bool has_wal = fs::exists(path + "-wal", ec);
  const bool has_shm = fs::exists(path + "-shm", ec);
  if (access.read_only_file_system && !has_wal) return OpenMode::kReadOnlyImmutable;
  if (!(has_wal && has_shm)) {
    throw_error(ErrorCode::kPermissionDenied,
                "Cannot read the MLflow database '" + path + "': it is in WAL journal mode, and " +
                    access.read_only_reason +
                    ", so SQLite cannot create the '-shm' file it needs to read it. Give this "
                    "process write access to the directory, or switch the file to a rollback "
                    "journal once where it can be written (sqlite3 '" +
                    path + "' 'PRAGMA journal_mode=DELETE'); the file was left unmodified.");
  }
  return OpenMode::kReadOnly;
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
  const std::string uri_hint = path == ":memory:" ? "sqlite:///:memory:" : "sqlite:///" + path;
  const FileAccess access = path == ":memory:" ? FileAccess{} : file_access(path);
  std::unique_ptr<Connection> conn;
  bool needs_schema = true;
  if (!access.has_content) {
    // A database we create: WAL, so that readers such as `mlflow ui` never block a training
    // loop's writes and each commit costs one sync (ADR 0015). A no-op for ":memory:".
    conn = std::make_unique<Connection>(path, OpenMode::kReadWriteCreate, options.lock_timeout);
    conn->exec("PRAGMA journal_mode = WAL");
  } else {
    // Decide from a read-only look whether the file may be used at all, so that a refused
    // file is never written to (ADR 0005).
    require_sqlite_header(path, uri_hint);
    const bool writable = access.read_only_reason.empty();
    const OpenMode read_mode = writable ? OpenMode::kReadOnly : read_only_mode(path, access);
    SchemaState state;
    {
      Connection reader(path, read_mode, options.lock_timeout);
      state = inspect_schema(reader, path, uri_hint);
    }
    if (!writable && state == SchemaState::kEmpty) {
      throw_error(ErrorCode::kPermissionDenied,
                  "'" + path + "' is a SQLite database without tables, which needs MLflow's " +
                      "schema written to it, but " + access.read_only_reason + ". Point " +
                      uri_hint + " at a writable location; the file was left unmodified.");
    }
    needs_schema = state == SchemaState::kEmpty;
    conn = std::make_unique<Connection>(path, writable ? OpenMode::kReadWrite : read_mode,
                                        options.lock_timeout);
  }
  apply_session_pragmas(*conn);
  std::string read_only_reason = access.read_only_reason;
  if (read_only_reason.empty() && conn->read_only()) {
    read_only_reason = "SQLite could open it only for reading";
  }
  if (needs_schema) {
    LockBudget budget(*conn);
    // Under the write lock: nothing when another process created the schema meanwhile.
    create_schema(*conn, artifact_root);
  }
  return std::shared_ptr<Database>(
      new Database(std::move(conn), path, std::move(artifact_root), std::move(read_only_reason)));
}

void Database::refuse_write() const {
  throw_error(ErrorCode::kPermissionDenied,
              "The MLflow database '" + path_ + "' is open read-only because " + read_only_reason_ +
                  ", so this call, which writes, was refused. Searches and reads work. To "
                  "write, copy the file to a writable location and open that copy (or make "
                  "the file and its directory writable, then open it again).");
}

}  // namespace mlflow::internal::sqlite
