// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// What mlflow-cpp does when the program ends (docs/adr/0016-async-layer-and-deadlines.md).
///
/// * Normal exit (return from main, std::exit): an at-exit hook stores what was logged
///   asynchronously and ends the fluent API's active runs as FINISHED (ADR 0007), within
///   AsyncLoggingOptions::exit_timeout (MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT, default 30 s).
/// * An uncaught exception (std::terminate): mlflow-cpp's terminate handler does the same,
///   ending the active runs as FAILED, within the same deadline, then calls the handler that
///   was installed before it (by default std::abort: the process still dies as it would have).
///   It is installed by the first asynchronous logging call and by the first fluent run
///   (start_run, or a fluent logging call that starts one), whichever comes first; a handler
///   the program installs later replaces it.
/// * SIGINT/SIGTERM only with install_signal_handlers() (mlflow/fluent.hpp): runs end KILLED.
/// Data that cannot be stored within the deadline is counted and reported (the error callback
/// of AsyncLoggingOptions and the SDK log handler), never dropped silently.

namespace mlflow {

/// Whether mlflow-cpp installs its std::terminate handler (default: yes). Call with false
/// before the first asynchronous logging call and the first fluent run to opt out (or set
/// MLFLOW_CPP_TERMINATE_HANDLER=false); called with false later, it puts back the handler it
/// replaced, when its own is still the installed one.
void set_terminate_handler_enabled(bool enabled);

}  // namespace mlflow
