// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/store_kind.hpp"

#include <map>
#include <mutex>

#include "support/test_env.hpp"

namespace mlflow::testing {

MlflowClient client_for(StoreKind kind, const std::string& dir_prefix) {
  if (kind == StoreKind::kServer) return MlflowClient(server_uri());
  static std::mutex mutex;
  static std::map<std::string, std::string> dirs;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = dirs.find(dir_prefix);
  if (it == dirs.end()) it = dirs.emplace(dir_prefix, make_temp_dir(dir_prefix)).first;
  return MlflowClient("sqlite:///" + it->second + "/mlflow.db");
}

std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kServer ? "Server" : "Embedded";
}

}  // namespace mlflow::testing
