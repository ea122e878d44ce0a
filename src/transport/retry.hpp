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
#include "core/retry_rules.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

/// Whether a request may be repeated after it possibly reached the server.
enum class Idempotency {
  kIdempotent,     // reads, upserts, MLflow-deduplicated writes: retry every failure
  kNonIdempotent,  // creates: retry only when the server surely did not act on it
};

/// Parses a Retry-After value: delta-seconds or an HTTP date. std::nullopt if unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::int64_t now_ms);

/// Sends `request`, retrying per `policy`. Returns the final HTTP response (any status: a
/// retryable status left after the last retry is returned, not thrown). Throws Unavailable /
/// DeadlineExceeded / MlflowException when no response could be had; the message names the
/// URL (without credentials), how many attempts were made, the last failure, and what to check.
/// Honours the calling thread's deadline (core/deadline.hpp): no retry after it, no attempt
/// with a timeout beyond it, and DeadlineExceeded without an attempt once it has passed.
HttpResponse send_with_retry(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, const RetryHooks& hooks,
                             Idempotency idempotency);

}  // namespace mlflow::internal
