// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/sqlite_backend.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "mlflow/errors.hpp"
#include "sqlite/database.hpp"
#include "sqlite/sqlite_logged_model_store.hpp"
#include "sqlite/sqlite_registry_store.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "sqlite/sqlite_workspace_store.hpp"

namespace mlflow::internal {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScheme = "sqlite://";

void require_sqlite_scheme(const std::string& uri) {
  if (uri.compare(0, std::char_traits<char>::length(kScheme), kScheme) != 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + uri +
                    "' is not a SQLite tracking URI. Use sqlite:///relative/path.db, "
                    "sqlite:////absolute/path.db or sqlite:///:memory:.");
  }
}

// The value of `key` in the URI's query string, if present.
std::optional<std::string> query_value(const std::string& uri, const std::string& key) {
  const auto q = uri.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::size_t from = q + 1;
  while (from <= uri.size()) {
    std::size_t end = uri.find('&', from);
    if (end == std::string::npos) end = uri.size();
    const std::string pair = uri.substr(from, end - from);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) return eq == std::string::npos ? "" : pair.substr(eq + 1);
    from = end + 1;
  }
  return std::nullopt;
}

SqliteStores stores_on(const std::shared_ptr<sqlite::Database>& db,
                       std::shared_ptr<TrackingStore> tracking) {
  SqliteStores stores;
  stores.tracking = std::move(tracking);
  stores.logged_models = std::make_shared<SqliteLoggedModelStore>(db);
  stores.registry = std::make_shared<SqliteRegistryStore>(db);
  stores.workspaces = std::make_shared<SqliteWorkspaceStore>(db);
  return stores;
}

}  // namespace

std::string sqlite_path_from_uri(const std::string& uri) {
  require_sqlite_scheme(uri);
  std::string rest = uri.substr(std::char_traits<char>::length(kScheme));
  const auto q = rest.find('?');
  if (q != std::string::npos) rest.erase(q);
  // SQLAlchemy: "sqlite://" alone is an in-memory database; otherwise one '/' separates the
  // (empty) host from the path, so "sqlite:////abs" is absolute and "sqlite:///rel" relative.
  if (rest.empty() || rest == "/" || rest == "/:memory:") return ":memory:";
  if (rest[0] != '/') {
    throw_error(ErrorCode::kInvalidParameterValue,
                "'" + uri +
                    "' has a host part; SQLite URIs need three slashes: sqlite:///file.db "
                    "(relative) or sqlite:////abs/file.db (absolute).");
  }
  return fs::absolute(fs::path(rest.substr(1))).lexically_normal().string();
}

std::optional<std::chrono::milliseconds> sqlite_lock_timeout_from_uri(const std::string& uri) {
  const std::optional<std::string> text = query_value(uri, "timeout");
  if (!text) return std::nullopt;
  // Python's float(): surrounding white space allowed, the whole rest must be the number.
  std::size_t b = 0;
  std::size_t e = text->size();
  while (b < e && std::isspace(static_cast<unsigned char>((*text)[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>((*text)[e - 1]))) --e;
  const std::string number = text->substr(b, e - b);
  char* end = nullptr;
  const double seconds = number.empty() ? NAN : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(seconds)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid timeout '" + *text + "' in '" + uri +
                    "': give the seconds to wait for a locked database as a number, e.g. "
                    "?timeout=5 (the default is 20).");
  }
  // A negative wait is no wait, as SQLite takes it.
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(std::llround(std::max(0.0, seconds) * 1000.0)));
}

SqliteStores make_sqlite_stores(const std::string& uri, const SqliteStoreOptions& options) {
  const std::string path = sqlite_path_from_uri(uri);
  sqlite::DatabaseOptions db_options;
  if (options.lock_timeout) {
    db_options.lock_timeout = *options.lock_timeout;
  } else if (const auto from_uri = sqlite_lock_timeout_from_uri(uri)) {
    db_options.lock_timeout = *from_uri;
  }
  if (path != ":memory:") {
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Cannot create the directory '" + parent.string() +
                      "' for the SQLite database '" + path + "': " + ec.message() + ".");
    }
  }
  // MLflow's default artifact root for a local database: ./mlruns of the working directory.
  std::string artifact_root =
      options.artifact_root.value_or((fs::current_path() / "mlruns").string());
  auto db = sqlite::Database::open(path, std::move(artifact_root), db_options);
  return stores_on(db, std::make_shared<SqliteTrackingStore>(db));
}

std::shared_ptr<TrackingStore> make_sqlite_tracking_store(const std::string& uri) {
  return make_sqlite_stores(uri).tracking;
}

SqliteStores sqlite_stores_sharing(const std::shared_ptr<TrackingStore>& tracking) {
  auto sqlite = std::dynamic_pointer_cast<SqliteTrackingStore>(tracking);
  if (!sqlite) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The embedded model registry and workspaces need the embedded tracking store of "
                "the same sqlite:/// URI.");
  }
  return stores_on(sqlite->database(), tracking);
}

std::shared_ptr<RegistryStore> make_sqlite_registry_store(
    const std::shared_ptr<TrackingStore>& tracking) {
  return sqlite_stores_sharing(tracking).registry;
}

}  // namespace mlflow::internal
