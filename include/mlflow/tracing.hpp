// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// GenAI tracing, with the names of Python's fluent tracing API (mlflow.start_span,
/// @mlflow.trace, mlflow.get_current_active_span, mlflow.update_current_trace, ...). See
/// docs/adr/0022-tracing-api-and-export.md.
///
///     {
///       auto span = mlflow::start_span("answer", mlflow::SpanType::kChain);
///       span.set_inputs({{"question", q}});
///       auto reply = mlflow::trace("model", [&] { return model(q); },
///                                  {mlflow::SpanType::kLlm});
///       span.set_outputs(reply);
///     }  // the span ends here; the trace is exported in the background
///
/// Spans start and end on the caller's thread in well under a microsecond; the finished trace
/// is exported by a background sender (trace_export.hpp). Tracing that is disabled or sampled
/// out (MLFLOW_TRACE_SAMPLING_RATIO) hands out inert spans and costs a few nanoseconds.

#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "mlflow/json_value.hpp"
#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"

namespace mlflow {

/// `mlflow.chat.tokenUsage` of an LLM span (Python's TokenUsageKey).
struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  /// input + output when unset.
  std::optional<std::int64_t> total_tokens = std::nullopt;
  std::optional<std::int64_t> cache_read_input_tokens = std::nullopt;
  std::optional<std::int64_t> cache_creation_input_tokens = std::nullopt;
};

/// `mlflow.llm.cost` of an LLM span, in USD.
struct LlmCost {
  double input_cost = 0.0;
  double output_cost = 0.0;
  /// input + output when unset.
  std::optional<double> total_cost = std::nullopt;
};

/// Python's LiveSpan.end(...) keyword arguments.
struct EndSpanOptions {
  std::optional<JsonValue> outputs = std::nullopt;
  /// An object of attributes merged into the span's.
  JsonValue attributes{};
  std::optional<SpanStatus> status = std::nullopt;
  /// Nanoseconds since the epoch; now when unset.
  std::optional<std::int64_t> end_time_ns = std::nullopt;
};

/// A span being recorded (Python's LiveSpan). A handle: copies refer to the same span. A
/// default-constructed or inert span (tracing disabled, sampled out) accepts every call and
/// records nothing; is_recording() tells them apart. Setters never throw for bad values:
/// tracing must not break the traced program (Python logs and carries on too).
class LiveSpan {
 public:
  /// How the library's tracing layer opens span handles; defined inside the library only
  /// (src/tracing/span_state.hpp), so not usable outside it.
  struct Access;

  LiveSpan() noexcept = default;

  bool is_recording() const noexcept { return state_ != nullptr; }
  /// "tr-..." (empty for an inert span).
  std::string trace_id() const;
  /// 16 lowercase hex digits (empty for an inert span).
  std::string span_id() const;
  std::optional<std::string> parent_id() const;
  std::string name() const;

  void set_inputs(JsonValue inputs);
  void set_outputs(JsonValue outputs);
  void set_attribute(const std::string& key, JsonValue value);
  /// Every member of an object; anything else is ignored with a warning (as Python).
  void set_attributes(const JsonValue& attributes);
  /// A SpanType constant or any other string.
  void set_span_type(const std::string& span_type);
  void set_status(SpanStatusCode code, const std::string& description = "");
  /// "OK", "ERROR" or "UNSET"; anything else is ignored with a warning.
  void set_status(const std::string& code);
  /// Timestamp 0 = now.
  void add_event(SpanEvent event);
  /// An "exception" event (exception.type, exception.message, exception.stacktrace) and status
  /// ERROR with description "<type>: <message>", as Python's record_exception.
  void record_exception(const std::exception& error);
  void record_exception(const std::string& message);
  /// A caught exception of any type (std::current_exception() in a `catch (...)`): as above for
  /// a std::exception, else type "unknown". A null pointer records nothing.
  void record_exception(const std::exception_ptr& error);
  /// `mlflow.chat.tokenUsage`, summed into the trace's `mlflow.trace.tokenUsage`.
  void set_token_usage(const TokenUsage& usage);
  /// `mlflow.llm.cost`.
  void set_cost(const LlmCost& cost);
  /// `mlflow.llm.model` (and `mlflow.llm.provider` when given).
  void set_model(const std::string& model, const std::string& provider = "");

