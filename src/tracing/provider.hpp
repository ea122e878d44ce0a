// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The tracing runtime of the process (Python's mlflow.tracing.provider, trace manager and
// span processor): whether tracing is on, sampling, the destination, the per-thread span
// context, the live traces, and what happens when a span starts and ends.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/tracing.hpp"
#include "tracing/exporter.hpp"
#include "tracing/span_state.hpp"

namespace mlflow::internal::tracing {

/// Nanoseconds since the Unix epoch.
std::int64_t now_ns() noexcept;

/// Starts a span. `parent` null: the calling thread's current span (when `use_context`), else a
/// new trace. Returns null when tracing is off or the new trace is sampled out.
struct StartRequest {
  std::string name;
  std::string span_type;
  std::shared_ptr<LiveSpanState> parent;
  bool use_context = true;
  const JsonValue* attributes = nullptr;
  const JsonValue* inputs = nullptr;
  std::optional<std::string> experiment_id;
  std::optional<std::string> run_id;
  std::optional<std::int64_t> start_time_ns;
  /// Keeps a given span id (add_trace copies spans with their ids).
  std::optional<std::string> span_id;
};
std::shared_ptr<LiveSpanState> start(const StartRequest& request, bool* sampled_out);

/// Ends a span (idempotent) and, when it completes this process's part of its trace, hands
/// the trace to its exporter.
void end(const std::shared_ptr<LiveSpanState>& span, const EndSpanOptions* options) noexcept;

/// The experiment of a new trace: `explicit_id` > set_destination > the calling thread's
/// active run's > set_experiment / MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_ID > "0"
/// (Python's get_experiment_id_for_trace); the environment's is looked up once per URI.
std::string experiment_for_new_trace(const std::optional<std::string>& explicit_id);

// ---- per-thread context ----
void push_context(std::shared_ptr<LiveSpanState> span);
/// Removes `span` from the calling thread's context (normally the top).
void pop_context(const LiveSpanState* span) noexcept;
std::shared_ptr<LiveSpanState> current_span() noexcept;
/// Depth of sampled-out spans open on this thread (their children are inert too).
void enter_sampled_out() noexcept;
void leave_sampled_out() noexcept;

// ---- live traces ----
std::shared_ptr<TraceRecord> find_live_trace(const std::string& trace_id);
/// Records `prompt` on the active trace (mlflow.linkedPrompts tag, link at export) and on the
/// current span (mlflow.linkedPrompts attribute), as Python's load_prompt does.
void on_prompt_loaded(const std::string& name, const std::string& version);
/// Adds an assessment to a live trace (exported with it); false when the trace is not live.
bool add_assessment_to_live_trace(const std::string& trace_id, const Assessment& assessment);

// ---- export ----
/// The exporter for `client`'s store (one per tracking URI, made on first use).
std::shared_ptr<TraceExporter> exporter_for(const MlflowClient& client);
/// The exporter of a trace starting now: the fluent default client's (or the test override).
std::shared_ptr<TraceExporter> exporter_for_new_trace();
std::vector<std::shared_ptr<TraceExporter>> all_exporters();
/// The OpenTelemetry collector's exporter when OTLP export is configured in the environment
/// (tracing/otlp_collector.hpp; read once, again after reset_for_tests), else null. A
/// misconfiguration is logged once as an ERROR naming the fix (validate_setup reports it too).
std::shared_ptr<TraceExporter> collector_exporter();
/// MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT with a collector configured.
bool collector_dual_export();

/// The environment's sampling ratio (MLFLOW_TRACE_SAMPLING_RATIO, 1.0 when unset or invalid),
/// read once.
double sampling_ratio();
/// MLFLOW_TRACE_SAMPLING_RATIO of `env`: 1.0 when unset, or (with Python's warning) when it is
/// not a number in [0, 1].
double sampling_ratio_from(const EnvLookup& env);
/// The exporter options of `env` (MLFLOW_ENABLE_ASYNC_TRACE_LOGGING,
/// MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS / _MAX_QUEUE_SIZE / _RETRY_TIMEOUT); every option is
/// its default when any of them is malformed (with a warning, as the message says).
TraceExportOptions export_options_from(const EnvLookup& env);
/// TraceIdRatioBased: the lower 64 bits of the trace id below ratio * 2^64.
bool sampled(std::uint64_t trace_id_low, double ratio) noexcept;

// ---- configuration ----
void set_enabled(bool enabled);
bool is_enabled();
void set_destination(std::optional<std::string> experiment_id);
void set_export_options(TraceExportOptions options);
/// The options set, else the environment's (read once).
TraceExportOptions export_options();
/// The last trace whose root ended in this process / on this thread.
std::optional<std::string> last_trace_id(bool thread_local_only);

/// For tests: every new trace goes to `exporter` (null: back to the default client's).
void set_exporter_for_tests(std::shared_ptr<TraceExporter> exporter);

/// For tests: forgets live traces, the context of this thread, the destination, the cached
/// experiment and the last trace ids; tracing enabled again.
void reset_for_tests();

}  // namespace mlflow::internal::tracing
