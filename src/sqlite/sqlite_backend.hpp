// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The embedded store of a `sqlite:///` URI: its tracking, logged-model, model-registry and
// workspace stores, all on one sqlite::Database (one connection and one lock per URI, as one
// writer per file is what SQLite allows anyway). This is the only way the layers above build
// SQLite stores; they see the seam interfaces of src/store only.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "store/backend.hpp"

namespace mlflow::internal {

/// The stores of one database, as a Backend (store/backend.hpp) without artifact context or
/// separate export store. Each is safe to use from many threads; they share the database, so a
/// write through one is seen by the others at once.
using SqliteStores = Backend;

struct SqliteStoreOptions {
  /// How long one call waits, in all, for a lock another connection holds before it fails
  /// with TEMPORARILY_UNAVAILABLE. Unset: the URI's `?timeout=<seconds>` (the parameter
  /// SQLAlchemy hands to Python's sqlite3.connect), else MLflow's 20 s.
  std::optional<std::chrono::milliseconds> lock_timeout;
  /// Root of new experiments' artifact locations (`<root>/<experiment id>`). Unset:
  /// `<working directory>/mlruns`, as MLflow's for a local database.
  std::optional<std::string> artifact_root;
};

/// Opens (creating when new, with missing parent directories) the database of a
/// `sqlite:///relative.db`, `sqlite:////abs/path.db` or `sqlite:///:memory:` URI and returns its
/// stores. Each `:memory:` URI opened is a private database. Throws InvalidArgument for a URI
/// that is not sqlite:// or a file that is not an MLflow database, and
/// MlflowException(INVALID_STATE) for a schema revision other than MLflow 3.18's; such files
/// are left unmodified. A file this process may not write opens read-only (ADR 0015).
SqliteStores make_sqlite_stores(const std::string& uri, const SqliteStoreOptions& options = {});

/// Resolves the database path of a sqlite URI: ":memory:" or an absolute file path (the query
/// string is not part of it). Throws InvalidArgument for a URI that is not `sqlite://...`.
std::string sqlite_path_from_uri(const std::string& uri);

/// The lock timeout a sqlite URI asks for with `?timeout=<seconds>` (a decimal number, as
/// Python's float() reads it; negative means no wait); nullopt without one. Throws
/// InvalidArgument for a value that is not a finite number.
std::optional<std::chrono::milliseconds> sqlite_lock_timeout_from_uri(const std::string& uri);

/// make_sqlite_stores(uri).tracking.
std::shared_ptr<TrackingStore> make_sqlite_tracking_store(const std::string& uri);

// ---- Transitional, until the client keeps the SqliteStores bundle itself (branch `backend`).

/// The stores on the database of `tracking`, which must come from make_sqlite_stores (or
/// make_sqlite_tracking_store); `tracking` itself is the bundle's tracking store. Throws
/// InvalidArgument for any other store.
SqliteStores sqlite_stores_sharing(const std::shared_ptr<TrackingStore>& tracking);

/// sqlite_stores_sharing(tracking).registry.
std::shared_ptr<RegistryStore> make_sqlite_registry_store(
    const std::shared_ptr<TrackingStore>& tracking);

}  // namespace mlflow::internal
