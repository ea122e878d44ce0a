// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The trace exporter of one store (Python's MlflowV3SpanExporter with its
// AsyncTraceExportQueue): finished traces are queued (bounded by count and bytes, never
// blocking the traced thread) and sent by a few sender threads. A sender takes a batch of
// traces, uploads all their spans in one OTLP request per experiment, then StartTraceV3 for
// each trace, traces.json when the server keeps spans as artifacts, and linked prompts.
// Transient failures (no connection, 5xx, 429, timeouts) are held and re-sent until
// retry_timeout; what is given up or dropped is reported by the next flush and to on_error.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mlflow/trace_export.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal::tracing {

/// This process's part of one trace, ready to send.
struct ExportItem {
  std::string experiment_id;
  std::string trace_id;
  std::vector<SpanData> spans;
  /// Set for traces whose root is in this process (StartTraceV3 after the spans); unset for
  /// the spans of a trace continued from another process.
  std::optional<TraceInfo> info;
  std::vector<PromptVersionRef> prompts;
  /// Approximate memory held by the item (for the queue's byte bound).
  std::size_t bytes = 0;
};

/// Rough size of a span's data in memory.
std::size_t approximate_bytes(const SpanData& span);

class TraceExporter {
 public:
  /// `store` should not retry on its own (the exporter holds and re-sends); `name` describes
  /// the destination in messages (the tracking URI).
  TraceExporter(std::shared_ptr<TraceStore> store, TraceExportOptions options, std::string name);
  /// Stops the senders after the queue is drained (no time limit).
  ~TraceExporter();
  TraceExporter(const TraceExporter&) = delete;
  TraceExporter& operator=(const TraceExporter&) = delete;

  /// Queues (or, when not asynchronous, sends at once on this thread). Never throws.
  void submit(ExportItem item) noexcept;
  /// Waits until everything submitted before the call is stored or given up, or until the
  /// deadline. Returns the number of traces still pending (0 = complete).
  std::size_t wait_until_drained(std::optional<std::chrono::steady_clock::time_point> deadline);
  /// The traces given up since the last call.
  std::vector<TraceExportError> take_errors();
  /// Stops accepting work, drains until `deadline`, then abandons what is left (counted as
  /// failed and returned). Senders still blocked in a request are left to finish on their own.
  std::vector<TraceExportError> shutdown(std::chrono::steady_clock::time_point deadline) noexcept;

  TraceExportStats stats() const;
  const std::string& name() const noexcept { return name_; }

 private:
  void sender_loop();
  /// Sends a batch; returns nothing, records outcomes.
  void send_batch(std::vector<ExportItem>& batch);
  /// Runs `op` until it succeeds, fails permanently, or the hold time / abort ends it.
  /// Returns the error that ended it, or std::nullopt on success.
  template <typename Op>
  std::optional<MlflowException> with_hold(Op&& op, const char* what);
  void finish(const ExportItem& item, std::optional<TraceExportError> error);
  void give_up(const ExportItem& item, const MlflowException& e);

  std::shared_ptr<TraceStore> store_;
  const TraceExportOptions options_;
  const std::string name_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<ExportItem> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t submitted_ = 0;
  std::uint64_t finished_ = 0;
  bool stopping_ = false;
  std::vector<TraceExportError> errors_;
  std::vector<std::thread> senders_;

  std::atomic<bool> abort_{false};
  /// Cleared when the store answers that it cannot take spans (file-store servers).
  std::atomic<bool> store_takes_spans_{true};
  std::mutex sync_mutex_;  // serialises synchronous sends

  std::atomic<std::uint64_t> enqueued_{0};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> otlp_requests_{0};
  std::atomic<std::uint64_t> start_trace_requests_{0};
  std::atomic<std::uint64_t> resends_{0};
  std::size_t peak_queued_bytes_ = 0;  // guarded by mutex_
};

}  // namespace mlflow::internal::tracing
