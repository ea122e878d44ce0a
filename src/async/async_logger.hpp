// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The asynchronous logger of one client (ADR 0012, ADR 0016). Producers append to the queue
// (async_queue.hpp) on their own thread; one worker thread takes rounds out of it and hands
// them to the sender (async_sender.hpp), which merges them into log_batch requests and holds
// them through outages. flush and shutdown take deadlines, and the exit paths (the at-exit
// hook, the std::terminate handler, the destructor of a client's last copy) are bounded by
// AsyncLoggingOptions::exit_timeout: what is not stored by then is counted and reported.
//
// A part of the client that includes nothing of src/client/: the client validates params and
// tags before it queues them, and gives the logger its metric check (MetricCheck), which the
// logger calls once per run id and metric key per thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "async/async_journal.hpp"
#include "async/async_queue.hpp"
#include "async/async_sender.hpp"
#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "mlflow/async_logging.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/tracking_options.hpp"

namespace mlflow::internal {

class TrackingStore;

/// How the caller's thread checks a metric before it is queued (the client's validation).
/// Each throws InvalidArgument for bad input.
struct MetricCheck {
  void (*run_id)(const std::string& run_id) = nullptr;
  void (*metric)(const Metric& metric) = nullptr;
};

class AsyncLogger : public std::enable_shared_from_this<AsyncLogger> {
  struct Private {};

 public:
  using Clock = std::chrono::steady_clock;

  /// Makes a logger and starts its worker. `options` are completed from the environment
  /// (core/config.hpp). `hooks` (tests): the hold's sleep and jitter. `tracking_uri` names the
  /// store in the journal (AsyncLoggingOptions::journal), whose undelivered entries of earlier
  /// processes for the same URI the worker sends first. Throws when the journal cannot be
  /// opened.
  static std::shared_ptr<AsyncLogger> start(std::shared_ptr<TrackingStore> store,
                                            const AsyncLoggingOptions& options, MetricCheck check,
                                            RetryHooks hooks = {},
                                            const std::string& tracking_uri = {});
  AsyncLogger(Private, std::shared_ptr<TrackingStore> store, AsyncLoggingOptions options,
              MetricCheck check, RetryHooks hooks, const std::string& tracking_uri);
  ~AsyncLogger();
  AsyncLogger(const AsyncLogger&) = delete;
  AsyncLogger& operator=(const AsyncLogger&) = delete;

  // Producers. They return false once the logger has been shut down (the caller then logs
  // synchronously). log_metric checks its input with the MetricCheck; the others take input
  // the caller has validated.
  bool log_metric(const std::string& run_id, const std::string& key, double value,
                  std::int64_t timestamp, const LogMetricOptions& options);
  bool log_param(const std::string& run_id, Param param);
  bool set_tag(const std::string& run_id, RunTag tag);
  /// Params and tags first (as Python orders a batch).
  bool log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                 const std::vector<Param>& params, const std::vector<RunTag>& tags);

  /// Waits until everything queued before the call (by any thread) was stored or given up;
  /// throws MlflowException naming what was lost and why when anything was given up since the
  /// last flush. Throws InvalidState when called from the worker (an on_error callback).
  void flush();
  /// The same within `timeout`: true when everything queued before the call was stored and
  /// nothing was given up since the last flush (failures are consumed as flush() does).
  bool flush(std::chrono::milliseconds timeout);
  /// Waits like flush(), reporting nothing (failures stay for the next flush); stops waiting
  /// at the calling thread's deadline (core/deadline.hpp) when it has one.
  void drain() noexcept;

  /// Stops the logger for good: nothing more is queued (later calls log synchronously), what
  /// is queued is sent until `timeout`, then what is left is counted and reported. True when
  /// everything was stored (failures consumed as flush() does). Idempotent.
  bool shutdown(std::chrono::milliseconds timeout) noexcept;
  /// shutdown() in two steps, so that the exit paths stop every logger at once: begin tells
  /// the worker to finish by `deadline`; finish waits for it until then, and abandons a worker
  /// stuck in a store call (counting what it held as undelivered).
  void begin_shutdown(Clock::time_point deadline) noexcept;
  bool finish_shutdown(Clock::time_point deadline) noexcept;
  /// When this logger must be done if the program began exiting at `exit_began`.
  Clock::time_point exit_deadline(Clock::time_point exit_began) const;

