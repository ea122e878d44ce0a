// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Global state of the fluent API (ADR 0007, ADR 0016). One mutex guards the process-wide parts;
// the run stacks are thread_local and hold shared activations whose `active` flag whoever ends
// the run clears, so a run ended from another thread (a moved ActiveRun, the signal watcher)
// drops out of its thread's stack the next time that stack is read, and the logging hot path
// reads its thread's top without taking the mutex or copying a client.

#include "fluent/state.hpp"

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>

#include "async/async_logger.hpp"
#include "core/config.hpp"
#include "core/deadline.hpp"
#include "core/log.hpp"
#include "core/terminate_handler.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "system_metrics/monitor.hpp"

namespace mlflow {
namespace internal {
namespace {

struct GlobalState {
  std::mutex mutex;
  std::optional<std::string> tracking_uri;
  std::optional<std::string> active_experiment_id;
  std::string client_uri;  // tracking URI + '\n' + explicit registry URI
  std::shared_ptr<MlflowClient> client;
  std::map<unsigned long long, std::shared_ptr<Activation>> active;  // by token
  unsigned long long next_token = 1;
  std::set<std::string> used_env_run_ids;
  std::map<unsigned long long, std::unique_ptr<SystemMetricsMonitor>> monitors;  // by token
};

GlobalState& state() {
  static GlobalState s;
  return s;
}

thread_local std::vector<std::shared_ptr<Activation>> t_stack;
thread_local std::optional<std::string> t_last_active_run_id;

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// Python's atexit(_safe_end_run): runs left active end FINISHED (best effort).
void end_runs_at_exit() noexcept { end_all_runs_for_exit(RunStatus::kFinished); }

// An uncaught exception: the runs end FAILED, as leaving `with mlflow.start_run()` by an
// exception does in Python (std::terminate does not unwind to ActiveRun's destructors).
void end_runs_on_terminate() noexcept { end_all_runs_for_exit(RunStatus::kFailed); }

}  // namespace

Activation::Activation(unsigned long long token_, Run run_, MlflowClient client_)
    : token(token_), run(std::move(run_)), client(std::move(client_)), pid(::getpid()) {}

unsigned long long activate(const Run& run, const MlflowClient& client) {
  auto& s = state();
  // Registered at the first activation, i.e. after the state and the client's own statics
  // exist, so the hook runs before any of them is destroyed.
  static std::once_flag hooks_once;
  std::call_once(hooks_once, [] {
    std::atexit(end_runs_at_exit);
    add_terminate_hook(end_runs_on_terminate);
  });
  std::shared_ptr<Activation> activation;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    activation = std::make_shared<Activation>(s.next_token++, run, client);
    s.active.emplace(activation->token, activation);
  }
  t_stack.push_back(activation);
  return activation->token;
}

namespace {

// The process-wide half of deactivate: the activation leaves the active set and its monitor
// is stopped. Touches no thread_local, so the exit paths may use it after the exiting thread's
// thread_locals are destroyed (they are, before atexit hooks run).
std::shared_ptr<Activation> end_activation(unsigned long long token) {
  auto& s = state();
  std::shared_ptr<Activation> activation;
  std::unique_ptr<SystemMetricsMonitor> monitor;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.active.find(token);
    if (it == s.active.end()) return nullptr;
    activation = std::move(it->second);
    s.active.erase(it);
    activation->active.store(false, std::memory_order_release);
    if (auto m = s.monitors.find(token); m != s.monitors.end()) {
      monitor = std::move(m->second);
      s.monitors.erase(m);
    }
  }
  // Stopped (joined) outside the lock: its last log_batch must not hold up the other threads.
  monitor.reset();
  return activation;
}

}  // namespace

std::optional<MlflowClient> deactivate(unsigned long long token, const std::string& run_id) {
  const auto activation = end_activation(token);
  if (!activation) return std::nullopt;
  for (auto it = t_stack.begin(); it != t_stack.end(); ++it) {
    if ((*it)->token == token) {
      t_stack.erase(it);
      break;
    }
  }
  t_last_active_run_id = run_id;
  return activation->client;
}

void attach_monitor(unsigned long long token, std::unique_ptr<SystemMetricsMonitor> monitor) {
  if (!monitor) return;
  auto& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.active.count(token) != 0) {
      s.monitors[token] = std::move(monitor);
      return;
    }
  }
  monitor.reset();  // the run ended meanwhile (another thread, a signal)
}

std::vector<StackEntry> current_stack() {
  std::vector<StackEntry> kept;
  std::vector<std::shared_ptr<Activation>> still_active;
  for (auto& activation : t_stack) {
    if (!activation->active.load(std::memory_order_acquire)) continue;
    kept.push_back(StackEntry{activation->token, activation->run, activation->client});
    still_active.push_back(activation);
  }
  t_stack.swap(still_active);
  return kept;
}

Activation* current_activation() {
  // Same pruning as current_stack(), of the top only: activations ended elsewhere leave.
  while (!t_stack.empty() && !t_stack.back()->active.load(std::memory_order_acquire)) {
    t_stack.pop_back();
  }
  return t_stack.empty() ? nullptr : t_stack.back().get();
}

