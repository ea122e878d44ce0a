// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// LiveSpan / ActiveSpan: the public handles of a span being recorded (Python's LiveSpan).

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>

#include "core/log.hpp"
#include "mlflow/tracing.hpp"
#include "tracing/provider.hpp"
#include "tracing/span_state.hpp"

namespace mlflow {

LiveSpan LiveSpan::Access::make_live(std::shared_ptr<State> state) {
  return LiveSpan(std::move(state));
}

ActiveSpan LiveSpan::Access::make_active(std::shared_ptr<State> state, bool pushed) {
  return ActiveSpan(std::move(state), pushed);
}

ActiveSpan LiveSpan::Access::make_sampled_out() {
  ActiveSpan span;
  span.sampled_out_ = true;
  internal::tracing::enter_sampled_out();
  return span;
}

const std::shared_ptr<LiveSpan::State>& LiveSpan::Access::state(const LiveSpan& span) {
  return span.state_;
}

namespace internal::tracing {

std::string exception_type_name(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

namespace {

// Runs `fn` on the span's data under its lock, unless the span has ended (Python's OTel span
// ignores changes after end too).
template <typename Fn>
void mutate(const std::shared_ptr<LiveSpanState>& state, Fn&& fn) {
  if (!state) return;
  std::lock_guard<std::mutex> lock(state->mutex);
  if (state->ended || state->is_remote_placeholder) return;
  fn(state->data);
}

void add_exception_event(SpanData& data, const std::string& type, const std::string& message) {
  SpanEvent event;
  event.name = "exception";
  event.timestamp = now_ns();
  event.attributes = {{"exception.message", message},
                      {"exception.type", type},
                      {"exception.stacktrace", type + ": " + message}};
  data.events.push_back(std::move(event));
  // Python raises the span's level to ERROR on an exception event (keeping CRITICAL).
  const JsonValue* level = data.get_attribute(SpanAttributeKey::kLogLevel);
  if (level == nullptr || !level->is_number() || level->as_double() < 40) {
    data.attributes.set(SpanAttributeKey::kLogLevel, 40);
  }
  data.status = SpanStatus{SpanStatusCode::kError, type + ": " + message};
}

}  // namespace

}  // namespace internal::tracing

using internal::tracing::mutate;

std::string LiveSpan::trace_id() const { return state_ ? state_->data.trace_id : std::string(); }
std::string LiveSpan::span_id() const { return state_ ? state_->data.span_id : std::string(); }
std::optional<std::string> LiveSpan::parent_id() const {
  return state_ ? state_->data.parent_id : std::nullopt;
}
std::string LiveSpan::name() const { return state_ ? state_->data.name : std::string(); }

void LiveSpan::set_inputs(JsonValue inputs) {
  mutate(state_,
         [&](SpanData& d) { d.attributes.set(SpanAttributeKey::kInputs, std::move(inputs)); });
}

void LiveSpan::set_outputs(JsonValue outputs) {
  mutate(state_,
         [&](SpanData& d) { d.attributes.set(SpanAttributeKey::kOutputs, std::move(outputs)); });
}

void LiveSpan::set_attribute(const std::string& key, JsonValue value) {
  mutate(state_, [&](SpanData& d) { d.attributes.set(key, std::move(value)); });
}

void LiveSpan::set_attributes(const JsonValue& attributes) {
  if (!attributes.is_object()) {
    if (state_) {
      internal::log(LogLevel::kWarning,
                    "mlflow tracing: span attributes must be a JSON object; skipping.");
    }
    return;
  }
  mutate(state_, [&](SpanData& d) {
    for (const auto& [key, value] : attributes.as_object()) d.attributes.set(key, value);
  });
}

void LiveSpan::set_span_type(const std::string& span_type) {
  set_attribute(SpanAttributeKey::kSpanType, span_type);
}

void LiveSpan::set_status(SpanStatusCode code, const std::string& description) {
  mutate(state_, [&](SpanData& d) { d.status = SpanStatus{code, description}; });
}

void LiveSpan::set_status(const std::string& code) {
  try {
    set_status(span_status_code_from_string(code));
  } catch (const std::exception& e) {
    if (state_) internal::log(LogLevel::kWarning, std::string("mlflow tracing: ") + e.what());
  }
}

void LiveSpan::add_event(SpanEvent event) {
  mutate(state_, [&](SpanData& d) {
    if (event.timestamp == 0) event.timestamp = internal::tracing::now_ns();
    if (event.name == "exception") {
      const JsonValue* level = d.get_attribute(SpanAttributeKey::kLogLevel);
      if (level == nullptr || !level->is_number() || level->as_double() < 40) {
        d.attributes.set(SpanAttributeKey::kLogLevel, 40);
      }
    }
    d.events.push_back(std::move(event));
  });
}

void LiveSpan::record_exception(const std::exception& error) {
  const std::string type = internal::tracing::exception_type_name(error);
  mutate(state_,
         [&](SpanData& d) { internal::tracing::add_exception_event(d, type, error.what()); });
}

void LiveSpan::record_exception(const std::exception_ptr& error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    record_exception(e);
  } catch (...) {
    mutate(state_, [](SpanData& d) {
      internal::tracing::add_exception_event(d, "unknown",
                                             "an exception that is not a std::exception");
    });
  }
}

void LiveSpan::record_exception(const std::string& message) {
  // Python wraps a string in Exception(message).
  mutate(state_,
         [&](SpanData& d) { internal::tracing::add_exception_event(d, "Exception", message); });
}

void LiveSpan::set_token_usage(const TokenUsage& usage) {
  JsonValue value = {
      {"input_tokens", usage.input_tokens},
      {"output_tokens", usage.output_tokens},
      {"total_tokens", usage.total_tokens.value_or(usage.input_tokens + usage.output_tokens)}};
  if (usage.cache_read_input_tokens)
    value.set("cache_read_input_tokens", *usage.cache_read_input_tokens);
  if (usage.cache_creation_input_tokens) {
    value.set("cache_creation_input_tokens", *usage.cache_creation_input_tokens);
  }
  set_attribute(SpanAttributeKey::kChatUsage, std::move(value));
}

void LiveSpan::set_cost(const LlmCost& cost) {
  set_attribute(
      SpanAttributeKey::kLlmCost,
      JsonValue{{"input_cost", cost.input_cost},
                {"output_cost", cost.output_cost},
                {"total_cost", cost.total_cost.value_or(cost.input_cost + cost.output_cost)}});
}

void LiveSpan::set_model(const std::string& model, const std::string& provider) {
  mutate(state_, [&](SpanData& d) {
    d.attributes.set(SpanAttributeKey::kModel, model);
    if (!provider.empty()) d.attributes.set(SpanAttributeKey::kModelProvider, provider);
  });
}

namespace {
JsonValue read_attribute(const std::shared_ptr<internal::tracing::LiveSpanState>& state,
                         const char* key) {
  if (!state) return JsonValue();
  std::lock_guard<std::mutex> lock(state->mutex);
  const SpanData& data = state->finished ? *state->finished : state->data;
  const JsonValue* v = data.get_attribute(key);
  return v != nullptr ? *v : JsonValue();
}
}  // namespace

JsonValue LiveSpan::inputs() const { return read_attribute(state_, SpanAttributeKey::kInputs); }
JsonValue LiveSpan::outputs() const { return read_attribute(state_, SpanAttributeKey::kOutputs); }
JsonValue LiveSpan::get_attribute(const std::string& key) const {
  return read_attribute(state_, key.c_str());
}

void LiveSpan::end(const EndSpanOptions& options) { internal::tracing::end(state_, &options); }

// ---- ActiveSpan ----

ActiveSpan::ActiveSpan(std::shared_ptr<State> state, bool pushed) noexcept
    : LiveSpan(std::move(state)), uncaught_at_start_(std::uncaught_exceptions()), pushed_(pushed) {}

ActiveSpan::~ActiveSpan() { finish(nullptr); }

ActiveSpan::ActiveSpan(ActiveSpan&& other) noexcept
    : LiveSpan(std::move(other.state_)),
      uncaught_at_start_(other.uncaught_at_start_),
      pushed_(other.pushed_),
      sampled_out_(other.sampled_out_) {
  other.state_.reset();
  other.pushed_ = false;
  other.sampled_out_ = false;
}

ActiveSpan& ActiveSpan::operator=(ActiveSpan&& other) noexcept {
  if (this != &other) {
    finish(nullptr);
    state_ = std::move(other.state_);
    uncaught_at_start_ = other.uncaught_at_start_;
    pushed_ = other.pushed_;
    sampled_out_ = other.sampled_out_;
    other.state_.reset();
    other.pushed_ = false;
    other.sampled_out_ = false;
  }
  return *this;
}

void ActiveSpan::end(const EndSpanOptions& options) { finish(&options); }

void ActiveSpan::finish(const EndSpanOptions* options) noexcept {
  if (sampled_out_) {
    internal::tracing::leave_sampled_out();
    sampled_out_ = false;
  }
  if (!state_) return;
  if (std::uncaught_exceptions() > uncaught_at_start_) {
    // Leaving the scope by an exception we cannot see: record that much (unless the span
    // already recorded the exception itself, e.g. through mlflow::trace).
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (!state_->ended && state_->data.status.status_code != SpanStatusCode::kError) {
      internal::tracing::add_exception_event(state_->data, "unknown",
                                             "the span's scope was left by an exception");
    }
  }
  internal::tracing::end(state_, options);
  if (pushed_) {
    internal::tracing::pop_context(state_.get());
    pushed_ = false;
  }
}

}  // namespace mlflow
