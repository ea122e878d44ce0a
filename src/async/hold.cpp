// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "async/hold.hpp"

#include <algorithm>
#include <exception>

#include "core/retry_rules.hpp"

namespace mlflow::internal {
namespace {

// 100 ms doubling to 5 s, with up to 50 ms of jitter (the urllib3-style schedule of
// core/retry_rules.hpp with the hold's own factors).
RetryPolicy hold_schedule() {
  RetryPolicy policy;
  policy.backoff_factor = 0.05;
  policy.backoff_jitter = 0.05;
  policy.max_backoff = std::chrono::milliseconds(5000);
  return policy;
}

}  // namespace

Deadline::Clock::time_point worker_stop_time(Deadline::Clock::time_point deadline) noexcept {
  using Clock = Deadline::Clock;
  constexpr std::chrono::milliseconds kReportMargin{200};
  const Clock::time_point now = Clock::now();
  const Clock::duration margin =
      deadline > now ? std::min<Clock::duration>((deadline - now) / 10, kReportMargin)
                     : Clock::duration::zero();
  return deadline - margin;
}

HoldResult hold_through_outage(const std::function<void()>& send,
                               std::chrono::milliseconds max_outage, const Deadline& deadline,
                               const RetryHooks& hooks, const OnHold& on_hold) {
  static const RetryPolicy schedule = hold_schedule();
  const auto start = std::chrono::steady_clock::now();
  HoldResult result;
  int failures = 0;
  for (;;) {
    if (deadline.expired()) {
      result.outcome = HoldResult::Outcome::kDeadline;
      return result;
    }
    try {
      send();
      result.outcome = HoldResult::Outcome::kSent;
      result.error.reset();
      return result;
    } catch (const MlflowException& e) {
      result.error = e;
      if (!is_transient(e)) break;
      if (deadline.expired()) {
        result.outcome = HoldResult::Outcome::kDeadline;
        return result;
      }
      if (std::chrono::steady_clock::now() - start >= max_outage) break;
      ++failures;
      const auto pause = backoff_for_retry(schedule, failures + 1, hooks.random());
      if (on_hold) on_hold(e, pause);
      hooks.sleep(pause);
    } catch (const std::exception& e) {
      result.error = MlflowException(ErrorCode::kInternalError, e.what());
      break;
    }
  }
  result.outcome = HoldResult::Outcome::kFailed;
  return result;
}

}  // namespace mlflow::internal
