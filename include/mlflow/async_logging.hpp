// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Asynchronous logging (Python's `synchronous=False` and MLFLOW_ENABLE_ASYNC_LOGGING): its
/// settings, the failures it reports and its counters. See docs/adr/0012-async-logging.md.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "mlflow/errors.hpp"

namespace mlflow {

/// Data that asynchronous logging could not store: given up after holding it through an outage
/// of `AsyncLoggingOptions::max_outage`, refused at once for errors a retry cannot fix, or
/// still undelivered at a deadline (shutdown_async_logging(timeout), the exit paths; code
/// DEADLINE_EXCEEDED). Counts are entries: each metric point, param and tag.
struct AsyncLoggingError {
  /// The run the data belongs to; empty when the report covers several runs (data that a
  /// worker stuck in a store call still held at a deadline).
  std::string run_id{};
  std::size_t metrics = 0;
  std::size_t params = 0;
  std::size_t tags = 0;
  /// The store's error (its code and message), or DEADLINE_EXCEEDED naming the deadline and
  /// the last failure seen.
  ErrorCode code = ErrorCode::kUnknown;
  std::string reason{};
};

/// What a producer does when its queue is full.
enum class AsyncQueueFullPolicy {
  kBlock,  // wait until the worker has taken the queued entries (nothing is lost)
  kDrop,   // drop the new entry and count it (AsyncLoggingStats::dropped)
};

/// Default of AsyncLoggingOptions::exit_timeout.
inline constexpr std::chrono::milliseconds kDefaultAsyncExitTimeout{30000};

/// Settings of one client's asynchronous logger (MlflowClient::set_async_logging_options).
/// Unset optional fields come from the environment, else their defaults (explicit > env >
/// default), read when the logger is made or the options are set.
struct AsyncLoggingOptions {
  /// Entries one thread may have queued before the policy applies (per producing thread: the
  /// queue is one buffer per thread so that threads do not contend).
  std::size_t queue_capacity = 100000;
  AsyncQueueFullPolicy when_full = AsyncQueueFullPolicy::kBlock;
  /// How long data is held and re-sent while the store keeps failing transiently (connection
  /// refused, 5xx, 429, timeouts, a locked database) after the client's own retries. When a
  /// batch has failed for this long it is given up and reported.
  std::chrono::milliseconds max_outage{std::chrono::minutes(5)};
  /// How long the exit paths wait for queued data: the at-exit hook, the std::terminate
  /// handler (mlflow/exit_handling.hpp) and the destructor of a client's last copy. What is not
  /// stored by then is reported (counts to on_error and to the SDK log handler) and exiting
  /// goes on. Env: MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT (seconds). Default 30 s.
  std::optional<std::chrono::milliseconds> exit_timeout{};
  /// Python's MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS: the worker waits this long after data
  /// arrives before it sends, so that more entries are merged into each request. Env:
  /// MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS (whole seconds, as Python reads it). Default: none.
  std::optional<std::chrono::milliseconds> buffering{};
  /// Durable asynchronous logging (ADR 0026): a journal file to which every accepted entry is
  /// written before the logging call returns, and marked delivered once stored. A process
  /// killed before its entries reached the store loses none of them: the next logger on the
  /// same journal (for the same tracking URI) sends them when it starts, or
  /// mlflow::replay_async_journal / `mlflow-cpp journal replay PATH` does. Env:
  /// MLFLOW_CPP_ASYNC_JOURNAL (a path). Default: none (an empty string also means none). Read
  /// when the client's logger is made (its first asynchronous call).
  std::optional<std::string> journal{};
  /// Called for every batch given up (in addition to the error thrown by the next flush and a
  /// line to the SDK's log handler, mlflow/logging.hpp). Runs on the worker thread, or, for
  /// what is left at a deadline, on the thread that waited for it. Must not call
  /// flush_async_logging or shutdown_async_logging.
  std::function<void(const AsyncLoggingError&)> on_error{};
};

/// Counters of one client's asynchronous logger (entries = metrics + params + tags).
struct AsyncLoggingStats {
  std::uint64_t enqueued = 0;
  std::uint64_t sent = 0;
  /// Dropped because a queue was full (AsyncQueueFullPolicy::kDrop).
  std::uint64_t dropped = 0;
  /// Given up after errors or at a deadline (reported through on_error and flush).
  std::uint64_t failed = 0;
  /// log_batch requests made, and how many of them failed and were sent again.
  std::uint64_t requests = 0;
  std::uint64_t resends = 0;
  /// Times a producer waited for room (AsyncQueueFullPolicy::kBlock).
  std::uint64_t blocked = 0;
};

}  // namespace mlflow
