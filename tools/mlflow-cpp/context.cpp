// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "context.hpp"

namespace mlflow_cli {

mlflow::MlflowClient& Context::client() {
  if (!client_) {
    client_ = options.tracking_uri.empty() ? mlflow::MlflowClient()
                                           : mlflow::MlflowClient(options.tracking_uri);
  }
  return *client_;
}

}  // namespace mlflow_cli
