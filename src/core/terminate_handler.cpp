// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/terminate_handler.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.hpp"
#include "core/log.hpp"
#include "mlflow/exit_handling.hpp"

namespace mlflow {
namespace internal {
namespace {

constexpr std::size_t kMaxHooks = 4;

// Plain data (no destructors): the handler may run while statics are being destroyed.
struct HandlerState {
  std::mutex mutex;
  std::array<TerminateHook, kMaxHooks> hooks{};
  std::size_t hook_count = 0;
  bool decided = false;  // enabled/disabled settled (by the setter or the environment)
  bool enabled = true;
  bool installed = false;
  std::terminate_handler previous = nullptr;
  std::atomic<bool> running{false};
  std::atomic<std::thread::id> running_thread{};
};

HandlerState& handler_state() {
  // Leaked on purpose: std::terminate may be called during static destruction.
  static HandlerState* s = new HandlerState();  // NOLINT(cppcoreguidelines-owning-memory)
  return *s;
}

[[noreturn]] void chain(std::terminate_handler previous) {
  if (previous != nullptr) previous();
  std::abort();
}

[[noreturn]] void on_terminate() {
  HandlerState& s = handler_state();
  std::terminate_handler previous = nullptr;
  std::array<TerminateHook, kMaxHooks> hooks{};
  std::size_t count = 0;
  {
    // Not a plain lock: terminate may come while this very thread holds the mutex (adding a
    // hook). Another thread holds it only for a moment.
    std::unique_lock<std::mutex> lock(s.mutex, std::try_to_lock);
    for (int i = 0; i < 100 && !lock.owns_lock(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      lock.try_lock();
    }
    previous = s.previous;
    hooks = s.hooks;
    count = s.hook_count;
  }
  if (s.running.exchange(true)) {
    // A hook itself ended in std::terminate: go on dying. Another thread terminating at the
    // same time waits for the first one, which ends the process.
    if (s.running_thread.load() == std::this_thread::get_id()) chain(previous);
    for (;;) ::pause();
  }
  s.running_thread.store(std::this_thread::get_id());
  try {
    std::string what = "an uncaught exception";
    if (std::exception_ptr e = std::current_exception()) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        what = std::string("an uncaught exception (") + ex.what() + ")";
      } catch (...) {
      }
    } else {
      what = "std::terminate without an exception";
    }
    log(LogLevel::kError, "mlflow: " + what +
                              "; storing what was logged asynchronously and ending the active "
                              "runs as FAILED before the process dies");
  } catch (...) {
  }
  for (std::size_t i = 0; i < count; ++i) hooks[i]();
  chain(previous);
}

// Settles enabled/disabled from the environment unless the setter already did.
void decide(HandlerState& s) {
  if (s.decided) return;
  s.decided = true;
  try {
    s.enabled = env_bool(process_env(), "MLFLOW_CPP_TERMINATE_HANDLER").value_or(true);
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: ") + e.what() + " Installing the handler.");
    s.enabled = true;
  }
}

}  // namespace

void add_terminate_hook(TerminateHook hook) noexcept {
  HandlerState& s = handler_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  bool known = false;
  for (std::size_t i = 0; i < s.hook_count; ++i) known = known || s.hooks[i] == hook;
  if (!known && s.hook_count < kMaxHooks) s.hooks[s.hook_count++] = hook;
  decide(s);
  if (s.enabled && !s.installed) {
    s.previous = std::set_terminate(on_terminate);
    s.installed = true;
  }
}

}  // namespace internal

void set_terminate_handler_enabled(bool enabled) {
  internal::HandlerState& s = internal::handler_state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.decided = true;
  s.enabled = enabled;
  if (enabled && !s.installed && s.hook_count > 0) {
    s.previous = std::set_terminate(internal::on_terminate);
    s.installed = true;
  } else if (!enabled && s.installed) {
    // Put the replaced handler back, unless the program installed another one since.
    const std::terminate_handler current = std::get_terminate();
    if (current == internal::on_terminate) std::set_terminate(s.previous);
    s.installed = false;
  }
}

}  // namespace mlflow
