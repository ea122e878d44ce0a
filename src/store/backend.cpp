// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "store/backend.hpp"

#include <utility>

#include "mlflow/errors.hpp"

namespace mlflow::internal {

Backend with_seam_defaults(Backend backend) {
  if (!backend.tracking) {
    throw_error(ErrorCode::kInvalidParameterValue, "A backend needs a tracking store.");
  }
  if (!backend.logged_models) backend.logged_models = std::make_shared<LoggedModelStore>();
  if (!backend.registry) backend.registry = std::make_shared<RegistryStore>();
  if (!backend.workspaces) backend.workspaces = std::make_shared<WorkspaceStore>();
  if (!backend.traces) backend.traces = std::make_shared<TraceStore>();
  if (!backend.trace_export) backend.trace_export = backend.traces;
  return backend;
}

}  // namespace mlflow::internal
