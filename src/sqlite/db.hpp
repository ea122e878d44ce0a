// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Thin RAII wrappers over the SQLite C API. Every SQLite failure becomes an MlflowException
// with the code MLflow's SQL store would produce: busy/locked -> TEMPORARILY_UNAVAILABLE (the
// client retries it), constraint violations -> BAD_REQUEST unless the caller maps them first,
// a read-only file -> PERMISSION_DENIED (ADR 0015), anything else -> INTERNAL_ERROR. Values
// are only ever bound.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlite/sql_builder.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mlflow::internal::sqlite {

class Connection;

/// MLflow's wait for another connection's lock (its PRAGMA busy_timeout = 20000).
inline constexpr std::chrono::milliseconds kDefaultLockTimeout{20000};

/// A prepared statement. Owned by the Connection's cache (reset on release) or standalone.
class Statement {
 public:
  Statement(Connection& conn, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // 1-based, as SQLite numbers parameters. Each returns *this for chaining.
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const Bind& value);

  /// Binds `values` to the parameters 1..N, in order.
  template <typename... Values>
  Statement& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  /// True when a row is available; false when done. Throws on error.
  bool step();
  /// Runs to completion (for statements without result rows).
  void run();
  /// Clears bindings and rewinds, so the statement can be reused.
  void reset() noexcept;

  bool is_null(int column) const;
  /// The column's text; "" for NULL.
  std::string text(int column) const;
  std::optional<std::string> opt_text(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> opt_int64(int column) const;
  double real(int column) const;

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// A cached statement borrowed from a Connection; resets itself when it goes out of scope.
class StatementRef {
 public:
  explicit StatementRef(Statement& stmt) : stmt_(&stmt) {}
  ~StatementRef() {
    if (stmt_ != nullptr) stmt_->reset();
  }
  StatementRef(StatementRef&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  StatementRef& operator=(StatementRef&&) = delete;
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

enum class OpenMode {
  kReadOnly,
  /// An existing file, for reading and writing when the OS allows (else SQLite reads only).
  kReadWrite,
  kReadWriteCreate,
  /// Read-only without locks or a shared-memory file: for a file on a read-only file system,
  /// which nobody can change while we read it (SQLite's `immutable=1`).
  kReadOnlyImmutable,
};

/// One database connection with a per-connection prepared statement cache.
class Connection {
 public:
  /// `path` may be ":memory:". Throws InvalidArgument when the file cannot be opened.
  /// `lock_timeout` bounds each wait for another connection's lock (see LockBudget).
  Connection(const std::string& path, OpenMode mode,
             std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one or more statements without parameters (DDL, PRAGMA).
  void exec(const std::string& sql);
  /// A cached prepared statement for `sql` (a string literal of the store, never user text).
  StatementRef prepare(const std::string& sql);
  /// The cached statement for `sql` with `values` bound to its parameters in order.
  template <typename... Values>
  StatementRef query(const std::string& sql, const Values&... values) {
    StatementRef stmt = prepare(sql);
    stmt->bind_all(values...);
    return stmt;
  }
  /// Runs `sql` (no result rows) with `values` bound in order.
  template <typename... Values>
  void run(const std::string& sql, const Values&... values) {
    query(sql, values...)->run();
  }
  /// A built query with its binds. Not cached: its text varies with the filter, so a cache
  /// would grow without bound.
  std::unique_ptr<Statement> statement(const SqlQuery& query);
  /// The text of the first column of each row of a built query (the ids a search found).
  std::vector<std::string> first_column(const SqlQuery& query);
  /// The rows of a two-column `sql` (key, value; NULL reads as "") with `values` bound.
  template <typename... Values>
  std::map<std::string, std::string> key_values(const std::string& sql, const Values&... values) {
    std::map<std::string, std::string> out;
    auto stmt = query(sql, values...);
    while (stmt->step()) out[stmt->text(0)] = stmt->text(1);
    return out;
  }

  /// Number of rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const;
  /// Rowid of the last INSERT on this connection.
  std::int64_t last_insert_rowid() const;
  /// PRAGMA journal_mode as SQLite reports it ("wal", "delete", "memory", ...).
  std::string journal_mode();
  /// True when SQLite opened the file read-only (asked to, or the OS refused writes).
  bool read_only() const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const noexcept { return path_; }
  std::chrono::milliseconds lock_timeout() const noexcept { return lock_timeout_; }
  /// True while a LockBudget's deadline has not passed (false without one).
  bool lock_time_left() const;

 private:
  friend class LockBudget;
  static int on_busy(void* self, int attempt);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::chrono::milliseconds lock_timeout_;
  // While a LockBudget is alive, every lock wait ends at this instant: one bounded wait per
  // store call. Otherwise each statement waits up to lock_timeout_ from its first busy retry.
  std::optional<std::chrono::steady_clock::time_point> call_deadline_;
  std::chrono::steady_clock::time_point statement_deadline_;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
};

/// For its lifetime, all waits of `conn` for other connections' locks share one deadline,
/// now + the connection's lock timeout: a store call that meets a held lock fails after that
/// one wait, however many statements (BEGIN, COMMIT, reads) it needed the lock for.
class LockBudget {
 public:
  explicit LockBudget(Connection& conn);
  ~LockBudget();
  LockBudget(const LockBudget&) = delete;
  LockBudget& operator=(const LockBudget&) = delete;

 private:
  Connection& conn_;
};

/// BEGIN IMMEDIATE (DEFERRED for a read) ... COMMIT; rolls back in the destructor unless
/// committed, so an exception leaves the database unchanged.
class Transaction {
 public:
  enum class Kind { kWrite, kRead };
  explicit Transaction(Connection& conn, Kind kind = Kind::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

/// Throws the MlflowException fitting SQLite result code `rc` (with the context message).
[[noreturn]] void throw_sqlite_error(const Connection& conn, int rc, const std::string& context);

}  // namespace mlflow::internal::sqlite
