// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent span API (Python's mlflow.start_span, start_span_no_context,
// get_current_active_span, update_current_trace, the W3C trace context helpers, enable/disable,
// flush_trace_async_logging).

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/trace_export.hpp"
#include "mlflow/tracing.hpp"
#include "tracing/provider.hpp"

namespace mlflow {

using internal::tracing::SpanAccess;

ActiveSpan start_span(const std::string& name, const std::string& span_type,
                      const StartSpanOptions& options) {
  internal::tracing::StartRequest request;
  request.name = name;
  request.span_type = span_type;
  request.attributes = &options.attributes;
  request.inputs = options.inputs ? &*options.inputs : nullptr;
  request.experiment_id = options.experiment_id;
  request.run_id = options.run_id;
  bool sampled_out = false;
  auto state = internal::tracing::start(request, &sampled_out);
  if (!state) return sampled_out ? SpanAccess::make_sampled_out() : ActiveSpan();
  internal::tracing::push_context(state);
  return SpanAccess::make_active(std::move(state), /*pushed=*/true);
}

LiveSpan start_span_no_context(const std::string& name, const StartSpanNoContextOptions& options) {
  internal::tracing::StartRequest request;
  request.name = name;
  request.span_type = options.span_type;
  request.use_context = false;
  if (options.parent_span) {
    request.parent = SpanAccess::state(*options.parent_span);
    // An inert parent (disabled or sampled out) makes an inert child, as Python's NoOpSpan.
    if (!request.parent) return LiveSpan();
  }
  request.attributes = &options.attributes;
  request.inputs = options.inputs ? &*options.inputs : nullptr;
  request.experiment_id = options.experiment_id;
  request.start_time_ns = options.start_time_ns;
  auto state = internal::tracing::start(request, nullptr);
  if (!state) return LiveSpan();
  if (!options.tags.empty() || !options.metadata.empty()) {
    std::lock_guard<std::mutex> lock(state->trace->mutex);
    for (const auto& [k, v] : options.tags) {
      // Python's exclude_immutable_tags: the trace name tag is the root span's.
      if (k != TraceTagKey::kTraceName) state->trace->info.tags[k] = v;
    }
    for (const auto& [k, v] : options.metadata) state->trace->info.trace_metadata[k] = v;
  }
  return SpanAccess::make_live(std::move(state));
}

std::optional<LiveSpan> get_current_active_span() {
  auto state = internal::tracing::current_span();
  if (!state || state->is_remote_placeholder) return std::nullopt;
  return SpanAccess::make_live(std::move(state));
}

std::optional<std::string> get_active_trace_id() {
  auto state = internal::tracing::current_span();
  if (!state) return std::nullopt;
  return state->data.trace_id;
}

std::optional<std::string> get_last_active_trace_id(bool thread_local_only) {
  return internal::tracing::last_trace_id(thread_local_only);
}

void update_current_trace(const UpdateCurrentTraceOptions& options) {
  if (options.state && *options.state != TraceState::kOk && *options.state != TraceState::kError) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        "State must be either 'OK' or 'ERROR', but got '" + to_string(*options.state) + "'.");
  }
  auto state = internal::tracing::current_span();
  if (!state || !state->trace) {
    internal::log(LogLevel::kWarning,
                  "mlflow tracing: no active trace found. Please create a span using "
                  "`mlflow::start_span` or `mlflow::trace` before calling "
                  "`mlflow::update_current_trace`.");
    return;
  }
  std::lock_guard<std::mutex> lock(state->trace->mutex);
  TraceInfo& info = state->trace->info;
  if (options.request_preview && !options.request_preview->empty()) {
    info.request_preview = *options.request_preview;
  }
  if (options.response_preview && !options.response_preview->empty()) {
    info.response_preview = *options.response_preview;
  }
  if (options.state) info.state = *options.state;
  for (const auto& [k, v] : options.tags) info.tags[k] = v;
  for (const auto& [k, v] : options.metadata) info.trace_metadata[k] = v;
  if (options.session_id)
    info.trace_metadata[TraceMetadataKey::kTraceSession] = *options.session_id;
  if (options.user) info.trace_metadata[TraceMetadataKey::kTraceUser] = *options.user;
  if (options.model_id && !options.model_id->empty()) {
    info.trace_metadata[TraceMetadataKey::kModelId] = *options.model_id;
  }
  if (options.client_request_id) info.client_request_id = *options.client_request_id;
}

