// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// How finished traces reach the store: a bounded queue drained by background senders that
/// batch spans into OTLP requests, hold them through outages and report what they had to give
/// up (docs/adr/0022-tracing-api-and-export.md). The settings default to Python's environment
/// variables: MLFLOW_ENABLE_ASYNC_TRACE_LOGGING, MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS,
/// MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE, MLFLOW_ASYNC_TRACE_LOGGING_RETRY_TIMEOUT.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"

namespace mlflow {

/// A trace (or the spans of a distributed trace's remote part) that could not be stored.
struct TraceExportError {
  std::string trace_id{};
  std::size_t spans = 0;
  ErrorCode code = ErrorCode::kUnknown;
  std::string reason{};
};

struct TraceExportOptions {
  /// false: each trace is sent on the thread that ends it (Python's
  /// MLFLOW_ENABLE_ASYNC_TRACE_LOGGING=false). Default: that variable, else true.
  bool asynchronous = true;
  /// Sender threads (MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS; default 4, Python's 10 is meant
  /// for one request per span).
  int max_workers = 4;
  /// Traces waiting to be sent at most (MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE, default
  /// 100,000), and bytes at most (their span data); a trace beyond either is dropped, counted
  /// and reported by the next flush, never blocking the traced program.
  std::size_t max_queue_traces = 100000;
  std::size_t max_queue_bytes = std::size_t{256} << 20;
  /// How long a batch is held and re-sent while the server keeps failing transiently
  /// (connection refused, 5xx, 429, timeouts): MLFLOW_ASYNC_TRACE_LOGGING_RETRY_TIMEOUT
  /// seconds, default 500.
  std::chrono::milliseconds retry_timeout{std::chrono::seconds(500)};
  /// At exit (and in the std::terminate handler), the queue is flushed for at most this
  /// long; every trace still unsent is reported to on_error (DEADLINE_EXCEEDED), counted in
  /// an ERROR line through the SDK's log handler, and the process ends.
  std::chrono::milliseconds exit_timeout{std::chrono::seconds(10)};
  /// Spans per OTLP request at most (a trace's spans always go together). A sender takes at
  /// most its share (1 / max_workers) of the traces queued, so the senders work in parallel.
  std::size_t max_spans_per_request = 1000;
  /// Called on a sender thread for every trace given up (besides the next flush's error).
  std::function<void(const TraceExportError&)> on_error{};
};

struct TraceExportStats {
  std::uint64_t enqueued_traces = 0;
  std::uint64_t exported_traces = 0;
  /// Dropped because the queue was full.
  std::uint64_t dropped_traces = 0;
  /// Given up after errors.
  std::uint64_t failed_traces = 0;
  std::uint64_t otlp_requests = 0;
  std::uint64_t start_trace_requests = 0;
  /// Requests sent again after a transient failure.
  std::uint64_t resends = 0;
  std::size_t queued_traces = 0;
  std::size_t queued_bytes = 0;
  std::size_t peak_queued_bytes = 0;
};

/// Replaces the export settings (for exporters made afterwards; call before tracing starts).
void set_trace_export_options(TraceExportOptions options);
/// The settings in effect (the environment's when never set).
TraceExportOptions trace_export_options();
/// Counters summed over every exporter of the process.
TraceExportStats trace_export_stats();

/// Python's mlflow.flush_trace_async_logging: waits until every trace queued before the call
/// is stored or given up. Throws MlflowException listing the traces given up (dropped,
/// failed, or cut by a deadline) since the last flush. `terminate` also stops the senders
/// (later traces are sent on the thread that ends them).
void flush_trace_async_logging(bool terminate = false);
/// The same within `timeout`: true when every trace queued before the call was stored and none
/// was given up since the last flush; false when time ran out (sending goes on, unless
/// `terminate`: then what is left is abandoned) or traces were lost. Losses were already
/// reported to TraceExportOptions::on_error and the SDK's log; the flush consumes them, as
/// flush_async_logging(timeout) does.
bool flush_trace_async_logging(std::chrono::milliseconds timeout, bool terminate = false);

}  // namespace mlflow
