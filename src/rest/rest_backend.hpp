// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The REST backend: the tracking (with logged models), registry and workspace stores of one
// MLflow server on one RestClient (one connection pool, one retry policy, one server-info
// answer), and the server's configuration lent to artifact repositories.

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "rest/rest_client.hpp"
#include "store/backend.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

/// A RestClient for `config`; `transport` defaults to libcurl with the config's TLS settings.
std::shared_ptr<RestClient> make_rest_client(const ResolvedConfig& config,
                                             std::shared_ptr<HttpTransport> transport = nullptr,
                                             RetryHooks hooks = default_retry_hooks());

/// Every store of the server at `config.tracking_uri` (tests inject `transport` and `hooks`).
Backend make_rest_backend(const ResolvedConfig& config,
                          std::shared_ptr<HttpTransport> transport = nullptr,
                          RetryHooks hooks = default_retry_hooks());

}  // namespace mlflow::internal
