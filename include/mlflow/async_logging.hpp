// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Asynchronous logging (Python's `synchronous=False` and MLFLOW_ENABLE_ASYNC_LOGGING): its
/// settings, the failures it reports and its counters. See docs/adr/0012-async-logging.md.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "mlflow/errors.hpp"

namespace mlflow {

/// Data that asynchronous logging could not store (after retries and holding it through an
/// outage of `AsyncLoggingOptions::max_outage`, or at once for errors a retry cannot fix).
struct AsyncLoggingError {
  std::string run_id{};
  std::size_t metrics = 0;
  std::size_t params = 0;
  std::size_t tags = 0;
  /// The store's error: its code and message.
  ErrorCode code = ErrorCode::kUnknown;
  std::string reason{};
};

/// What a producer does when its queue is full.
enum class AsyncQueueFullPolicy {
  kBlock,  // wait until the worker has taken the queued entries (nothing is lost)
  kDrop,   // drop the new entry and count it (AsyncLoggingStats::dropped)
};

/// Settings of one client's asynchronous logger (MlflowClient::set_async_logging_options).
struct AsyncLoggingOptions {
  /// Entries one thread may have queued before the policy applies (per producing thread: the
  /// queue is one buffer per thread so that threads do not contend).
  std::size_t queue_capacity = 100000;
  AsyncQueueFullPolicy when_full = AsyncQueueFullPolicy::kBlock;
  /// How long data is held and re-sent while the store keeps failing transiently (connection
  /// refused, 5xx, 429, timeouts, a locked database) after the client's own retries. When a
  /// batch has failed for this long it is given up and reported.
  std::chrono::milliseconds max_outage{std::chrono::minutes(5)};
  /// Called on the worker thread for every batch given up (in addition to the error thrown by
  /// the next flush). Must not call flush_async_logging. Without one, the failure is logged
  /// through the SDK's log handler (mlflow/logging.hpp).
  std::function<void(const AsyncLoggingError&)> on_error{};
};

/// Counters of one client's asynchronous logger (entries = metrics + params + tags).
struct AsyncLoggingStats {
  std::uint64_t enqueued = 0;
  std::uint64_t sent = 0;
  /// Dropped because a queue was full (AsyncQueueFullPolicy::kDrop).
  std::uint64_t dropped = 0;
  /// Given up after errors (reported through on_error and flush).
  std::uint64_t failed = 0;
  /// log_batch requests made, and how many of them failed and were sent again.
  std::uint64_t requests = 0;
  std::uint64_t resends = 0;
  /// Times a producer waited for room (AsyncQueueFullPolicy::kBlock).
  std::uint64_t blocked = 0;
};

}  // namespace mlflow
