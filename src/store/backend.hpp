// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// One backend: every store seam of one tracking (and registry) configuration, built together by
// one factory (client/backend_factory.hpp from a URI; rest/rest_backend.hpp and the SQLite
// factory for each kind) and held by MlflowClient. Nothing above the stores needs to know
// which kind of store it talks to, so nothing above them casts: a domain a backend lacks is
// the bare seam, which answers each call with its Unserved error (store/unserved.hpp).

#include <memory>

#include "store/artifact_context.hpp"
#include "store/logged_model_store.hpp"
#include "store/registry_store.hpp"
#include "store/trace_store.hpp"
#include "store/tracking_store.hpp"
#include "store/workspace_store.hpp"

namespace mlflow::internal {

struct Backend {
  std::shared_ptr<TrackingStore> tracking;
  /// Logged models (MLflow 3); the REST tracking store's own object, the embedded store's
  /// SqliteLoggedModelStore.
  std::shared_ptr<LoggedModelStore> logged_models;
  /// The model (and prompt) registry: MLFLOW_REGISTRY_URI's backend when that differs.
  std::shared_ptr<RegistryStore> registry;
  std::shared_ptr<WorkspaceStore> workspaces;
  /// Traces, spans and assessments (MLflow 3 GenAI tracing; embedded: MLflow 3.18's trace
  /// tables, ADR 0023).
  std::shared_ptr<TraceStore> traces;
  /// The trace store of the background exporter: the same store, but its requests are not
  /// retried by the transport (the exporter holds and re-sends whole batches itself, and never
  /// sleeps past an exit deadline). Null: `traces`.
  std::shared_ptr<TraceStore> trace_export;
  /// What artifact repositories of this backend's runs and models need.
  ArtifactClientContext artifacts;
};

/// `backend` with every null store replaced by its bare seam (whose calls all say the domain
/// is not served). Throws InvalidArgument when there is no tracking store.
Backend with_seam_defaults(Backend backend);

}  // namespace mlflow::internal
