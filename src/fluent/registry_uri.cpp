// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent registry URI (Python's mlflow.set_registry_uri / get_registry_uri).

#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace {

struct RegistryUriState {
  std::mutex mutex;
  std::optional<std::string> uri;
};

RegistryUriState& registry_state() {
  static RegistryUriState s;
  return s;
}

}  // namespace

namespace internal {

std::optional<std::string> explicit_registry_uri() {
  auto& s = registry_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.uri;
}

}  // namespace internal

void set_registry_uri(const std::string& uri) {
  auto& s = registry_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (uri.empty()) {
    s.uri.reset();
  } else {
    s.uri = uri;
  }
}

std::string get_registry_uri() {
  {
    auto& s = registry_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.uri) return *s.uri;
  }
  const char* env = std::getenv("MLFLOW_REGISTRY_URI");
  if (env != nullptr && *env != '\0') return env;
  // Python: the registry defaults to the tracking URI (databricks -> databricks-uc aside).
  return get_tracking_uri();
}

}  // namespace mlflow
