// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The transport settings a resolved client configuration implies, for every HTTP user of it
// (the REST stores and the artifact repositories alike).

#include "core/config.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

/// TLS verification and certificates, redirects, User-Agent mlflow-cpp/<version>.
TransportOptions transport_options_for(const ResolvedConfig& config);

}  // namespace mlflow::internal
