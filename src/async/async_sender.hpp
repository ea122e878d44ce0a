// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The consumer side of asynchronous logging (ADR 0012, ADR 0016): turns a round of swapped-out
// buffers into log_batch requests (grouped by run, keeping each thread's order, cut by the
// SDK's one chunker, store/batching.hpp) and sends them one at a time through the store. A
// request that fails transiently (core/retry_rules.hpp) is held and sent again on the shared
// back-off schedule until `max_outage` or the deadline (async/hold.hpp); what is given up is
// reported.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "async/async_queue.hpp"
#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "mlflow/async_logging.hpp"
#include "store/batching.hpp"

namespace mlflow::internal {

class TrackingStore;

class AsyncSender {
 public:
  using Report = std::function<void(AsyncLoggingError)>;

  /// `deadline`: once it passes, nothing more is sent and what is left is counted per run
  /// (report_undelivered). `report` receives every failure.
  AsyncSender(std::shared_ptr<TrackingStore> store, RetryHooks hooks, const Deadline& deadline,
              Report report);

  /// Sends every entry of `buffers` (their contents are consumed).
  void send_round(std::vector<AsyncBuffer>& buffers, std::chrono::milliseconds max_outage);
  /// Counts entries that will never be sent (left in the queue at a deadline) against `run_id`.
  void count_undelivered(const std::string& run_id, const EntryCounts& counts);
  /// Reports what the deadline left unsent, one error per run, and forgets it.
  void report_undelivered();

  /// Stops counting: the logger was abandoned at a deadline while this sender was still busy.
  /// Everything `enqueued` that is neither sent nor failed yet becomes failed; returns it.
  EntryCounts abandon(const EntryCounts& enqueued);

  const std::shared_ptr<TrackingStore>& store() const noexcept { return store_; }
  EntryCounts sent() const;
  EntryCounts failed() const;
  std::uint64_t requests() const noexcept { return requests_.load(); }
  std::uint64_t resends() const noexcept { return resends_.load(); }

 private:
  struct RunWindow;
  void send_window(const std::string& run_id, RunWindow& window,
                   std::chrono::milliseconds max_outage);
  /// One request, held through transient failures. False when given up.
  bool send_chunk(const std::string& run_id, const BatchChunk& chunk, const EntryCounts& counts,
                  std::chrono::milliseconds max_outage);
  void count_sent(const EntryCounts& counts);
  void fail(const std::string& run_id, const EntryCounts& counts, ErrorCode code,
            std::string reason);

  std::shared_ptr<TrackingStore> store_;
  RetryHooks hooks_;
  const Deadline& deadline_;
  Report report_;

  mutable std::mutex counts_mutex_;
  EntryCounts sent_;    // guarded by counts_mutex_
  EntryCounts failed_;  // guarded by counts_mutex_
  bool abandoned_ = false;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> resends_{0};

  // Worker only: what the deadline left unsent, by run, and the last transient failure seen.
  std::map<std::string, EntryCounts> undelivered_;
  std::string last_failure_;
};

}  // namespace mlflow::internal
