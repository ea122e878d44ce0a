// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The TraceStore of a client's backend. Until the backend bundle (src/store/backend.hpp) holds
// a TraceStore slot, it is found here: the REST tracking store's configuration and connection
// pool make a RestTraceStore; a tracking store that implements TraceStore itself (the embedded
// store) is used as is.

#include <memory>

#include "mlflow/mlflow_client.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal {

/// `for_export`: the exporter holds and re-sends on its own, so the store's requests are not
/// retried by the transport (and never sleep past an exit deadline). Throws
/// MlflowException(kNotImplemented) when the client's store keeps no traces.
std::shared_ptr<TraceStore> make_trace_store(const MlflowClient& client, bool for_export = false);

}  // namespace mlflow::internal
