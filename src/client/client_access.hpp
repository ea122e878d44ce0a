// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// How the library's layers above the client (the tracing exporter) reach a client's shared
// state without a public getter: MlflowClient::Access is a nested type (so it sees the private
// members) that the public header only declares; only code inside src/ can include this
// definition.

#include <memory>

#include "client/client_impl.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {

struct MlflowClient::Access {
  static const std::shared_ptr<MlflowClient::Impl>& impl(const MlflowClient& client) noexcept {
    return client.impl_;
  }
};

}  // namespace mlflow
