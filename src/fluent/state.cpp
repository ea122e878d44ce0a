// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Global state of the fluent API (ADR 0007). One mutex guards the process-wide parts; the run
// stacks are thread_local and hold tokens that are checked against the process-wide registry,
// so a run ended from another thread (a moved ActiveRun, the signal watcher) drops out of its
// thread's stack the next time that stack is read.

#include "fluent/state.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>

#include "core/config.hpp"
#include "core/log.hpp"
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
  std::string client_uri;
  std::shared_ptr<MlflowClient> client;
  std::map<unsigned long long, std::pair<std::string, MlflowClient>> active;  // by token
  unsigned long long next_token = 1;
  std::set<std::string> used_env_run_ids;
  std::map<unsigned long long, std::unique_ptr<SystemMetricsMonitor>> monitors;  // by token
};

// Ends runs left active at exit as FINISHED, as Python's atexit hook does (best effort).
void end_runs_at_exit() noexcept;

GlobalState& state() {
  static GlobalState s;
  return s;
}

thread_local std::vector<StackEntry> t_stack;
thread_local std::optional<std::string> t_last_active_run_id;

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

void end_runs_at_exit() noexcept {
  try {
    for (const auto& [token, run_id] : all_active_runs()) {
      if (auto client = deactivate(token, run_id)) client->set_terminated(run_id, {});
    }
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: could not end runs at exit: ") + e.what());
  } catch (...) {
  }
}

}  // namespace

unsigned long long activate(const Run& run, const MlflowClient& client) {
  auto& s = state();
  // Registered at the first activation, i.e. after the state and the client's own statics
  // exist, so the hook runs before any of them is destroyed.
  static std::once_flag at_exit_once;
  std::call_once(at_exit_once, [] { std::atexit(end_runs_at_exit); });
  unsigned long long token = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    token = s.next_token++;
    s.active.emplace(token, std::make_pair(run.info.run_id, client));
  }
  t_stack.push_back(StackEntry{token, run, client});
  return token;
}

std::optional<MlflowClient> deactivate(unsigned long long token, const std::string& run_id) {
  auto& s = state();
  std::optional<MlflowClient> client;
  std::unique_ptr<SystemMetricsMonitor> monitor;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.active.find(token);
    if (it == s.active.end()) return std::nullopt;
    client = std::move(it->second.second);
    s.active.erase(it);
    if (auto m = s.monitors.find(token); m != s.monitors.end()) {
      monitor = std::move(m->second);
      s.monitors.erase(m);
    }
  }
  // Stopped (joined) outside the lock: its last log_batch must not hold up the other threads.
  monitor.reset();
  for (auto it = t_stack.begin(); it != t_stack.end(); ++it) {
    if (it->token == token) {
      t_stack.erase(it);
      break;
    }
  }
  t_last_active_run_id = run_id;
  return client;
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
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  std::vector<StackEntry> kept;
  for (auto& entry : t_stack) {
    if (s.active.count(entry.token) != 0) kept.push_back(entry);
  }
  t_stack = kept;
  return kept;
}

std::optional<std::pair<std::string, MlflowClient>> current_top() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  // Same pruning as current_stack(), in place: activations ended elsewhere leave the stack.
  while (!t_stack.empty() && s.active.count(t_stack.back().token) == 0) t_stack.pop_back();
  if (t_stack.empty()) return std::nullopt;
  return std::make_pair(t_stack.back().run.info.run_id, t_stack.back().client);
}

std::vector<std::pair<unsigned long long, std::string>> all_active_runs() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  std::vector<std::pair<unsigned long long, std::string>> out;
  for (const auto& [token, record] : s.active) out.emplace_back(token, record.first);
  return out;
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
  auto& s = state();
  std::map<unsigned long long, std::unique_ptr<SystemMetricsMonitor>> monitors;
  std::lock_guard<std::mutex> lock(s.mutex);
  monitors.swap(s.monitors);  // declared before the lock: stopped after it is released
  s.tracking_uri.reset();
  s.active_experiment_id.reset();
  s.client.reset();
  s.client_uri.clear();
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
  // set_workspace's value is part of the client's identity, like the URI.
  const std::optional<std::string> workspace = internal::fluent_workspace();
  const std::string key = workspace ? uri + '\n' + *workspace : uri;
  auto& s = internal::state();
  std::lock_guard<std::mutex> lock(s.mutex);
  // Built under the lock so that concurrent first calls share one client (one connection
  // pool, one SQLite handle).
  if (!s.client || s.client_uri != key) {
    ClientOptions options;
    options.tracking_uri = uri;
    options.workspace = workspace;
    s.client = std::make_shared<MlflowClient>(std::move(options));
    s.client_uri = key;
  }
  return *s.client;
}

}  // namespace mlflow
