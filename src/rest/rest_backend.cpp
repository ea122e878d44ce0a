// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/rest_backend.hpp"

#include <utility>

#include "rest/rest_registry_store.hpp"
#include "rest/rest_trace_store.hpp"
#include "rest/rest_tracking_store.hpp"
#include "rest/rest_workspace_store.hpp"
#include "transport/transport_config.hpp"

namespace mlflow::internal {

std::shared_ptr<RestClient> make_rest_client(const ResolvedConfig& config,
                                             std::shared_ptr<HttpTransport> transport,
                                             RetryHooks hooks) {
  if (!transport) transport = make_curl_transport(transport_options_for(config));
  return std::make_shared<RestClient>(config, std::move(transport), std::move(hooks));
}

Backend make_rest_backend(const ResolvedConfig& config, std::shared_ptr<HttpTransport> transport,
                          RetryHooks hooks) {
  if (!transport) transport = make_curl_transport(transport_options_for(config));
  auto client = make_rest_client(config, transport, hooks);
  auto tracking = std::make_shared<RestTrackingStore>(client);
  Backend backend;
  backend.tracking = tracking;
  backend.logged_models = tracking;
  backend.registry = std::make_shared<RestRegistryStore>(client);
  backend.workspaces = std::make_shared<RestWorkspaceStore>(client);
  // Artifact repositories make their own streaming transport from the same settings.
  backend.artifacts.config = config;
  backend.artifacts.hooks = hooks;
  backend.traces = std::make_shared<RestTraceStore>(client, backend.artifacts);
  // The exporter's store shares the connection pool but not the retries (it re-sends itself).
  ResolvedConfig export_config = config;
  export_config.retry.max_retries = 0;
  backend.trace_export = std::make_shared<RestTraceStore>(
      make_rest_client(export_config, std::move(transport), std::move(hooks)), backend.artifacts);
  return backend;
}

}  // namespace mlflow::internal
