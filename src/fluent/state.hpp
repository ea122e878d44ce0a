// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The fluent API's global state (ADR 0007): tracking URI, default client, active experiment,
// the process-wide registry of active runs and the per-thread run stacks that order them.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/active_run.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/run.hpp"

namespace mlflow {

// Friend of ActiveRun (declared there): wraps an activation made by internal::activate.
ActiveRun make_active_run(Run run, unsigned long long token);

namespace internal {

class SystemMetricsMonitor;

/// Registers `run` as active and pushes it on the calling thread's stack; returns its token.
/// `client` (the one that started it) is used for everything done to the run while active, so a
/// later set_tracking_uri cannot send its end to another store.
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
/// The run id and client of the top of the calling thread's stack, or std::nullopt. The logging
/// hot path needs only these, so the stack's Run copies are not made.
std::optional<std::pair<std::string, MlflowClient>> current_top();
/// Every active run of every thread: (token, run id).
std::vector<std::pair<unsigned long long, std::string>> all_active_runs();
std::optional<std::string> last_active_run_id();

std::optional<std::string> active_experiment_id();
void set_active_experiment_id(std::optional<std::string> experiment_id);
/// set_experiment's id, else MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_ID, else "0".
std::string resolve_experiment_id();

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
