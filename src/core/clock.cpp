// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/clock.hpp"

#include <random>
#include <thread>

#include "core/deadline.hpp"

namespace mlflow::internal {

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RetryHooks default_retry_hooks() {
  RetryHooks hooks;
  hooks.sleep = [](std::chrono::milliseconds duration) {
    if (duration.count() <= 0) return;
    // A thread working against a deadline (an exit path, the async logger's worker being shut
    // down) wakes at it instead of sleeping through it.
    if (Deadline* deadline = current_deadline()) {
      deadline->sleep_for(duration);
    } else {
      std::this_thread::sleep_for(duration);
    }
  };
  hooks.random = [] {
    // One generator per thread: no locking, and concurrent retry loops do not draw the same
    // jitter sequence (each is seeded from random_device).
    thread_local std::mt19937_64 generator{std::random_device{}()};
    thread_local std::uniform_real_distribution<double> distribution(0.0, 1.0);
    return distribution(generator);
  };
  return hooks;
}

}  // namespace mlflow::internal