  AsyncLoggingStats stats() const;
  /// Completes `options` from the environment and applies them (throws InvalidArgument).
  void set_options(AsyncLoggingOptions options);
  /// False in a fork()ed child of the process that made it (its worker does not exist there).
  bool owned_by_this_process() const noexcept;

 private:
  void worker_loop();
  /// Sends what earlier, finished processes journaled for this tracking URI and never stored.
  void replay_journal() noexcept;
  /// Marks a round's buffers delivered in the journal when nothing of the round was lost.
  void mark_round(const std::vector<AsyncBuffer>& buffers, std::uint64_t failed_before) noexcept;
  void wake_worker();
  /// Waits for the worker to finish a round requested now; until `at` when given.
  bool wait_for_round(const Clock::time_point* at);
  void report(AsyncLoggingError error);
  std::vector<AsyncLoggingError> take_errors();
  void abandon() noexcept;

  const int pid_;
  Deadline deadline_;  // the worker's: moved by begin_shutdown
  MetricCheck check_;

  mutable std::mutex options_mutex_;
  AsyncLoggingOptions options_;  // complete (every optional set)

  std::string tracking_uri_;
  RetryHooks hooks_;
  std::unique_ptr<AsyncJournal> journal_;  // AsyncLoggingOptions::journal, when set

  AsyncQueue queue_;
  AsyncSender sender_;

  // Worker coordination.
  std::mutex worker_mutex_;
  std::condition_variable worker_cv_;
  std::condition_variable flushed_cv_;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  bool stopping_ = false;
  bool worker_exited_ = false;
  bool abandoned_ = false;  // left in a store call at a deadline
  std::atomic<bool> has_work_{false};
  std::atomic<bool> worker_sleeping_{false};
  std::thread::id worker_id_{};

  std::mutex errors_mutex_;
  std::vector<AsyncLoggingError> errors_;

  std::mutex shutdown_mutex_;
  bool finished_ = false;   // guarded by shutdown_mutex_
  bool delivered_ = false;  // guarded by shutdown_mutex_
  std::thread worker_;
};

/// Flushes every live logger of the process (the fluent flush). Throws like
/// AsyncLogger::flush with every failure of every logger.
void flush_all_async_loggers();
/// Every live logger within `timeout` in all; true when all delivered everything.
bool flush_all_async_loggers(std::chrono::milliseconds timeout);
/// Shuts every live logger down within `timeout`, all at once.
bool shutdown_all_async_loggers(std::chrono::milliseconds timeout) noexcept;
/// The exit paths: shuts every live logger of this process down, each within its exit_timeout
/// counted from `exit_began`, all at once. Returns the latest of their deadlines
/// (`exit_began` + the default exit timeout when there is none) for the exit work that
/// follows (ending fluent runs).
AsyncLogger::Clock::time_point shutdown_all_async_loggers_for_exit(
    AsyncLogger::Clock::time_point exit_began) noexcept;

/// What MlflowClient and its copies share: the logger, made on the first asynchronous call,
/// and shut down (within its exit_timeout) when the last copy goes.
struct AsyncLogHolder {
  /// `tracking_uri`: the client's, recorded in the journal (AsyncLoggingOptions::journal).
  explicit AsyncLogHolder(MetricCheck check, std::string tracking_uri = {})
      : check(check), tracking_uri(std::move(tracking_uri)) {}
  ~AsyncLogHolder();
  AsyncLogHolder(const AsyncLogHolder&) = delete;
  AsyncLogHolder& operator=(const AsyncLogHolder&) = delete;

  /// The logger, made with `store` on first use.
  AsyncLogger& get(const std::shared_ptr<TrackingStore>& store);
  /// The logger when one was made, else nullptr.
  AsyncLogger* existing() const noexcept { return logger_ptr.load(std::memory_order_acquire); }

  std::mutex mutex;
  std::atomic<AsyncLogger*> logger_ptr{nullptr};
  std::shared_ptr<AsyncLogger> logger;  // guarded by mutex
  AsyncLoggingOptions options;          // guarded by mutex; used when the logger is made
  const MetricCheck check;
  const std::string tracking_uri;
};

}  // namespace mlflow::internal
