// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// TrackingStore over MLflow's REST API (api/2.0/mlflow). One HTTP request per method, shaped
// exactly as MLflow's Python client shapes it (see docs of each method in the .cpp);
// validation, chunking and paging live in MlflowClient above.

#include <memory>

#include "core/config.hpp"
#include "rest/rest_client.hpp"
#include "store/logged_model_store.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

class RestTrackingStore : public TrackingStore, public LoggedModelStore {
 public:
  /// `transport` defaults to make_curl_transport(config's TLS settings, "mlflow-cpp/<ver>").
  explicit RestTrackingStore(const ResolvedConfig& config,
                             std::shared_ptr<HttpTransport> transport = nullptr,
                             RetryHooks hooks = default_retry_hooks());
  /// On a RestClient shared with the backend's other REST stores (rest/rest_backend.hpp).
  explicit RestTrackingStore(std::shared_ptr<RestClient> client);

#include "store/tracking_store_overrides.inc"  // IWYU pragma: keep

// Logged models (MLflow 3): src/rest/rest_logged_model_store.cpp.
#include "store/logged_model_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<RestClient> shared_client_;
  RestClient& client_;  // *shared_client_
};

}  // namespace mlflow::internal
