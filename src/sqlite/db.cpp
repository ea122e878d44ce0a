// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/db.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {

void throw_sqlite_error(sqlite3* db, int rc, const std::string& context) {
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message = context + ": " + detail;
  switch (rc & 0xff) {
    // MLflow maps SQLAlchemy's OperationalError (e.g. "database is locked") to
    // TEMPORARILY_UNAVAILABLE, which clients retry.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw_error(ErrorCode::kTemporarilyUnavailable,
                  message + " (another connection holds the database lock; retry later)");
    // Other SQLAlchemy errors (IntegrityError for constraints) become BAD_REQUEST there.
    case SQLITE_CONSTRAINT:
      throw_error(ErrorCode::kBadRequest, message);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw_error(ErrorCode::kInvalidParameterValue,
                  message + " (the file is not a usable SQLite database)");
    default:
      throw_error(ErrorCode::kInternalError, message);
  }
}

Statement::Statement(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
  const int rc =
      sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw_sqlite_error(db_, rc, "Failed to prepare SQL statement");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
void check_bind(sqlite3* db, int rc) {
  if (rc != SQLITE_OK) throw_sqlite_error(db, rc, "Failed to bind SQL parameter");
}
}  // namespace

Statement& Statement::bind(int index, const std::string& value) {
  // The last line of defence behind the client's checks: Python's sqlite3 cannot read a row
  // with invalid UTF-8 ("Could not decode to UTF-8"), which would break the run for Python and
  // the UI. Inside a Transaction the throw rolls everything back.
  utf8::require_valid(value, "SQL text parameter " + std::to_string(index));
  check_bind(db_, sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                      SQLITE_UTF8));
  return *this;
}
Statement& Statement::bind(int index, const char* value) { return bind(index, std::string(value)); }
Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(db_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}
Statement& Statement::bind(int index, double value) {
  check_bind(db_, sqlite3_bind_double(stmt_, index, value));
  return *this;
}
Statement& Statement::bind_null(int index) {
  check_bind(db_, sqlite3_bind_null(stmt_, index));
  return *this;
}
Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, *value) : bind_null(index);
}
Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Keep the statement reusable after a failure (e.g. a constraint hit inside a transaction).
  sqlite3_reset(stmt_);
  throw_sqlite_error(db_, rc, "SQL statement failed");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::optional<std::string> Statement::opt_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
std::optional<std::int64_t> Statement::opt_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

Connection::Connection(const std::string& path, OpenMode mode) {
  const int flags = (mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot open SQLite database '" + path + "': " + detail +
                    ". Check that the path in the sqlite:/// URI is correct and writable.");
  }
  // MLflow waits up to 20 s for another writer before reporting "database is locked".
  sqlite3_busy_timeout(db_, 20000);
  sqlite3_extended_result_codes(db_, 0);
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    throw_sqlite_error(db_, rc, "SQL execution failed");
  }
}

StatementRef Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  }
  return StatementRef(*it->second);
}

int Connection::changes() const { return sqlite3_changes(db_); }
std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Transaction::Transaction(Connection& conn) : conn_(conn) {
  // The busy timeout already waits inside BEGIN IMMEDIATE; a few extra attempts cover the
  // case where the busy handler gives up early (e.g. a WAL checkpoint in another process).
  for (int attempt = 0;; ++attempt) {
    char* err = nullptr;
    const int rc = sqlite3_exec(conn_.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc == SQLITE_OK) return;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 3) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
      continue;
    }
    throw_sqlite_error(conn_.handle(), rc, "Failed to begin a transaction");
  }
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace mlflow::internal::sqlite
