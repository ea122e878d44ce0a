// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What an MlflowClient and its copies share: the backend bundle, the operation hooks, the
// asynchronous logger, and the tracking URI it shows. Built by MlflowClient's constructors
// from a URI, or by internal::make_client from a backend (tests, custom stores).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "async/async_logger.hpp"
#include "client/operation_hooks.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/backend.hpp"

namespace mlflow {

class MlflowClient::Impl {
 public:
  /// Missing stores of `backend` answer through the seam defaults. `async_by_default`: log
  /// asynchronously when a call does not say (ClientOptions::async_logging, else
  /// MLFLOW_ENABLE_ASYNC_LOGGING).
  Impl(internal::Backend backend, std::string tracking_uri,
       std::vector<std::shared_ptr<OperationHook>> hooks, bool async_by_default);

  internal::TrackingStore& tracking() const noexcept { return *backend_.tracking; }
  const std::shared_ptr<internal::TrackingStore>& tracking_ptr() const noexcept {
    return backend_.tracking;
  }
  internal::LoggedModelStore& logged_models() const noexcept { return *backend_.logged_models; }
  const std::shared_ptr<internal::RegistryStore>& registry() const noexcept {
    return backend_.registry;
  }
  internal::WorkspaceStore& workspaces() const noexcept { return *backend_.workspaces; }
  internal::TraceStore& traces() const noexcept { return *backend_.traces; }
  /// The background exporter's trace store (no transport retries; see store/backend.hpp).
  const std::shared_ptr<internal::TraceStore>& trace_export() const noexcept {
    return backend_.trace_export;
  }
  const internal::ArtifactClientContext& artifact_context() const noexcept {
    return backend_.artifacts;
  }
  const std::string& tracking_uri() const noexcept { return tracking_uri_; }
  const internal::OperationHooks& hooks() const noexcept { return hooks_; }

  /// The asynchronous logger, made on first use.
  internal::AsyncLogHolder& async() noexcept { return async_; }
  /// ClientOptions::async_logging / MLFLOW_ENABLE_ASYNC_LOGGING at construction.
  bool async_by_default() const noexcept { return async_by_default_; }

 private:
  internal::Backend backend_;
  std::string tracking_uri_;
  internal::OperationHooks hooks_;
  internal::AsyncLogHolder async_;
  bool async_by_default_;
};

}  // namespace mlflow

namespace mlflow::internal {

/// A client on `backend` (stores left null answer through the seam defaults), showing
/// `tracking_uri`. For tests and custom stores.
MlflowClient make_client(Backend backend, std::string tracking_uri = "custom-store",
                         std::vector<std::shared_ptr<OperationHook>> hooks = {});
/// A client on a custom tracking store alone: logged models, registry and workspaces answer
/// that this store does not serve them.
MlflowClient make_client(std::shared_ptr<TrackingStore> tracking);

}  // namespace mlflow::internal
