// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// ActiveRun: the RAII handle of a run started with mlflow::start_run (Python's `with
/// mlflow.start_run() as run:`).

#include <string>

#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"

namespace mlflow {

/// Owns one active run of the fluent API and ends it when it goes out of scope: FINISHED when
/// the scope is left normally, FAILED when it is left by an exception (the destructor compares
/// std::uncaught_exceptions() with the count at construction). The destructor never throws: a
/// failure to end the run goes to the SDK's log handler (mlflow/logging.hpp).
///
/// Move-only. A moved-from ActiveRun owns nothing. The run stays on the run stack of the thread
/// that started it; ending it from another thread (e.g. after moving the handle there) is
/// allowed and removes it from that stack.
class ActiveRun {
 public:
  ActiveRun(const ActiveRun&) = delete;
  ActiveRun& operator=(const ActiveRun&) = delete;
  ActiveRun(ActiveRun&& other) noexcept;
  /// Ends the run this object owned (as the destructor would), then takes `other`'s.
  ActiveRun& operator=(ActiveRun&& other) noexcept;
  ~ActiveRun();

  const std::string& run_id() const noexcept { return run_.info.run_id; }
  /// The run's metadata as of start_run (status RUNNING); use mlflow::get_run for fresh data.
  const RunInfo& info() const noexcept { return run_.info; }
  /// The run as of start_run (Python's `ActiveRun` is a Run snapshot too).
  const Run& run() const noexcept { return run_; }

  /// Ends the run now with `status` (Python's `end_run(status)` for this run). A no-op when the
  /// run was already ended (by mlflow::end_run, a signal, or an earlier end()). Throws when the
  /// store call fails; the run is no longer active either way.
  void end(RunStatus status = RunStatus::kFinished);
  /// Gives up ownership: the run stays active until mlflow::end_run() (or process exit, which
  /// ends it FINISHED as Python's atexit hook does).
  void detach() noexcept;
  /// True while this object still owns an active run.
  bool owns_run() const;

 private:
  friend ActiveRun make_active_run(Run run, unsigned long long token);
  ActiveRun(Run run, unsigned long long token) noexcept;
  void end_quietly() noexcept;

  Run run_;
  /// Identifies this activation in the process-wide registry of active runs; 0 = owns nothing.
  unsigned long long token_ = 0;
  int uncaught_at_start_ = 0;
};

}  // namespace mlflow
