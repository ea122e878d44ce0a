// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/trace_store_factory.hpp"

#include "mlflow/errors.hpp"
#include "rest/rest_trace_store.hpp"
#include "rest/rest_tracking_store.hpp"

namespace mlflow::internal {

std::shared_ptr<TraceStore> make_trace_store(const MlflowClient& client, bool for_export) {
  const auto& store = client.store();
  if (auto* rest = dynamic_cast<RestTrackingStore*>(store.get())) {
    ResolvedConfig config = rest->client().config();
    if (for_export) config.retry.max_retries = 0;
    return std::make_shared<RestTraceStore>(std::make_shared<RestClient>(
        std::move(config), rest->client().transport(), rest->client().hooks()));
  }
  if (auto traces = std::dynamic_pointer_cast<TraceStore>(store)) return traces;
  throw MlflowException(ErrorCode::kNotImplemented,
                        "Traces cannot be stored in the tracking store at '" +
                            client.tracking_uri() +
                            "' yet: use an MLflow tracking server (http:// or https://).");
}

}  // namespace mlflow::internal