  /// Current values (null when unset).
  JsonValue inputs() const;
  JsonValue outputs() const;
  JsonValue get_attribute(const std::string& key) const;

  /// Ends the span (status OK unless ERROR was set). Ending twice does nothing. Spans from
  /// start_span end themselves; start_span_no_context spans must be ended.
  void end(const EndSpanOptions& options = {});

 protected:
  /// The span's recorded state; defined inside the library only.
  struct State;
  explicit LiveSpan(std::shared_ptr<State> state) noexcept : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

/// The span of start_span: the current span of its thread until it ends, which it does when
/// it goes out of scope (or at end()). Leaving the scope by an exception records an
/// "exception" event and ERROR status first; catch the exception inside the scope and call
/// record_exception() to keep its type and message, or use mlflow::trace(), which does.
class ActiveSpan : public LiveSpan {
 public:
  ActiveSpan() noexcept = default;
  ~ActiveSpan();
  ActiveSpan(ActiveSpan&& other) noexcept;
  ActiveSpan& operator=(ActiveSpan&& other) noexcept;
  ActiveSpan(const ActiveSpan&) = delete;
  ActiveSpan& operator=(const ActiveSpan&) = delete;

  /// Ends the span now and makes its parent current again.
  void end(const EndSpanOptions& options = {});

 private:
  ActiveSpan(std::shared_ptr<State> state, bool pushed) noexcept;
  void finish(const EndSpanOptions* options) noexcept;

  int uncaught_at_start_ = 0;
  bool pushed_ = false;
  bool sampled_out_ = false;

