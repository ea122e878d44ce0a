// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Thin RAII wrappers over the SQLite C API. Every SQLite failure becomes an MlflowException
// with the code MLflow's SQL store would produce: busy/locked -> TEMPORARILY_UNAVAILABLE (the
// client retries it), constraint violations -> INVALID_PARAMETER_VALUE unless the caller maps
// them first, anything else -> BAD_REQUEST/INTERNAL_ERROR. Values are only ever bound.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace mlflow::internal::sqlite {

/// A prepared statement. Owned by the Connection's cache (reset on release) or standalone.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // 1-based, as SQLite numbers parameters. Each returns *this for chaining.
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);

  /// True when a row is available; false when done. Throws on error.
  bool step();
  /// Runs to completion (for statements without result rows).
  void run();
  /// Clears bindings and rewinds, so the statement can be reused.
  void reset() noexcept;

  bool is_null(int column) const;
  std::string text(int column) const;
  std::optional<std::string> opt_text(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> opt_int64(int column) const;
  double real(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

/// A cached statement borrowed from a Connection; resets itself when it goes out of scope.
class StatementRef {
 public:
  explicit StatementRef(Statement& stmt) : stmt_(&stmt) {}
  ~StatementRef() { stmt_->reset(); }
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

enum class OpenMode { kReadOnly, kReadWriteCreate };

/// One database connection with a per-connection prepared statement cache.
class Connection {
 public:
  /// `path` may be ":memory:". Throws InvalidArgument when the file cannot be opened.
  Connection(const std::string& path, OpenMode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one or more statements without parameters (DDL, PRAGMA).
  void exec(const std::string& sql);
  /// A cached prepared statement for `sql` (a string literal of the store, never user text).
  StatementRef prepare(const std::string& sql);
  /// Number of rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const;
  /// Rowid of the last INSERT on this connection.
  std::int64_t last_insert_rowid() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
};

/// BEGIN IMMEDIATE (retried while another writer holds the lock) ... COMMIT; rolls back in
/// the destructor unless committed, so an exception leaves the database unchanged.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

/// Throws the MlflowException fitting SQLite result code `rc` (with the context message).
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& context);

}  // namespace mlflow::internal::sqlite