// ---- W3C trace context ----

std::map<std::string, std::string> get_tracing_context_headers_for_http_request() {
  auto state = internal::tracing::current_span();
  if (!state) {
    internal::log(LogLevel::kWarning,
                  "mlflow tracing: no active span found for fetching the trace context from. "
                  "Returning an empty header.");
    return {};
  }
  return {{"traceparent", "00-" + state->trace_hex + "-" + state->data.span_id + "-01"}};
}

namespace {

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

[[noreturn]] void bad_traceparent(const std::string& value) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "The traceparent header '" + value +
                            "' is not a W3C trace context (00-<32 hex>-<16 hex>-<2 hex>).");
}

}  // namespace

TracingContextScope set_tracing_context_from_http_request_headers(
    const std::map<std::string, std::string>& headers) {
  // Python's names exactly: "traceparent", or "Traceparent" as some HTTP frameworks (Flask)
  // capitalise it; any other spelling is refused, as Python refuses it.
  auto it = headers.find("traceparent");
  if (it == headers.end()) it = headers.find("Traceparent");
  if (it == headers.end()) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        "The http request headers do not contain the required key 'traceparent', please "
        "generate the request headers by "
        "'mlflow::get_tracing_context_headers_for_http_request' API.");
  }
  const std::string value = internal::trim(it->second);
  // version "00": 2-32-16-2 hex fields; later versions may append fields after a '-'.
  if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-' ||
      (value.size() > 55 && value[55] != '-')) {
    bad_traceparent(value);
  }
  const std::string version = value.substr(0, 2);
  const std::string trace_hex = value.substr(3, 32);
  const std::string span_hex = value.substr(36, 16);
  const std::string flags = value.substr(53, 2);
  if (!is_lower_hex(version) || version == "ff" || !is_lower_hex(trace_hex) ||
      !is_lower_hex(span_hex) || !is_lower_hex(flags) || trace_hex == std::string(32, '0') ||
      span_hex == std::string(16, '0') || (version == "00" && value.size() != 55)) {
    bad_traceparent(value);
  }
  auto placeholder = std::make_shared<internal::tracing::LiveSpanState>();
  placeholder->is_remote_placeholder = true;
  placeholder->trace_hex = trace_hex;
  placeholder->data.trace_id = "tr-" + trace_hex;
  placeholder->data.span_id = span_hex;
  const bool sampled = (std::stoi(flags, nullptr, 16) & 1) != 0;
  if (sampled && internal::tracing::is_enabled()) {
    // The same process may hold the trace itself (a service calling itself): continue it.
    placeholder->trace = internal::tracing::find_live_trace(placeholder->data.trace_id);
    if (!placeholder->trace) {
      try {
        auto record = std::make_shared<internal::tracing::TraceRecord>();
        record->is_remote = true;
        record->info.trace_id = placeholder->data.trace_id;
        record->info.trace_location.experiment_id =
            internal::tracing::experiment_for_new_trace(std::nullopt);
        record->exporter = internal::tracing::exporter_for_new_trace();
        placeholder->trace = std::move(record);
      } catch (const std::exception& e) {
        internal::log(LogLevel::kWarning, std::string("mlflow tracing: cannot continue the "
                                                      "remote trace: ") +
                                              e.what());
        placeholder->trace.reset();
      }
    }
  }
  if (!placeholder->trace) {
    // Not sampled by the caller (or tracing off): spans in this scope record nothing.
    internal::tracing::enter_sampled_out();
    placeholder->ended = true;  // marks "entered sampled-out" for the scope's destructor
    return TracingContextScope(SpanAccess::make_live(std::move(placeholder)));
  }
  internal::tracing::push_context(placeholder);
  return TracingContextScope(SpanAccess::make_live(std::move(placeholder)));
}

