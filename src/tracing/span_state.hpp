// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The in-memory state of live traces (Python's InMemoryTraceManager._Trace and LiveSpan):
// one TraceRecord per trace being recorded in this process, holding its TraceInfo and its
// spans; one LiveSpan::State (alias LiveSpanState) per span, pointing at its record. Finished
// spans are kept as SpanData in the record until the trace is handed to the exporter. The
// public header only declares LiveSpan::State and LiveSpan::Access (nested, so no library type
// is named there); they are defined here.

#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"
#include "mlflow/tracing.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal::tracing {

class TraceExporter;

struct TraceRecord {
  std::mutex mutex;
  TraceInfo info;
  /// Where the finished trace goes (resolved when the trace starts, on the starting thread).
  std::shared_ptr<TraceExporter> exporter;
  /// The OpenTelemetry collector's exporter (spans only), when OTLP export is configured.
  std::shared_ptr<TraceExporter> collector;
  /// Finished spans, in the order they ended (shared with their LiveSpanState).
  std::vector<std::shared_ptr<SpanData>> finished;
  std::vector<PromptVersionRef> prompts;
  /// Spans started and not yet ended.
  int open_spans = 0;
  /// A trace continued from another process (traceparent): only spans are exported here.
  bool is_remote = false;
  /// The span whose end completes this process's part of the trace: the root, or for a
  /// remote trace each span whose parent is the remote one.
  bool top_ended = false;
  bool exported = false;
};

}  // namespace mlflow::internal::tracing

namespace mlflow {

struct LiveSpan::State {
  using TraceRecord = internal::tracing::TraceRecord;

  std::mutex mutex;
  std::shared_ptr<TraceRecord> trace;
  /// The span while it is recorded; once ended only its ids, name and start time (the rest
  /// moved to `finished`, which is what readers see then).
  SpanData data;
  /// The span as it ended (set with `ended`, never changed after): handed to the exporter
  /// without a copy on the traced thread.
  std::shared_ptr<SpanData> finished;
  /// The W3C trace id (32 hex) the span belongs to.
  std::string trace_hex;
  bool ended = false;
  /// A span standing for a caller in another process (set_tracing_context_from_...); never
  /// exported, never ended.
  bool is_remote_placeholder = false;
  /// Top-level in this process: the root, or a child of a remote placeholder.
  bool is_local_top = false;
};

/// Opens LiveSpan / ActiveSpan (a member of LiveSpan and a friend of ActiveSpan).
struct LiveSpan::Access {
  using State = LiveSpan::State;
  static LiveSpan make_live(std::shared_ptr<State> state);
  static ActiveSpan make_active(std::shared_ptr<State> state, bool pushed);
  static ActiveSpan make_sampled_out();
  static const std::shared_ptr<State>& state(const LiveSpan& span);
};

}  // namespace mlflow

namespace mlflow::internal::tracing {

using LiveSpanState = LiveSpan::Access::State;
using SpanAccess = LiveSpan::Access;

/// The name of the dynamic type of `e` (demangled where the compiler allows).
std::string exception_type_name(const std::exception& e);

}  // namespace mlflow::internal::tracing
