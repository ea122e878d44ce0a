// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The asynchronous logger of one client (ADR 0012). Producers append to a buffer of their own
// thread (a mutex only the owner and the worker ever take, so 8 logging threads do not fight
// over one lock); one worker thread swaps the buffers out, merges their entries into
// log_batch requests within MLflow's limits, and sends them one at a time through the store
// (whose transport keeps its connections alive and retries per the client's policy). Data
// that still fails transiently is held and re-sent until `max_outage`; what is given up is
// reported through on_error and the next flush.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mlflow/async_logging.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/tracking_options.hpp"

namespace mlflow::internal {

class TrackingStore;
struct AsyncSlot;
struct AsyncBuffer;
struct AsyncEntry;

class AsyncLogger {
 public:
  AsyncLogger(std::shared_ptr<TrackingStore> store, AsyncLoggingOptions options);
  /// Drains what is queued (as shutdown()), then stops the worker.
  ~AsyncLogger();
  AsyncLogger(const AsyncLogger&) = delete;
  AsyncLogger& operator=(const AsyncLogger&) = delete;

  // Producers. Each validates its input on the caller's thread (throwing InvalidArgument, as
  // the synchronous call would) and returns false when the logger has been shut down (the
  // caller then logs synchronously).
  bool log_metric(const std::string& run_id, const std::string& key, double value,
                  std::int64_t timestamp, const LogMetricOptions& options);
  bool log_param(const std::string& run_id, const std::string& key, const std::string& value);
  bool set_tag(const std::string& run_id, const std::string& key, const std::string& value);
  /// Already-validated items, params and tags first (as Python orders a batch).
  bool log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                 const std::vector<Param>& params, const std::vector<RunTag>& tags);

  /// Waits until everything queued before the call (by any thread) was stored or given up;
  /// throws MlflowException naming what was lost and why when anything was given up since the
  /// last flush. Throws InvalidState when called from the worker (an on_error callback).
  void flush();
  /// Like flush(), but reports nothing (failures were already given to on_error).
  void drain() noexcept;
  /// Drains, then stops the worker for good; later calls return false. Idempotent.
  void shutdown() noexcept;

  AsyncLoggingStats stats() const;
  void set_options(AsyncLoggingOptions options);

 private:
  AsyncSlot& slot_for_this_thread();
  /// Appends under the slot's lock, applying the full-queue policy. False when shut down.
  bool push(AsyncSlot& slot, const std::string& run_id, AsyncEntry&& entry);
  void worker_loop();
  void send_round(std::vector<AsyncBuffer>& buffers);
  /// Sends one request, holding it through transient failures. Returns false when given up.
  bool send_with_hold(const std::string& run_id, const std::vector<Metric>& metrics,
                      const std::vector<Param>& params, const std::vector<RunTag>& tags,
                      std::size_t absorbed);
  void report(AsyncLoggingError error);
  void wake_worker();

  const std::uint64_t id_;
  std::shared_ptr<TrackingStore> store_;

  mutable std::mutex options_mutex_;
  AsyncLoggingOptions options_;
  std::atomic<std::size_t> capacity_{0};
  std::atomic<bool> drop_when_full_{false};

  mutable std::mutex slots_mutex_;
  std::vector<std::shared_ptr<AsyncSlot>> slots_;
  // Counters of slots forgotten after their thread exited (guarded by slots_mutex_).
  std::uint64_t retired_enqueued_ = 0;
  std::uint64_t retired_dropped_ = 0;
  std::uint64_t retired_blocked_ = 0;

  // Worker coordination.
  std::mutex worker_mutex_;
  std::condition_variable worker_cv_;
  std::condition_variable flushed_cv_;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  bool stopping_ = false;
  bool worker_exited_ = false;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> has_work_{false};
  std::atomic<bool> worker_sleeping_{false};
  std::thread::id worker_id_{};

  std::mutex errors_mutex_;
  std::vector<AsyncLoggingError> errors_;

  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> resends_{0};

  std::mutex shutdown_mutex_;
  std::thread worker_;

  // Process-wide list of live loggers (drained at exit); intrusive so that it needs no
  // destructor of its own.
  friend void flush_all_async_loggers();
  friend void drain_all_at_exit() noexcept;
  AsyncLogger* prev_ = nullptr;
  AsyncLogger* next_ = nullptr;
};

/// Drains every live logger of the process (used by the fluent flush and at exit). Throws like
/// AsyncLogger::flush with every failure of every logger.
void flush_all_async_loggers();

}  // namespace mlflow::internal

namespace mlflow::internal {

/// What MlflowClient and its copies share: the logger, made on first asynchronous call.
struct AsyncLogHolder {
  std::mutex mutex;
  std::atomic<AsyncLogger*> logger_ptr{nullptr};
  std::unique_ptr<AsyncLogger> logger;  // guarded by mutex
  AsyncLoggingOptions options;          // guarded by mutex; used when the logger is made

  /// The logger, made with `store` on first use.
  AsyncLogger& get(const std::shared_ptr<TrackingStore>& store);
  /// The logger when one was made, else nullptr.
  AsyncLogger* existing() const noexcept { return logger_ptr.load(std::memory_order_acquire); }
};

/// MLFLOW_ENABLE_ASYNC_LOGGING as Python reads it ("true"/"1" in any case).
bool async_logging_enabled_by_env();

}  // namespace mlflow::internal