std::vector<std::pair<unsigned long long, std::string>> all_active_runs() {
  auto& s = state();
  const int pid = ::getpid();
  std::lock_guard<std::mutex> lock(s.mutex);
  std::vector<std::pair<unsigned long long, std::string>> out;
  for (const auto& [token, activation] : s.active) {
    if (activation->pid == pid) out.emplace_back(token, activation->run_id());
  }
  return out;
}

void end_all_runs_for_exit(RunStatus status) noexcept {
  try {
    // First what was logged asynchronously (a run's end drains its client's queue anyway, but
    // all loggers at once, each within its exit timeout); then the runs' ends, within what is
    // left of the latest of those deadlines.
    const auto at = shutdown_all_async_loggers_for_exit(std::chrono::steady_clock::now());
    Deadline deadline(
        "the exit deadline of mlflow-cpp (AsyncLoggingOptions::exit_timeout, "
        "MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT)",
        at);
    ScopedDeadline scope(deadline);
    for (const auto& [token, run_id] : all_active_runs()) {
      // end_activation, not deactivate: at exit this thread's thread_locals are gone.
      const auto activation = end_activation(token);
      if (!activation) continue;
      MlflowClient* client = &activation->client;
      try {
        SetTerminatedOptions options;
        options.status = status;
        client->set_terminated(run_id, options);
      } catch (const std::exception& e) {
        log(LogLevel::kError,
            "mlflow: could not end run " + run_id + " as " + to_string(status) + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    log(LogLevel::kError, std::string("mlflow: could not end the active runs: ") + e.what());
  } catch (...) {
    log(LogLevel::kError, "mlflow: could not end the active runs");
  }
}

std::optional<std::string> last_active_run_id() { return t_last_active_run_id; }

std::optional<std::string> active_experiment_id() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.active_experiment_id;
}

void set_active_experiment_id(std::optional<std::string> experiment_id) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.active_experiment_id = std::move(experiment_id);
}

std::string resolve_experiment_id() {
  if (auto id = active_experiment_id()) return *id;
  auto name = env("MLFLOW_EXPERIMENT_NAME");
  auto id = env("MLFLOW_EXPERIMENT_ID");
  auto client = default_client();
  if (name) {
    if (auto exp = client.get_experiment_by_name(*name)) {
      if (id && *id != exp->experiment_id) {
        throw_error(ErrorCode::kInvalidParameterValue,
                    "The provided MLFLOW_EXPERIMENT_ID environment variable value `" + *id +
                        "` does not match the experiment id `" + exp->experiment_id +
                        "` for experiment name `" + *name + "`");
      }
      return exp->experiment_id;
    }
    return client.create_experiment(*name);
  }
  if (id) {
    try {
      return client.get_experiment(*id).experiment_id;
    } catch (const MlflowException&) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "The provided MLFLOW_EXPERIMENT_ID environment variable value `" + *id +
                      "` does not exist in the tracking server. Provide a valid experiment_id.");
    }
  }
  return "0";
}

std::optional<std::string> take_env_run_id() {
  auto id = env("MLFLOW_RUN_ID");
  if (!id) return std::nullopt;
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.used_env_run_ids.insert(*id).second) return std::nullopt;
  return id;
}

void reset_fluent_state() {
  set_registry_uri("");
  auto& s = state();
  std::map<unsigned long long, std::unique_ptr<SystemMetricsMonitor>> monitors;
  std::lock_guard<std::mutex> lock(s.mutex);
  monitors.swap(s.monitors);  // declared before the lock: stopped after it is released
  s.tracking_uri.reset();
  s.active_experiment_id.reset();
  s.client.reset();
  s.client_uri.clear();
  for (auto& [token, activation] : s.active) activation->active.store(false);
  s.active.clear();
  s.used_env_run_ids.clear();
  t_stack.clear();
  t_last_active_run_id.reset();
}

}  // namespace internal

void set_tracking_uri(const std::string& uri) {
  auto& s = internal::state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (uri.empty()) {
    s.tracking_uri.reset();
  } else {
    s.tracking_uri = uri;
  }
}

std::string get_tracking_uri() {
  {
    auto& s = internal::state();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.tracking_uri) return *s.tracking_uri;
  }
  if (auto uri = internal::env("MLFLOW_TRACKING_URI")) return *uri;
  return internal::default_tracking_uri();
}

bool is_tracking_uri_set() {
  {
    auto& s = internal::state();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.tracking_uri) return true;
  }
  return internal::env("MLFLOW_TRACKING_URI").has_value();
}

MlflowClient default_client() {
  const std::string uri = get_tracking_uri();
  // set_workspace's and set_registry_uri's values are part of the client's identity, like the
  // URI (set_registry_uri wins over MLFLOW_REGISTRY_URI for the fluent registry calls).
  const std::optional<std::string> workspace = internal::fluent_workspace();
  const std::optional<std::string> registry = internal::explicit_registry_uri();
  const std::string key = uri + '\n' + workspace.value_or("") + '\n' + registry.value_or("");
  auto& s = internal::state();
  std::lock_guard<std::mutex> lock(s.mutex);
  // Built under the lock so that concurrent first calls share one client (one connection
  // pool, one SQLite handle).
  if (!s.client || s.client_uri != key) {
    ClientOptions options;
    options.tracking_uri = uri;
    options.workspace = workspace;
    options.registry_uri = registry;
    s.client = std::make_shared<MlflowClient>(std::move(options));
    s.client_uri = key;
  }
  return *s.client;
}

}  // namespace mlflow
