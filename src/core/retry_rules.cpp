// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/retry_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mlflow::internal {

bool is_transient_status(long status) noexcept {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

bool is_transient(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kTemporarilyUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kServiceUnderMaintenance:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kRequestLimitExceeded:
    case ErrorCode::kCouldNotAcquireLock:
    case ErrorCode::kAborted:
      return true;
    default:
      return false;
  }
}

bool is_transient(const MlflowException& error) noexcept {
  return is_transient(error.error_code()) || is_transient_status(error.http_status());
}

std::chrono::milliseconds backoff_for_retry(const RetryPolicy& policy, int retry, double random01) {
  // urllib3 2.x get_backoff_time(): with n consecutive errors in the history, 0 when n <= 1,
  // else factor * 2^(n-1) + random * jitter, clamped to [0, backoff_max].
  if (retry <= 1) return std::chrono::milliseconds(0);
  double seconds = policy.backoff_factor * std::pow(2.0, retry - 1);
  if (policy.backoff_jitter != 0.0) seconds += random01 * policy.backoff_jitter;
  const double max_seconds = static_cast<double>(policy.max_backoff.count()) / 1000.0;
  seconds = std::max(0.0, std::min(max_seconds, seconds));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace mlflow::internal
