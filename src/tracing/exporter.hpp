// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The trace exporter of one store (Python's MlflowV3SpanExporter with its
// AsyncTraceExportQueue), on the async layer (ADR 0016, ADR 0022): finished traces are queued
// (bounded by count and bytes, never blocking the traced thread: a trace beyond the bound is
// dropped, counted and reported) and sent by a few sender threads. A sender takes a batch of
// traces, uploads all their spans in one OTLP request per experiment, then StartTraceV3 for
// each trace, traces.json when the server keeps spans as artifacts, and linked prompts.
// Every request is held through outages by the async layer's hold (async/hold.hpp: the
// transient rule of core/retry_rules and its back-off) until retry_timeout, and the senders
// run inside the exporter's Deadline (core/deadline.hpp), which shutdown moves, so that the
// transport's retries, the hold's sleeps and the senders all stop by a flush or exit deadline.
// What is given up, dropped or left unsent goes to on_error, to the log, and to the next flush.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "async/hold.hpp"
#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "mlflow/trace_export.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal::tracing {

/// This process's part of one trace, ready to send.
struct ExportItem {
  std::string experiment_id;
  std::string trace_id;
  std::vector<SpanData> spans;
  /// Spans as the traced thread handed them over (a span handle may still read them): copied
  /// into `spans` by the sender before it sends, so the traced thread copies nothing.
  std::vector<std::shared_ptr<SpanData>> handed_over;
  /// Set for traces whose root is in this process (StartTraceV3 after the spans); unset for
  /// the spans of a trace continued from another process.
  std::optional<TraceInfo> info;
  std::vector<PromptVersionRef> prompts;
  /// `info` still needs what Python computes when the root ends (finalize_trace_info: previews,
  /// token usage, size statistics): done by the sender, so the traced thread only hands over.
  bool needs_finalize = false;
  /// Approximate memory held by the item (for the queue's byte bound).
  std::size_t bytes = 0;

  std::size_t span_count() const noexcept { return spans.size() + handed_over.size(); }
};

/// Rough size of a span's data in memory.
std::size_t approximate_bytes(const SpanData& span);

class TraceExporter {
 public:
  /// `store` should not retry on its own (the exporter holds and re-sends); `name` describes
  /// the destination in messages (the tracking URI). `hooks` (tests): the hold's sleep and
  /// jitter.
  TraceExporter(std::shared_ptr<TraceStore> store, TraceExportOptions options, std::string name,
                RetryHooks hooks = {});
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
  /// Stops accepting work (later traces are sent on the caller's thread, as Python does once
  /// its queue is terminated), drains until `deadline`, then abandons what is left: counted
  /// as failed, reported to on_error and the log, and returned. Senders still blocked in a
  /// request are detached and left to finish on their own. shutdown() in two steps, so that
  /// the exit paths stop every exporter at once: begin_shutdown tells the senders to finish by
  /// `deadline`; finish_shutdown waits for them until then.
  std::vector<TraceExportError> shutdown(std::chrono::steady_clock::time_point deadline) noexcept;
  void begin_shutdown(std::chrono::steady_clock::time_point deadline) noexcept;
  std::vector<TraceExportError> finish_shutdown(
      std::chrono::steady_clock::time_point deadline) noexcept;

  TraceExportStats stats() const;
  const std::string& name() const noexcept { return name_; }

 private:
  void sender_loop();
  /// Sends a batch; returns nothing, records outcomes. `deadline`: the senders' (moved by
  /// shutdown), or the unbounded one of synchronous sends.
  void send_batch(std::vector<ExportItem>& batch, const Deadline& deadline);
  /// Runs `op` through the async layer's hold. Returns the error that ended it (a deadline
  /// that passed as DEADLINE_EXCEEDED), or std::nullopt on success.
  std::optional<MlflowException> with_hold(const std::function<void()>& op, const char* what,
                                           const Deadline& deadline);
  void finish(const ExportItem& item, std::optional<TraceExportError> error);
  void give_up(const ExportItem& item, const MlflowException& e);
  void report(const TraceExportError& error) noexcept;

  std::shared_ptr<TraceStore> store_;
  const TraceExportOptions options_;
  const std::string name_;
  RetryHooks hooks_;
  /// The senders' deadline (moved earlier by shutdown); synchronous sends have none.
  Deadline deadline_;
  Deadline unbounded_;

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
  bool shut_down_ = false;  // guarded by shutdown_mutex_
  std::mutex shutdown_mutex_;

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
  /// Given up because the shutdown deadline passed while they were being held.
  std::atomic<std::uint64_t> cut_by_deadline_{0};
  std::size_t peak_queued_bytes_ = 0;  // guarded by mutex_
};

}  // namespace mlflow::internal::tracing
