// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Durable asynchronous logging (beyond Python; ADR 0026): reading and replaying the journal
/// that AsyncLoggingOptions::journal / MLFLOW_CPP_ASYNC_JOURNAL names.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/async_logging.hpp"

namespace mlflow {

/// Entries (metric points, params, tags) of a journal by state.
struct AsyncJournalCounts {
  std::uint64_t metrics = 0;
  std::uint64_t params = 0;
  std::uint64_t tags = 0;
  std::uint64_t total() const noexcept { return metrics + params + tags; }
};

/// What a journal holds (async_journal_status).
struct AsyncJournalStatus {
  /// Every entry a logger accepted.
  AsyncJournalCounts accepted;
  /// Marked stored by the store.
  AsyncJournalCounts delivered;
  /// Refused for good by the store when replayed (an unknown run, a conflicting param).
  AsyncJournalCounts refused;
  /// Neither: what a replay would send.
  AsyncJournalCounts pending;
  /// Loggers that wrote to it, and how many of them still run on this host.
  std::size_t sessions = 0;
  std::size_t live_sessions = 0;
  /// The tracking URIs (without user information) that pending entries belong to.
  std::vector<std::string> pending_tracking_uris;
};

struct AsyncJournalReplayOptions {
  /// Send every pending entry here instead of to the tracking URI each logger recorded.
  std::optional<std::string> tracking_uri{};
  /// How long a store that keeps failing transiently is waited for (as
  /// AsyncLoggingOptions::max_outage); what is still not stored then stays pending.
  std::chrono::milliseconds max_outage{std::chrono::seconds(30)};
  /// Also send the entries of loggers that still run on this host (they may be sending them
  /// too; MLflow stores each once either way).
  bool include_live = false;
};

struct AsyncJournalReplayResult {
  AsyncJournalCounts delivered;
  AsyncJournalCounts refused;
  /// Still pending: the store stayed unreachable, or the logger still runs.
  AsyncJournalCounts left;
  /// Why entries were refused or left (run id, counts, the store's error).
  std::vector<AsyncLoggingError> errors;
};

/// Reads the journal at `path`. Throws InvalidArgument naming the line for a file that is not
/// an mlflow-cpp journal or is damaged; the file is never changed.
AsyncJournalStatus async_journal_status(const std::string& path);

/// Sends every accepted entry of the journal at `path` that was not stored, run by run in
/// logging order, and marks it delivered (or refused, with the store's reason). Safe to run
/// again and while loggers run: MLflow stores a metric point with the same key, value, step
/// and timestamp once, and equal params and tags are idempotent. Throws like
/// async_journal_status before sending anything.
AsyncJournalReplayResult replay_async_journal(const std::string& path,
                                              const AsyncJournalReplayOptions& options = {});

}  // namespace mlflow
