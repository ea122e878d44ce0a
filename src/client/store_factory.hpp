// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Picks the tracking store from the URI scheme, as MLflow does.

#include <memory>

#include "core/config.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

/// http(s):// -> RestTrackingStore; sqlite:// -> SqliteTrackingStore; file: or a plain path
/// -> InvalidArgument explaining the migration (MLflow refuses file stores too); anything else
/// -> InvalidArgument listing the supported schemes.
std::shared_ptr<TrackingStore> make_tracking_store(const ResolvedConfig& config);

}  // namespace mlflow::internal
