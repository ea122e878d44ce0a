// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Store-level access for tests that must write what only a layer below MlflowClient writes
// (e.g. a prompt made by the prompt registry): a second backend on the client's own store.

#include <memory>

#include "client/backend_factory.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/registry_store.hpp"

namespace mlflow::testing {

/// The registry store of a new backend on `client`'s tracking URI (server or database file).
inline std::shared_ptr<internal::RegistryStore> registry_store_of(const MlflowClient& client) {
  ClientOptions options;
  options.tracking_uri = client.tracking_uri();
  return internal::make_backend(options).registry;
}

}  // namespace mlflow::testing