TracingContextScope::TracingContextScope(LiveSpan remote) noexcept : remote_(std::move(remote)) {}

TracingContextScope::TracingContextScope(TracingContextScope&& other) noexcept
    : remote_(std::exchange(other.remote_, LiveSpan())) {}

TracingContextScope::~TracingContextScope() {
  const auto& remote = SpanAccess::state(remote_);
  if (!remote) return;
  if (!remote->trace) {
    internal::tracing::leave_sampled_out();
  } else {
    internal::tracing::pop_context(remote.get());
  }
}

// ---- configuration and flushing ----

namespace tracing {
void enable() { internal::tracing::set_enabled(true); }
void disable() { internal::tracing::set_enabled(false); }
bool is_enabled() { return internal::tracing::is_enabled(); }
void set_destination(std::optional<std::string> experiment_id) {
  internal::tracing::set_destination(std::move(experiment_id));
}
}  // namespace tracing

void set_trace_export_options(TraceExportOptions options) {
  internal::tracing::set_export_options(std::move(options));
}

TraceExportOptions trace_export_options() { return internal::tracing::export_options(); }

TraceExportStats trace_export_stats() {
  TraceExportStats total;
  for (const auto& e : internal::tracing::all_exporters()) {
    const TraceExportStats s = e->stats();
    total.enqueued_traces += s.enqueued_traces;
    total.exported_traces += s.exported_traces;
    total.dropped_traces += s.dropped_traces;
    total.failed_traces += s.failed_traces;
    total.otlp_requests += s.otlp_requests;
    total.start_trace_requests += s.start_trace_requests;
    total.resends += s.resends;
    total.queued_traces += s.queued_traces;
    total.queued_bytes += s.queued_bytes;
    total.peak_queued_bytes = std::max(total.peak_queued_bytes, s.peak_queued_bytes);
  }
  return total;
}

namespace {

// Waits for every exporter until `deadline` (unset: without limit), shutting them down with
// `terminate`. Returns the traces still pending and the failures since the last flush.
std::pair<std::size_t, std::vector<TraceExportError>> flush_exporters(
    std::optional<std::chrono::steady_clock::time_point> deadline, bool terminate) {
  using Clock = std::chrono::steady_clock;
  const auto exporters = internal::tracing::all_exporters();
  std::size_t pending = 0;
  std::vector<TraceExportError> errors;
  if (terminate) {
    const Clock::time_point at = deadline.value_or(Clock::now() + std::chrono::hours(24 * 365));
    for (const auto& e : exporters) e->begin_shutdown(at);
    for (const auto& e : exporters) {
      auto lost = e->finish_shutdown(at);
      pending += lost.size();
    }
  } else {
    for (const auto& e : exporters) pending += e->wait_until_drained(deadline);
  }
  for (const auto& e : exporters) {
    auto failed = e->take_errors();
    errors.insert(errors.end(), failed.begin(), failed.end());
  }
  return {pending, std::move(errors)};
}

}  // namespace

void flush_trace_async_logging(bool terminate) {
  auto [pending, errors] = flush_exporters(std::nullopt, terminate);
  (void)pending;  // without a time limit nothing stays pending
  if (errors.empty()) return;
  std::string message = std::to_string(errors.size()) + " trace(s) could not be exported:";
  for (std::size_t i = 0; i < errors.size() && i < 10; ++i) {
    message += "\n  " +
               (errors[i].trace_id.empty() ? std::string("(in flight)") : errors[i].trace_id) +
               " (" + error_code_name(errors[i].code) + "): " + errors[i].reason;
  }
  throw MlflowException(
      errors.front().code == ErrorCode::kUnknown ? ErrorCode::kInternalError : errors.front().code,
      message);
}

bool flush_trace_async_logging(std::chrono::milliseconds timeout, bool terminate) {
  const auto [pending, errors] =
      flush_exporters(std::chrono::steady_clock::now() + timeout, terminate);
  return pending == 0 && errors.empty();
}

}  // namespace mlflow
