// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// mlflow-cpp's std::terminate handler (ADR 0016, public side: mlflow/exit_handling.hpp). The
// layers that hold data in memory add a hook (async logging: store the queues; the fluent
// API: end the active runs as FAILED); the handler runs them once, on the thread that called
// std::terminate, then chains to the handler it replaced.

namespace mlflow::internal {

using TerminateHook = void (*)() noexcept;

/// Adds `hook` (once per distinct hook; run in the order added) and installs the handler on
/// the first call, unless it was disabled (set_terminate_handler_enabled(false) or
/// MLFLOW_CPP_TERMINATE_HANDLER=false).
void add_terminate_hook(TerminateHook hook) noexcept;

}  // namespace mlflow::internal
