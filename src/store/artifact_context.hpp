// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What a backend lends its artifact repositories (src/artifacts/): the resolved configuration
// that `mlflow-artifacts:` URIs are resolved against (tracking URI with any path prefix),
// with the credentials, custom headers, workspace, TLS settings, timeout and retries that
// requests to the server carry. A REST backend lends its own; the embedded one only its
// tracking URI (for error messages) and the defaults.

#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

struct ArtifactClientContext {
  ResolvedConfig config;
  /// Null: the repository makes a libcurl transport from `config` and streams file bodies
  /// from and to disk. Tests inject one (bodies then go through memory).
  std::shared_ptr<HttpTransport> transport;
  RetryHooks hooks = default_retry_hooks();
};

}  // namespace mlflow::internal
