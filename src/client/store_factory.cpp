// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/store_factory.hpp"

#include "client/workspace_store_factory.hpp"
#include "mlflow/errors.hpp"
#include "rest/rest_tracking_store.hpp"
#include "sqlite/sqlite_tracking_store.hpp"

namespace mlflow::internal {
namespace {

std::string scheme_of(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos) return "";
  const std::string scheme = uri.substr(0, colon);
  for (char c : scheme) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      return "";
  }
  return scheme;
}

}  // namespace

std::shared_ptr<TrackingStore> make_tracking_store(const ResolvedConfig& config) {
  const std::string& uri = config.tracking_uri;
  const std::string scheme = scheme_of(uri);
  if (scheme == "http" || scheme == "https") return make_rest_tracking_store(config);
  if (scheme == "sqlite") {
    require_default_workspace_for_embedded_store(config);
    return make_sqlite_tracking_store(uri);
  }
  if (scheme.empty() || scheme == "file") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Tracking URI '" + uri +
                    "' names a file store, which MLflow no longer supports and mlflow-cpp does "
                    "not implement. Use an embedded database instead, e.g. "
                    "MLFLOW_TRACKING_URI=sqlite:///mlflow.db (migrate existing data with "
                    "`mlflow migrate-filestore`), or a server URI such as http://127.0.0.1:5000.");
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "Unsupported tracking URI scheme '" + scheme + "' in '" + uri +
                  "'. mlflow-cpp supports http://, https:// (an MLflow server) and "
                  "sqlite:///path.db (the embedded store).");
}

}  // namespace mlflow::internal
