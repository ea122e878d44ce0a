// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Picks the tracking store from the URI scheme, as MLflow does.

#include <memory>

#include "core/config.hpp"
#include "mlflow/client_options.hpp"
#include "store/registry_store.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

/// http(s):// -> RestTrackingStore; sqlite:// -> SqliteTrackingStore; file: or a plain path
/// -> InvalidArgument explaining the migration (MLflow refuses file stores too); anything else
/// -> InvalidArgument listing the supported schemes.
std::shared_ptr<TrackingStore> make_tracking_store(const ResolvedConfig& config);

/// The model registry store, as MLflow picks it: the registry URI is MLFLOW_REGISTRY_URI when
/// set, else the tracking URI. When both URIs are the same, the registry shares `tracking`'s
/// database connection (sqlite) or configuration (REST); otherwise the registry URI is
/// resolved with the same options and environment.
std::shared_ptr<RegistryStore> make_registry_store(const ClientOptions& options,
                                                   const ResolvedConfig& config,
                                                   const std::shared_ptr<TrackingStore>& tracking);

}  // namespace mlflow::internal
