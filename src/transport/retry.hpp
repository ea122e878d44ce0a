// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The retry loop of MLflow's Python client (urllib3 Retry as configured by
// mlflow/utils/request_utils.py): statuses 408/429/500/502/503/504 and connection errors,
// exponential backoff with jitter, Retry-After honoured. See docs/adr/0003.

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

/// Whether a request may be repeated after it possibly reached the server.
enum class Idempotency {
  kIdempotent,     // reads, upserts, MLflow-deduplicated writes: retry every failure
  kNonIdempotent,  // creates: retry only when the server surely did not act on it
};

/// urllib3 2.x schedule: the wait before retry number `retry` (1-based) when no Retry-After
/// applies: 0 for the first retry, then factor * 2^(retry-1) + U(0, jitter), capped.
std::chrono::milliseconds backoff_for_retry(const RetryPolicy& policy, int retry, double random01);

/// Parses a Retry-After value: delta-seconds or an HTTP date. std::nullopt if unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::int64_t now_ms);

/// True for 408, 429, 500, 502, 503, 504.
bool is_retryable_status(long status) noexcept;

/// Sends `request`, retrying per `policy`. Returns the final HTTP response (any status: a
/// retryable status left after the last retry is returned, not thrown). Throws Unavailable /
/// DeadlineExceeded / MlflowException when no response could be had; the message names the
/// URL (without credentials), how many attempts were made, the last failure, and what to check.
HttpResponse send_with_retry(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, const RetryHooks& hooks,
                             Idempotency idempotency);

}  // namespace mlflow::internal
