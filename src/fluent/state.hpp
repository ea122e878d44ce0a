// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The fluent API's global state (ADR 0007): tracking URI, default client, active experiment,
// the process-wide registry of active runs and the per-thread run stacks that order them.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/active_run.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"

namespace mlflow {

// Friend of ActiveRun (declared there): wraps an activation made by internal::activate.
ActiveRun make_active_run(Run run, unsigned long long token);

namespace internal {

class SystemMetricsMonitor;

/// One activation of a run (a start_run not yet ended), shared by the process-wide registry
/// and the stack of the thread that made it. Whoever ends it clears `active`; the thread's
/// stack reads the flag without a lock.
struct Activation {
  Activation(unsigned long long token, Run run, MlflowClient client);
  const unsigned long long token;
  const Run run;
  /// The client that started it: everything done to the run while active uses it, so a later
  /// set_tracking_uri cannot send its end to another store.
  MlflowClient client;
  /// The process that made it (a fork()ed child's exit paths leave the parent's runs alone).
  const int pid;
  std::atomic<bool> active{true};

  const std::string& run_id() const noexcept { return run.info.run_id; }
};

/// Registers `run` as active and pushes it on the calling thread's stack; returns its token.
unsigned long long activate(const Run& run, const MlflowClient& client);
/// Removes an activation and returns the client it was started with; std::nullopt when it was
/// no longer active. On success the calling thread's last-active run becomes `run_id`.
std::optional<MlflowClient> deactivate(unsigned long long token, const std::string& run_id);
/// Hands activation `token` its system metrics monitor, stopped when the activation ends (before
/// the run's end is sent); stopped at once when the activation already ended.
void attach_monitor(unsigned long long token, std::unique_ptr<SystemMetricsMonitor> monitor);
/// The calling thread's stack, bottom first, without activations ended elsewhere.
struct StackEntry {
  unsigned long long token;
  Run run;
  MlflowClient client;
};
std::vector<StackEntry> current_stack();
/// The top of the calling thread's stack (activations ended elsewhere dropped first), or
/// nullptr. No lock and no copy: the fluent logging hot path. Valid until this thread's stack
/// changes.
Activation* current_activation();
/// Python's _get_or_start_run: the calling thread's active run, else a new one that stays
/// active until end_run() (fluent.cpp).
Activation& active_run_or_start();
/// Every active run of every thread of this process: (token, run id).
std::vector<std::pair<unsigned long long, std::string>> all_active_runs();
std::optional<std::string> last_active_run_id();
/// The exit paths (ADR 0016): stores what was logged asynchronously (every client), then ends
/// every active run of this process as `status`, all within the exit deadline. The at-exit
/// hook uses FINISHED, the terminate handler FAILED, the signal watcher KILLED.
void end_all_runs_for_exit(RunStatus status) noexcept;

std::optional<std::string> active_experiment_id();
void set_active_experiment_id(std::optional<std::string> experiment_id);
/// set_experiment's id, else MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_ID, else "0".
std::string resolve_experiment_id();

/// The URI given to set_registry_uri, or std::nullopt (registry_uri.cpp).
std::optional<std::string> explicit_registry_uri();

/// MLFLOW_RUN_ID when set and not yet used by this process; marks it used.
std::optional<std::string> take_env_run_id();

/// set_workspace's value (src/fluent/workspaces.cpp); std::nullopt = MLFLOW_WORKSPACE applies.
std::optional<std::string> fluent_workspace();

/// For tests: forgets the tracking URI, the active experiment, the used MLFLOW_RUN_ID values
/// and every activation (without ending the runs), and drops the cached client.
void reset_fluent_state();

// ---- Context tags (context.cpp) ----

/// Python's default, git and MLFLOW_RUN_CONTEXT context tags, in that order of precedence.
std::map<std::string, std::string> context_tags();
/// The running program's absolute path (/proc/self/exe), or "" when unknown.
std::string program_path();
/// The HEAD commit of the git checkout containing `path` (walking up), read from .git
/// directly; std::nullopt when there is none.
std::optional<std::string> git_commit_for(const std::string& path);
/// MLFLOW_TRACKING_USERNAME, else the OS user (LOGNAME, USER, LNAME, USERNAME, passwd), else
/// "unknown".
std::string context_user();

}  // namespace internal
}  // namespace mlflow
