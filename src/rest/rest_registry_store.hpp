// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// RegistryStore over MLflow's model registry REST API (api/2.0/mlflow/registered-models and
// model-versions). Requests are shaped as MLflow's Python client shapes them: reads as GET
// with query parameters, writes as POST/PATCH/DELETE with a JSON body (DELETE too).

#include <memory>

#include "core/config.hpp"
#include "rest/rest_client.hpp"
#include "store/registry_store.hpp"

namespace mlflow::internal {

class RestRegistryStore : public RegistryStore {
 public:
  /// `transport` defaults to the libcurl transport with the config's TLS settings.
  explicit RestRegistryStore(const ResolvedConfig& config,
                             std::shared_ptr<HttpTransport> transport = nullptr,
                             RetryHooks hooks = default_retry_hooks());
  /// On a RestClient shared with the backend's other REST stores (rest/rest_backend.hpp).
  explicit RestRegistryStore(std::shared_ptr<RestClient> client);

#include "store/registry_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<RestClient> shared_client_;
  RestClient& client_;  // *shared_client_
};

}  // namespace mlflow::internal
