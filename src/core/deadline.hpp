// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A point in time after which blocking waits give up (ADR 0016), so that the exit paths and
// shutdown_async_logging(timeout) can bound work done on their behalf by code that knows
// nothing of them. A thread opts in for a scope with ScopedDeadline; what honours it:
//  * the default retry sleep (core/clock.hpp): wakes at the deadline;
//  * the HTTP retry loop (transport/retry.cpp): no retry after it, and no attempt given a
//    longer timeout than the time left;
//  * AsyncLogger::drain (what set_terminated waits for): stops waiting at it.
// Another thread may move a Deadline earlier (the async logger's shutdown does, for its
// worker); a sleeper on it wakes up at once.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace mlflow::internal {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// `purpose` names it in error messages ("the exit deadline of asynchronous logging").
  explicit Deadline(std::string purpose, Clock::time_point at = Clock::time_point::max());
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  /// Moves the deadline to `at` when that is earlier; wakes whoever sleeps on it.
  void expire_at(Clock::time_point at);
  Clock::time_point at() const noexcept { return Clock::time_point(Clock::duration(at_.load())); }
  bool expired() const noexcept { return Clock::now() >= at(); }
  /// Time left, zero once expired.
  std::chrono::milliseconds remaining() const noexcept;
  const std::string& purpose() const noexcept { return purpose_; }

  /// Sleeps for `duration`, or until the deadline when that comes first. False when the
  /// deadline cut the sleep short (or had passed).
  bool sleep_for(std::chrono::milliseconds duration);

 private:
  const std::string purpose_;
  std::atomic<Clock::rep> at_;
  std::mutex mutex_;
  std::condition_variable moved_;
};

/// Makes `deadline` the one this thread's waits honour for the scope (replacing an enclosing
/// one, which is restored at the end of the scope).
class ScopedDeadline {
 public:
  explicit ScopedDeadline(Deadline& deadline) noexcept;
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  Deadline* previous_;
};

/// The deadline this thread's waits honour, or nullptr.
Deadline* current_deadline() noexcept;

}  // namespace mlflow::internal
