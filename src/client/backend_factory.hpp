// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Builds the backend of a client configuration as MLflow picks its stores: the tracking URI's
// scheme chooses REST (http, https) or the embedded store (sqlite); the registry lives at the
// registry URI (ClientOptions::registry_uri, else MLFLOW_REGISTRY_URI, else the tracking URI).
// Every other scheme is refused with what it is and what to use instead.

#include <memory>

#include "core/config.hpp"
#include "mlflow/client_options.hpp"
#include "store/backend.hpp"

namespace mlflow::internal {

/// The backend of `config` (resolved from `options` and `env`). A registry URI that cannot be
/// opened does not fail here: tracking keeps working and every registry call reports why (as
/// Python resolves the registry lazily). Throws InvalidArgument for an unsupported tracking
/// URI, FeatureDisabled for a workspace on the embedded store (ADR 0010).
Backend make_backend(const ResolvedConfig& config, const ClientOptions& options,
                     const EnvLookup& env);
/// The backend of `options` resolved with the process environment.
Backend make_backend(const ClientOptions& options);

}  // namespace mlflow::internal
