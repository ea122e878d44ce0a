// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What every command shares: the global options and the one client, built on first use so
// that `--help` and usage errors never open a store.

#include <optional>
#include <string>

#include "mlflow/mlflow_client.hpp"

namespace mlflow_cli {

struct GlobalOptions {
  std::string tracking_uri;  // empty: MLFLOW_TRACKING_URI, else the library's default
  bool json = false;         // machine-readable output
};

class Context {
 public:
  GlobalOptions options;

  /// The client of `--tracking-uri` (or of MLflow's environment variables).
  mlflow::MlflowClient& client();

 private:
  std::optional<mlflow::MlflowClient> client_;
};

}  // namespace mlflow_cli
