// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Time and randomness behind seams so that retry schedules are tested without waiting.

#include <chrono>
#include <cstdint>
#include <functional>

namespace mlflow::internal {

/// Milliseconds since the Unix epoch (wall clock), as MLflow timestamps are.
std::int64_t now_millis();

struct RetryHooks {
  /// Blocks for the given time. Default: std::this_thread::sleep_for, cut short by the
  /// calling thread's deadline (core/deadline.hpp) when it has one.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Uniform in [0, 1). Default: a thread-local Mersenne twister.
  std::function<double()> random;
};

/// The real hooks.
RetryHooks default_retry_hooks();

}  // namespace mlflow::internal
