// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Holding one request through an outage (ADR 0016): the one loop that the async logger's
// sender and the trace exporter share. A failure that core/retry_rules calls transient is
// waited out on the shared back-off schedule (100 ms doubling to 5 s, 50 ms jitter) and the
// request sent again, until `max_outage` has passed since the first try or the deadline
// expires; anything else ends the hold at once.

#include <chrono>
#include <functional>
#include <optional>

#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {

struct HoldResult {
  enum class Outcome {
    kSent,      // the request succeeded
    kFailed,    // a permanent failure, or still failing transiently after max_outage
    kDeadline,  // the deadline passed before the request could be sent
  };
  Outcome outcome = Outcome::kSent;
  /// The failure that ended the hold (kFailed), or the last transient one seen (kDeadline).
  std::optional<MlflowException> error{};
};

/// Called before each wait with the failure and the pause that follows (for log lines and
/// resend counters).
using OnHold = std::function<void(const MlflowException& failure, std::chrono::milliseconds pause)>;

/// When a worker must stop if its caller gives up at `deadline`: a little earlier (10 % of the
/// time left, at most 200 ms), so that it can report what it could not send and exit in time.
/// The async logger's and the trace exporter's shutdowns move their Deadline there.
Deadline::Clock::time_point worker_stop_time(Deadline::Clock::time_point deadline) noexcept;

/// Runs `send` until one of the outcomes above. `hooks.sleep` is the wait (it should wake at
/// `deadline`, as the default sleep does for the thread's ScopedDeadline). An exception other
/// than MlflowException is a permanent INTERNAL_ERROR.
HoldResult hold_through_outage(const std::function<void()>& send,
                               std::chrono::milliseconds max_outage, const Deadline& deadline,
                               const RetryHooks& hooks, const OnHold& on_hold = {});

}  // namespace mlflow::internal
