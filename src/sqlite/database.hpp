// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The embedded store's database: one connection per `sqlite:///` URI, the lock that guards it,
// and the two ways a store call uses it (read, write). The tracking, logged-model, registry
// and workspace stores of a URI share one Database (sqlite_backend.hpp builds them).
// Opening follows ADR 0005 (which files may be opened) and ADR 0015 (read-only files, the
// journal mode, the lock wait).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

#include "sqlite/db.hpp"

namespace mlflow::internal::sqlite {

struct DatabaseOptions {
  /// How long one store call waits, in all, for a lock another connection holds before it
  /// fails with TEMPORARILY_UNAVAILABLE (MLflow's 20 s; `?timeout=<seconds>` in the URI).
  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout;
};

class Database {
 public:
  /// Opens `path` (":memory:" or an absolute file path). A missing or empty file becomes a
  /// new MLflow 3.18 database in WAL journal mode; an existing one must hold 3.18's schema
  /// (ADR 0005) and keeps its journal mode. A file this process cannot write (read-only file
  /// system, no write permission on it or its directory) opens read-only: reads work, writes
  /// fail with PERMISSION_DENIED. New experiments get `<artifact_root>/<id>`.
  static std::shared_ptr<Database> open(const std::string& path, std::string artifact_root,
                                        const DatabaseOptions& options = {});

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs `f(Connection&)` under the lock in one write transaction (BEGIN IMMEDIATE),
  /// committed when `f` returns and rolled back when it throws; returns what `f` returns.
  /// The whole call waits at most the lock timeout for other connections' locks. On a
  /// read-only database it throws PERMISSION_DENIED (cause and fix named) before `f` runs.
  template <typename F>
  decltype(auto) write(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!read_only_reason_.empty()) refuse_write();
    LockBudget budget(*conn_);
    Transaction tx(*conn_, Transaction::Kind::kWrite);
    return run_and_commit(tx, std::forward<F>(f));
  }

  /// Runs `f(Connection&)` under the lock in one read transaction, so everything it reads
  /// comes from one snapshot of the file; returns what `f` returns.
  template <typename F>
  decltype(auto) read(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    LockBudget budget(*conn_);
    Transaction tx(*conn_, Transaction::Kind::kRead);
    return run_and_commit(tx, std::forward<F>(f));
  }

  /// ":memory:" or the absolute file path.
  const std::string& path() const noexcept { return path_; }
  const std::string& artifact_root() const noexcept { return artifact_root_; }
  /// Why this database is open read-only; empty when it can be written.
  const std::string& read_only_reason() const noexcept { return read_only_reason_; }

 private:
  Database(std::unique_ptr<Connection> conn, std::string path, std::string artifact_root,
           std::string read_only_reason);

  template <typename F>
  decltype(auto) run_and_commit(Transaction& tx, F&& f) {
    using Result = std::invoke_result_t<F&, Connection&>;
    if constexpr (std::is_void_v<Result>) {
      f(*conn_);
      tx.commit();
    } else {
      Result result = f(*conn_);
      tx.commit();
      return result;
    }
  }

  [[noreturn]] void refuse_write() const;

  std::mutex mutex_;
  std::unique_ptr<Connection> conn_;
  std::string path_;
  std::string artifact_root_;
  std::string read_only_reason_;
};

}  // namespace mlflow::internal::sqlite
