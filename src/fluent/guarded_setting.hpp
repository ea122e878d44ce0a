// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A process-wide fluent setting that is either set or not (the registry URI, the workspace),
// read and written from any thread.

#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace mlflow::internal {

class GuardedSetting {
 public:
  // constexpr, so a namespace-scope setting is initialised before any code runs.
  constexpr GuardedSetting() = default;

  std::optional<std::string> get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_;
  }

  void set(std::optional<std::string> value) {
    std::lock_guard<std::mutex> lock(mutex_);
    value_ = std::move(value);
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> value_;
};

}  // namespace mlflow::internal
