// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Workspace store selection (the declaration of make_workspace_store is in
// store/workspace_store.hpp) and the embedded store's workspace rule.

#include "core/config.hpp"
#include "store/workspace_store.hpp"

namespace mlflow::internal {

/// Throws FeatureDisabled when `config` asks for a workspace other than `default`: the
/// embedded store does not scope resources by workspace (ADR 0010).
void require_default_workspace_for_embedded_store(const ResolvedConfig& config);

}  // namespace mlflow::internal
