// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Which backend a URI names (MLflow 3.18's tracking and registry store registries in
// mlflow/tracking/_tracking_service/utils.py and _model_registry/utils.py), and the embedded
// store's limit to the `default` workspace (ADR 0010).
#include "client/backend_factory.hpp"

#include <string>
#include <utility>

#include "core/log.hpp"
#include "core/url.hpp"
#include "mlflow/errors.hpp"
#include "rest/rest_backend.hpp"
#include "sqlite/sqlite_backend.hpp"

namespace mlflow::internal {
namespace {

// "Tracking URI" or "Registry URI", for the messages.
using Role = const char*;
constexpr Role kTracking = "Tracking URI";
constexpr Role kRegistry = "Registry URI";

constexpr const char* kSupported =
    "mlflow-cpp supports an MLflow tracking server (http://host:5000, https://...) and the "
    "embedded store (sqlite:///path/to/mlflow.db).";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The scheme as MLflow's get_uri_scheme and _get_tracking_scheme see it: the bare words
// "databricks", "databricks-uc" and "uc" are schemes; a one-letter scheme is a Windows drive.
std::string mlflow_scheme(const std::string& uri) {
  if (uri == "databricks" || uri == "databricks-uc" || uri == "uc") return uri;
  const std::string scheme = uri_scheme(uri);
  return scheme.size() == 1 ? std::string() : scheme;
}

// Every scheme MLflow's Python client accepts (or refuses itself) that mlflow-cpp does not
// serve, each with what it is and what to use instead.
[[noreturn]] void refuse(Role role, const std::string& uri, const std::string& scheme) {
  const std::string shown = "'" + strip_credentials(uri) + "'";
  const std::string what = std::string(role) + " " + shown;
  if (scheme == "databricks") {
    throw_error(ErrorCode::kInvalidParameterValue,
                what +
                    " names Databricks-hosted MLflow, which mlflow-cpp does not support "
                    "(Databricks authentication and its APIs are not implemented). " +
                    kSupported);
  }
  if (scheme == "databricks-uc" || scheme == "uc") {
    throw_error(ErrorCode::kInvalidParameterValue,
                what + " names a Unity Catalog model registry, which mlflow-cpp does not support" +
                    (role == kTracking ? " (MLflow refuses it as a tracking URI too). "
                                       : ". Leave the registry URI unset to use the tracking "
                                         "store's registry, or point it at another store. ") +
                    kSupported);
  }
  for (const char* engine : {"postgresql", "mysql", "mssql"}) {
    if (starts_with(scheme, engine)) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  what + " names a " + engine +
                      " database, which Python's MLflow opens through SQLAlchemy; mlflow-cpp's "
                      "embedded store opens SQLite files only. Serve the database with "
                      "`mlflow server --backend-store-uri <that URI>` and use the server's "
                      "http:// URI.");
    }
  }
  if (scheme.empty() || scheme == "file") {
    throw_error(ErrorCode::kInvalidParameterValue,
                what +
                    " names a file store, which MLflow no longer supports and mlflow-cpp does "
                    "not implement. Use an embedded database instead, e.g. "
                    "sqlite:///mlflow.db (migrate existing data with `mlflow migrate-filestore`), "
                    "or a server URI such as http://127.0.0.1:5000.");
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "Unsupported " + std::string(role) + " scheme '" + scheme + "' in " + shown + ". " +
                  kSupported + " (Python MLflow's plugin schemes are not available.)");
}

void require_default_workspace_for_embedded_store(const ResolvedConfig& config) {
  if (config.workspace.empty() || config.workspace == kDefaultWorkspaceName) return;
  // Python's local SQL store silently files everything under `default` here; a C++ program
  // asking for isolation should hear that it does not get it.
  throw_error(ErrorCode::kFeatureDisabled,
              "Workspace '" + config.workspace +
                  "' was requested (MLFLOW_WORKSPACE, ClientOptions::workspace or "
                  "mlflow::set_workspace), but the embedded store (" +
                  config.tracking_uri +
                  ") keeps every experiment, run and model in the 'default' workspace. Unset "
                  "the workspace, or serve the database with `mlflow server "
                  "--enable-workspaces --backend-store-uri <this sqlite URI>` and use its "
                  "http:// URI.");
}

// The embedded stores of a sqlite URI, all on one database (src/sqlite/sqlite_backend.hpp).
Backend embedded_backend(const std::string& uri) {
  Backend backend = make_sqlite_stores(uri);
  // Runs of the embedded store keep local artifact URIs; the URI only names the store in the
  // message refusing an mlflow-artifacts: location.
  backend.artifacts.config.tracking_uri = redact_secrets(uri);
  return backend;
}

// Every store of the one URI in `config.tracking_uri`.
Backend backend_for(const ResolvedConfig& config, Role role) {
  const std::string scheme = mlflow_scheme(config.tracking_uri);
  if (scheme == "http" || scheme == "https") return make_rest_backend(config);
  if (scheme == "sqlite") {
    require_default_workspace_for_embedded_store(config);
    return embedded_backend(config.tracking_uri);
  }
  refuse(role, config.tracking_uri, scheme);
}

}  // namespace

Backend make_backend(const ResolvedConfig& config, const ClientOptions& options,
                     const EnvLookup& env) {
  Backend backend = backend_for(config, kTracking);
  const bool explicit_registry = options.registry_uri && !options.registry_uri->empty();
  const std::optional<std::string> registry_uri =
      explicit_registry ? options.registry_uri : env("MLFLOW_REGISTRY_URI");
  if (!registry_uri || registry_uri->empty()) return backend;
  try {
    ClientOptions registry_options = options;
    registry_options.tracking_uri = *registry_uri;
    const ResolvedConfig registry_config = resolve_config(registry_options, env);
    if (registry_config.tracking_uri != config.tracking_uri) {
      backend.registry = backend_for(registry_config, kRegistry).registry;
    }
  } catch (const MlflowException& e) {
    backend.registry = std::make_shared<RegistryStore>(Unserved(
        e.error_code(),
        std::string(explicit_registry ? "ClientOptions::registry_uri" : "MLFLOW_REGISTRY_URI") +
            ": " + e.what()));
  }
  return backend;
}

Backend make_backend(const ClientOptions& options) {
  const auto env = process_env();
  return make_backend(resolve_config(options, env), options, env);
}

}  // namespace mlflow::internal
