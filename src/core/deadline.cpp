// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/deadline.hpp"

#include <algorithm>
#include <utility>

namespace mlflow::internal {
namespace {

thread_local Deadline* t_current = nullptr;

}  // namespace

Deadline::Deadline(std::string purpose, Clock::time_point at)
    : purpose_(std::move(purpose)), at_(at.time_since_epoch().count()) {}

void Deadline::expire_at(Clock::time_point at) {
  {
    // Under the mutex, so that a sleeper between its check and its wait cannot miss the move.
    std::lock_guard<std::mutex> lock(mutex_);
    const Clock::rep wanted = at.time_since_epoch().count();
    if (wanted >= at_.load()) return;
    at_.store(wanted);
  }
  moved_.notify_all();
}

std::chrono::milliseconds Deadline::remaining() const noexcept {
  const Clock::time_point end = at();
  const Clock::time_point now = Clock::now();
  if (now >= end) return std::chrono::milliseconds(0);
  const auto left = end - now;
  // A deadline of "never" is far enough away not to overflow the cast below.
  if (left > std::chrono::hours(24 * 365)) return std::chrono::hours(24 * 365);
  return std::chrono::ceil<std::chrono::milliseconds>(left);
}

bool Deadline::sleep_for(std::chrono::milliseconds duration) {
  const Clock::time_point wake = Clock::now() + duration;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    const Clock::time_point end = at();
    if (end <= wake) {
      if (Clock::now() >= end) return false;
      moved_.wait_until(lock, end);
    } else {
      if (Clock::now() >= wake) return true;
      moved_.wait_until(lock, wake);
    }
  }
}

ScopedDeadline::ScopedDeadline(Deadline& deadline) noexcept
    : previous_(std::exchange(t_current, &deadline)) {}

ScopedDeadline::~ScopedDeadline() { t_current = previous_; }

Deadline* current_deadline() noexcept { return t_current; }

}  // namespace mlflow::internal
