// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The small behaviour of the trace entities: enum names (as Python spells them), attribute
// accessors, and the Feedback / Expectation constructors with Python's defaults.

#include <algorithm>

#include "core/clock.hpp"
#include "core/enum_names.hpp"
#include "core/proto_enum_names.hpp"
#include "core/strings.hpp"
#include "mlflow/assessment.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/span_data.hpp"
#include "mlflow/trace.hpp"

namespace mlflow {
namespace {

constexpr internal::EnumName<SpanStatusCode> kSpanStatusNames[] = {
    {SpanStatusCode::kUnset, "UNSET"},
    {SpanStatusCode::kOk, "OK"},
    {SpanStatusCode::kError, "ERROR"},
};

constexpr internal::EnumName<TraceState> kTraceStateNames[] = {
    {TraceState::kOk, "OK"},
    {TraceState::kError, "ERROR"},
    {TraceState::kInProgress, "IN_PROGRESS"},
    {TraceState::kStateUnspecified, "STATE_UNSPECIFIED"},
};

constexpr internal::EnumName<AssessmentSourceType> kSourceTypeNames[] = {
    {AssessmentSourceType::kLlmJudge, "LLM_JUDGE"},
    {AssessmentSourceType::kHuman, "HUMAN"},
    {AssessmentSourceType::kCode, "CODE"},
    {AssessmentSourceType::kSourceTypeUnspecified, "SOURCE_TYPE_UNSPECIFIED"},
};

}  // namespace

std::string to_string(SpanStatusCode code) {
  return internal::name_in(kSpanStatusNames, code, "UNSET");
}

std::string internal::otel_status_code_name(SpanStatusCode code) {
  return "STATUS_CODE_" + to_string(code);
}

SpanStatusCode span_status_code_from_string(const std::string& text) {
  std::string name = text;
  if (name.rfind("STATUS_CODE_", 0) == 0) name = name.substr(12);
  if (const auto code = internal::value_in(kSpanStatusNames, name)) return *code;
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "'" + text +
                            "' is not a valid SpanStatusCode; expected one of UNSET, OK, "
                            "ERROR.");
}

std::string SpanData::span_type() const {
  const JsonValue* v = get_attribute(SpanAttributeKey::kSpanType);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

JsonValue SpanData::inputs() const {
  const JsonValue* v = get_attribute(SpanAttributeKey::kInputs);
  return v != nullptr ? *v : JsonValue();
}

JsonValue SpanData::outputs() const {
  const JsonValue* v = get_attribute(SpanAttributeKey::kOutputs);
  return v != nullptr ? *v : JsonValue();
}

std::string to_string(TraceState state) {
  return internal::name_in(kTraceStateNames, state, "STATE_UNSPECIFIED");
}

TraceState trace_state_from_string(const std::string& text) {
  if (const auto state = internal::value_in(kTraceStateNames, text)) return *state;
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "'" + text +
                            "' is not a valid TraceState; expected one of "
                            "STATE_UNSPECIFIED, OK, ERROR, IN_PROGRESS.");
}

namespace {
JsonValue parsed_metadata(const std::map<std::string, std::string>& metadata, const char* key) {
  const auto it = metadata.find(key);
  if (it == metadata.end() || it->second.empty()) return JsonValue();
  return JsonValue::parse(it->second);
}
}  // namespace

JsonValue TraceInfo::token_usage() const {
  return parsed_metadata(trace_metadata, TraceMetadataKey::kTokenUsage);
}

JsonValue TraceInfo::cost() const {
  return parsed_metadata(trace_metadata, TraceMetadataKey::kCost);
}

const SpanData* TraceData::root_span() const noexcept {
  for (const auto& span : spans) {
    if (!span.parent_id) return &span;
  }
  return nullptr;
}

std::vector<const SpanData*> Trace::search_spans(const std::string& name) const {
  std::vector<const SpanData*> found;
  for (const auto& span : data.spans) {
    if (span.name == name) found.push_back(&span);
  }
  return found;
}

std::string to_string(AssessmentSourceType type) {
  return internal::name_in(kSourceTypeNames, type, "SOURCE_TYPE_UNSPECIFIED");
}

AssessmentSourceType assessment_source_type_from_string(const std::string& text) {
  const std::string upper = internal::to_upper(text);
  if (upper == "AI_JUDGE") return AssessmentSourceType::kLlmJudge;  // Python's older name.
  if (const auto type = internal::value_in(kSourceTypeNames, upper)) return *type;
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid assessment source type: " + upper +
                            ". Valid source types: ['SOURCE_TYPE_UNSPECIFIED', 'LLM_JUDGE', "
                            "'HUMAN', 'CODE']");
}

namespace {
void stamp_now(Assessment& a) {
  a.create_time_ms = internal::now_millis();
  a.last_update_time_ms = a.create_time_ms;
}
}  // namespace

Feedback::Feedback(JsonValue value, std::string name) {
  this->name = std::move(name);
  kind = AssessmentKind::kFeedback;
  source = AssessmentSource{AssessmentSourceType::kCode, std::string("default")};
  this->value = std::move(value);
  valid = true;
  stamp_now(*this);
}

Feedback::Feedback(AssessmentError error, std::string name)
    : Feedback(JsonValue(), std::move(name)) {
  this->error = std::move(error);
}

Expectation::Expectation(std::string name, JsonValue value) {
  if (value.is_null()) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "The `value` field must be specified.");
  }
  this->name = std::move(name);
  kind = AssessmentKind::kExpectation;
  source = AssessmentSource{AssessmentSourceType::kHuman, std::string("default")};
  this->value = std::move(value);
  stamp_now(*this);
}

}  // namespace mlflow