  friend struct LiveSpan::Access;
};

/// Python's start_span(name, span_type, attributes, trace_destination, run_id).
struct StartSpanOptions {
  /// An object of initial attributes.
  JsonValue attributes{};
  std::optional<JsonValue> inputs = std::nullopt;
  /// The experiment of a new trace (Python's trace_destination); ignored for child spans.
  std::optional<std::string> experiment_id = std::nullopt;
  /// Recorded as the trace's mlflow.sourceRun (root spans only; Python's run_id).
  std::optional<std::string> run_id = std::nullopt;
};

/// Starts a span as a child of the calling thread's current span (or a new trace) and makes
/// it current until it ends.
ActiveSpan start_span(const std::string& name = "span",
                      const std::string& span_type = SpanType::kUnknown,
                      const StartSpanOptions& options = {});

/// Python's start_span_no_context(...).
struct StartSpanNoContextOptions {
  std::string span_type = SpanType::kUnknown;
  /// The parent (any thread); unset: a new trace.
  std::optional<LiveSpan> parent_span = std::nullopt;
  std::optional<JsonValue> inputs = std::nullopt;
  JsonValue attributes{};
  /// Added to the trace's tags / metadata.
  std::map<std::string, std::string> tags{};
  std::map<std::string, std::string> metadata{};
  std::optional<std::string> experiment_id = std::nullopt;
  std::optional<std::int64_t> start_time_ns = std::nullopt;
};

/// A span that is not made current (for work handed to other threads or callbacks); end it
/// with end().
LiveSpan start_span_no_context(const std::string& name,
                               const StartSpanNoContextOptions& options = {});

/// mlflow::trace's options (Python's @mlflow.trace(name, span_type, attributes)).
struct TraceOptions {
  std::string span_type = SpanType::kUnknown;
  std::optional<JsonValue> inputs = std::nullopt;
  JsonValue attributes{};
};

/// Runs `fn` inside a span named `name` (Python's @mlflow.trace): the inputs given in
/// `options`, the return value as outputs (when it converts to JsonValue), an exception
/// recorded with its type and message and then rethrown. `fn` takes no argument or the span
/// (`LiveSpan&`).
template <typename F>
auto trace(const std::string& name, F&& fn, const TraceOptions& options = {}) {
  StartSpanOptions start;
  start.attributes = options.attributes;
  start.inputs = options.inputs;
  ActiveSpan span = start_span(name, options.span_type, start);
  try {
    if constexpr (std::is_invocable_v<F, LiveSpan&>) {
      using R = std::invoke_result_t<F, LiveSpan&>;
      if constexpr (std::is_void_v<R>) {
        std::forward<F>(fn)(static_cast<LiveSpan&>(span));
        span.end();
      } else {
        R result = std::forward<F>(fn)(static_cast<LiveSpan&>(span));
        if constexpr (std::is_constructible_v<JsonValue, const std::decay_t<R>&>) {
          if (span.is_recording() && span.outputs().is_null()) span.set_outputs(JsonValue(result));
        }
        span.end();
        return result;
      }
    } else {
      using R = std::invoke_result_t<F>;
      if constexpr (std::is_void_v<R>) {
        std::forward<F>(fn)();
        span.end();
      } else {
        R result = std::forward<F>(fn)();
        if constexpr (std::is_constructible_v<JsonValue, const std::decay_t<R>&>) {
          if (span.is_recording() && span.outputs().is_null()) span.set_outputs(JsonValue(result));
        }
        span.end();
        return result;
      }
    }
  } catch (const std::exception& e) {
    span.record_exception(e);
    throw;
  } catch (...) {
    span.record_exception(std::current_exception());
    throw;
  }
}

/// The calling thread's current span (start_span / trace only), or std::nullopt.
std::optional<LiveSpan> get_current_active_span();
/// The trace id of the current span, or std::nullopt.
std::optional<std::string> get_active_trace_id();
/// The id of the last trace whose root span ended in this process (Python's default), or on
/// this thread with thread_local = true.
std::optional<std::string> get_last_active_trace_id(bool thread_local_only = false);

/// Python's update_current_trace(...) keyword arguments.
struct UpdateCurrentTraceOptions {
  std::map<std::string, std::string> tags{};
  std::map<std::string, std::string> metadata{};
  std::optional<std::string> client_request_id = std::nullopt;
  std::optional<std::string> request_preview = std::nullopt;
  std::optional<std::string> response_preview = std::nullopt;
  /// kOk or kError only (Python: "State must be either 'OK' or 'ERROR'").
  std::optional<TraceState> state = std::nullopt;
  std::optional<std::string> model_id = std::nullopt;
  /// Metadata mlflow.trace.session / mlflow.trace.user.
  std::optional<std::string> session_id = std::nullopt;
  std::optional<std::string> user = std::nullopt;
};

/// Updates the trace of the calling thread's current span (kept in memory and sent when the
/// trace ends). Without a current span: a warning and nothing else (as Python). Throws
/// InvalidArgument for a state other than OK/ERROR.
void update_current_trace(const UpdateCurrentTraceOptions& options);

// ---- Distributed tracing (W3C trace context) ----

/// `{"traceparent": "00-<trace hex>-<span hex>-01"}` for the current span (empty, with a
/// warning, when there is none): Python's get_tracing_context_headers_for_http_request.
std::map<std::string, std::string> get_tracing_context_headers_for_http_request();

/// While alive, spans started on this thread continue the remote trace named by the
/// `traceparent` header (Python's set_tracing_context_from_http_request_headers). Their spans
/// are exported as they end; the caller's process records the trace's root.
class TracingContextScope {
 public:
  TracingContextScope(TracingContextScope&& other) noexcept;
  TracingContextScope& operator=(TracingContextScope&&) = delete;
  TracingContextScope(const TracingContextScope&) = delete;
  TracingContextScope& operator=(const TracingContextScope&) = delete;
  ~TracingContextScope();

 private:
  explicit TracingContextScope(LiveSpan remote) noexcept;
  /// The placeholder span standing for the remote caller.
  LiveSpan remote_;
  friend TracingContextScope set_tracing_context_from_http_request_headers(
      const std::map<std::string, std::string>& headers);
};

/// The header is `traceparent` or `Traceparent`, as Python reads it (other spellings are refused
/// as missing). Throws InvalidArgument when there is none (Python's message) or it is malformed.
TracingContextScope set_tracing_context_from_http_request_headers(
    const std::map<std::string, std::string>& headers);

namespace tracing {
/// Python's mlflow.tracing.enable() / disable(): off, start_span hands out inert spans.
void enable();
void disable();
bool is_enabled();
/// Python's mlflow.tracing.set_destination(MlflowExperiment(experiment_id)); std::nullopt
/// clears it.
void set_destination(std::optional<std::string> experiment_id);
}  // namespace tracing

}  // namespace mlflow
