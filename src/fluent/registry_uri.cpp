// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent registry URI (Python's mlflow.set_registry_uri / get_registry_uri).

#include <cstdlib>
#include <optional>
#include <string>

#include "fluent/guarded_setting.hpp"
#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace internal {
namespace {

GuardedSetting registry_uri_setting;  // constant-initialised: usable from any static

}  // namespace

std::optional<std::string> explicit_registry_uri() { return registry_uri_setting.get(); }

}  // namespace internal

void set_registry_uri(const std::string& uri) {
  internal::registry_uri_setting.set(uri.empty() ? std::nullopt : std::optional<std::string>(uri));
}

std::string get_registry_uri() {
  if (auto uri = internal::explicit_registry_uri()) return *uri;
  const char* env = std::getenv("MLFLOW_REGISTRY_URI");
  if (env != nullptr && *env != '\0') return env;
  // Python: the registry defaults to the tracking URI (databricks -> databricks-uc aside).
  return get_tracking_uri();
}

}  // namespace mlflow
