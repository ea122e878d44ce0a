// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Which failures are worth trying again, and how long to wait before the next try. The one
// rule of the SDK: the HTTP retry loop (src/transport/retry.*), the SQLite transaction start
// (src/sqlite/db.cpp) and the asynchronous logger's hold through outages (src/async/) all ask
// here (ADR 0003, ADR 0016).

#include <chrono>

#include "core/config.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {

/// 408, 429, 500, 502, 503, 504: the statuses MLflow's Python client retries (urllib3's
/// status_forcelist in mlflow/utils/request_utils.py).
bool is_transient_status(long status) noexcept;

/// Codes that mean "try again later": TEMPORARILY_UNAVAILABLE (which a locked SQLite database
/// also raises, as MLflow's SQL store does), DEADLINE_EXCEEDED, SERVICE_UNDER_MAINTENANCE,
/// RESOURCE_EXHAUSTED, REQUEST_LIMIT_EXCEEDED, COULD_NOT_ACQUIRE_LOCK and ABORTED.
bool is_transient(ErrorCode code) noexcept;

/// An error a later attempt may not get: a transient code, or a transient HTTP status that
/// outlived the transport's own retries.
bool is_transient(const MlflowException& error) noexcept;

/// urllib3 2.x schedule: the wait before retry number `retry` (1-based) when no Retry-After
/// applies: 0 for the first retry, then factor * 2^(retry-1) + U(0, jitter), capped at
/// policy.max_backoff.
std::chrono::milliseconds backoff_for_retry(const RetryPolicy& policy, int retry, double random01);

}  // namespace mlflow::internal
