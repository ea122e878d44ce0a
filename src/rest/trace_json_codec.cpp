// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/trace_json_codec.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/base64.hpp"
#include "core/proto_enum_names.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"

namespace mlflow::internal::trace_json {
namespace {

constexpr std::size_t kMaxMetadataChars = 250;
constexpr std::size_t kMaxTagKeyChars = 250;
constexpr std::size_t kMaxTagValueChars = 4096;

[[noreturn]] void bad_field(const std::string& field, const std::string& why) {
  throw MlflowException(
      ErrorCode::kUnparseableHttpError,
      "Unexpected trace JSON from the server: field '" + field + "' " + why + ".");
}

std::string string_field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  return json_codec::decode_string(*it, key);
}

std::optional<std::string> optional_string(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return json_codec::decode_string(*it, key);
}

std::map<std::string, std::string> string_map(const Json& j, const char* key) {
  std::map<std::string, std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_object()) bad_field(key, "is not an object");
  for (const auto& [k, v] : it->items()) out[k] = json_codec::decode_string(v, key);
  return out;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string id_of_bytes_field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  const std::string text = json_codec::decode_string(*it, key);
  if (text.empty()) return {};
  const auto bytes = python_b64decode(text);
  if (!bytes) bad_field(key, "is not base64");
  return hex_of(*bytes);
}

// ---- OTel AnyValue (protobuf JSON rendering) ----

JsonValue decode_any_value(const Json& v) {
  if (!v.is_object() || v.empty()) return JsonValue();
  if (auto it = v.find("string_value"); it != v.end()) return JsonValue(it->get<std::string>());
  if (auto it = v.find("bool_value"); it != v.end()) return JsonValue(it->get<bool>());
  if (auto it = v.find("int_value"); it != v.end()) {
    return JsonValue(json_codec::decode_int64(*it, "int_value"));
  }
  if (auto it = v.find("double_value"); it != v.end()) {
    return JsonValue(json_codec::decode_double(*it, "double_value"));
  }
  if (auto it = v.find("array_value"); it != v.end()) {
    JsonValue::Array items;
    for (const auto& item : json_codec::array_field(*it, "values")) {
      items.push_back(decode_any_value(item));
    }
    return JsonValue(std::move(items));
  }
  if (auto it = v.find("kvlist_value"); it != v.end()) {
    JsonValue obj = JsonValue::object();
    for (const auto& kv : json_codec::array_field(*it, "values")) {
      obj.set(string_field(kv, "key"), decode_any_value(kv.value("value", Json::object())));
    }
    return obj;
  }
  if (auto it = v.find("bytes_value"); it != v.end()) {
    // Python hands bytes values back as bytes; JSON has none, so they stay base64 text.
    return JsonValue(it->get<std::string>());
  }
  return JsonValue();
}

JsonValue decode_key_values(const Json& j, const char* key) {
  JsonValue obj = JsonValue::object();
  for (const auto& kv : json_codec::array_field(j, key)) {
    obj.set(string_field(kv, "key"), decode_any_value(kv.value("value", Json::object())));
  }
  return obj;
}

SpanStatus decode_status(const Json& j) {
  SpanStatus status;
  const auto it = j.find("status");
  if (it == j.end() || !it->is_object()) return status;
  const auto code = it->find("code");
  if (code != it->end() && code->is_string()) {
    status.status_code = span_status_code_from_string(code->get<std::string>());
  } else if (code != it->end() && code->is_number_integer()) {
    const int n = code->get<int>();
    status.status_code = n == 1   ? SpanStatusCode::kOk
                         : n == 2 ? SpanStatusCode::kError
                                  : SpanStatusCode::kUnset;
  }
  status.description = string_field(*it, "message");
  return status;
}

std::string mlflow_trace_id_of_hex(const std::string& hex) { return "tr-" + hex; }

}  // namespace

// ---- values ----

Json to_json(const JsonValue& value) {
  switch (value.type()) {
    case JsonValue::Type::kNull:
      return nullptr;
    case JsonValue::Type::kBool:
      return value.as_bool();
    case JsonValue::Type::kInt:
      return value.as_int();
    case JsonValue::Type::kDouble:
      return json_codec::encode_double(value.as_double());
    case JsonValue::Type::kString:
      return value.as_string();
    case JsonValue::Type::kArray: {
      Json out = Json::array();
      for (const auto& item : value.as_array()) out.push_back(to_json(item));
      return out;
    }
    case JsonValue::Type::kObject: {
      Json out = Json::object();
      for (const auto& [key, item] : value.as_object()) out[key] = to_json(item);
      return out;
    }
  }
  return nullptr;
}

namespace {

// How numbers are read: as sent, or as doubles (google.protobuf.Value holds every number as a
// double: Python reads a feedback of 5 back as 5.0).
enum class Numbers { kAsSent, kAsDoubles };

JsonValue convert(const Json& value, Numbers numbers) {
  if (numbers == Numbers::kAsDoubles && value.is_number()) return JsonValue(value.get<double>());
  switch (value.type()) {
    case Json::value_t::boolean:
      return JsonValue(value.get<bool>());
    case Json::value_t::number_integer:
      return JsonValue(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return JsonValue(value.get<std::uint64_t>());
    case Json::value_t::number_float:
      return JsonValue(value.get<double>());
    case Json::value_t::string:
      return JsonValue(value.get<std::string>());
    case Json::value_t::array: {
      JsonValue::Array items;
      items.reserve(value.size());
      for (const auto& item : value) items.push_back(convert(item, numbers));
      return JsonValue(std::move(items));
    }
    case Json::value_t::object: {
      JsonValue obj = JsonValue::object();
      for (const auto& [key, item] : value.items()) obj.set(key, convert(item, numbers));
      return obj;
    }
    default:
      return JsonValue();
  }
}

}  // namespace

JsonValue from_json(const Json& value) { return convert(value, Numbers::kAsSent); }

// ---- well-known types ----

std::string format_timestamp(std::int64_t millis) {
  const std::int64_t secs = floor_div(millis, 1000);
  const auto ms = static_cast<int>(millis - secs * 1000);
  const std::int64_t days = floor_div(secs, 86400);
  const auto sod = static_cast<int>(secs - days * 86400);
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y), m, d,
                sod / 3600, sod / 60 % 60, sod % 60);
  std::string out = buf;
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", ms);
    out += buf;
  }
  return out + "Z";
}

std::int64_t parse_timestamp(const std::string& text, const char* field) {
  int y = 0;
  unsigned mo = 0;
  unsigned d = 0;
  int h = 0;
  int mi = 0;
  int s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
          6 ||
      mo < 1 || mo > 12 || d < 1 || d > 31) {
    bad_field(field, "is not an RFC 3339 timestamp ('" + text + "')");
  }
  std::size_t pos = static_cast<std::size_t>(consumed);
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0;
    int om = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) {
      bad_field(field, "has a bad UTC offset ('" + text + "')");
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
  }
  const std::int64_t days = days_from_civil(y, mo, d);
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_seconds;
  return secs * 1000 + millis;
}

std::string format_duration(std::int64_t millis) {
  const bool negative = millis < 0;
  const std::int64_t abs_ms = negative ? -millis : millis;
  std::string out = (negative ? "-" : "") + std::to_string(abs_ms / 1000);
  if (abs_ms % 1000 != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(abs_ms % 1000));
    out += buf;
  }
  return out + "s";
}

std::int64_t parse_duration(const std::string& text, const char* field) {
  if (text.empty() || text.back() != 's') bad_field(field, "is not a duration ('" + text + "')");
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() - 1) {
    bad_field(field, "is not a duration ('" + text + "')");
  }
  return static_cast<std::int64_t>(std::floor(seconds * 1000.0 + 1e-6));
}

// ---- ids ----

std::string hex_of(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

namespace {
std::string bytes_of_hex(const std::string& hex, std::size_t want, const std::string& what) {
  if (hex.size() != want * 2) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        "'" + what + "' is not a valid id: expected " + std::to_string(want * 2) + " hex digits.");
  }
  std::string out(want, '\0');
  for (std::size_t i = 0; i < want; ++i) {
    const auto nibble = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "'" + what + "' is not a valid id: it has a non-hex character.");
    };
    out[i] = static_cast<char>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
  }
  return out;
}
}  // namespace

std::string trace_id_bytes(const std::string& trace_id) {
  const std::string hex = trace_id.rfind("tr-", 0) == 0 ? trace_id.substr(3) : trace_id;
  return bytes_of_hex(hex, 16, trace_id);
}

std::string span_id_bytes(const std::string& span_id) { return bytes_of_hex(span_id, 8, span_id); }

// ---- trace info ----

Json encode_trace_info(const TraceInfo& info) {
  Json j = Json::object();
  j["trace_id"] = info.trace_id;
  if (info.client_request_id) j["client_request_id"] = *info.client_request_id;
  j["trace_location"] = {{"type", info.trace_location.type},
                         {"mlflow_experiment", {{"experiment_id", info.experiment_id()}}}};
  if (info.request_preview) j["request_preview"] = *info.request_preview;
  if (info.response_preview) j["response_preview"] = *info.response_preview;
  j["request_time"] = format_timestamp(info.request_time);
  if (info.execution_duration) j["execution_duration"] = format_duration(*info.execution_duration);
  j["state"] = to_string(info.state);
  Json metadata = Json::object();
  for (const auto& [k, v] : info.trace_metadata) {
    metadata[utf8::truncate(k, kMaxMetadataChars)] = utf8::truncate(v, kMaxMetadataChars);
  }
  j["trace_metadata"] = std::move(metadata);
  Json tags = Json::object();
  for (const auto& [k, v] : info.tags) {
    tags[utf8::truncate(k, kMaxTagKeyChars)] = utf8::truncate(v, kMaxTagValueChars);
  }
  j["tags"] = std::move(tags);
  if (!info.assessments.empty()) {
    Json list = Json::array();
    for (const auto& a : info.assessments) list.push_back(encode_assessment(a));
    j["assessments"] = std::move(list);
  }
  return j;
}

TraceInfo decode_trace_info(const Json& j) {
  if (!j.is_object()) bad_field("trace_info", "is not an object");
  TraceInfo info;
  info.trace_id = string_field(j, "trace_id");
  if (info.trace_id.empty()) info.trace_id = string_field(j, "request_id");
  info.client_request_id = optional_string(j, "client_request_id");
  if (const auto loc = j.find("trace_location"); loc != j.end() && loc->is_object()) {
    if (auto t = optional_string(*loc, "type")) info.trace_location.type = *t;
    if (const auto exp = loc->find("mlflow_experiment"); exp != loc->end() && exp->is_object()) {
      info.trace_location.experiment_id = string_field(*exp, "experiment_id");
    }
  }
  info.request_preview = optional_string(j, "request_preview");
  info.response_preview = optional_string(j, "response_preview");
  if (auto t = optional_string(j, "request_time"))
    info.request_time = parse_timestamp(*t, "request_time");
  if (auto d = optional_string(j, "execution_duration")) {
    info.execution_duration = parse_duration(*d, "execution_duration");
  }
  if (const auto s = j.find("state"); s != j.end() && s->is_string()) {
    info.state = trace_state_from_string(s->get<std::string>());
  }
  info.trace_metadata = string_map(j, "trace_metadata");
  info.tags = string_map(j, "tags");
  for (const auto& a : json_codec::array_field(j, "assessments")) {
    info.assessments.push_back(decode_assessment(a));
  }
  return info;
}

// ---- assessments ----

Json encode_assessment(const Assessment& a) {
  Json j = Json::object();
  if (a.assessment_id) j["assessment_id"] = *a.assessment_id;
  j["assessment_name"] = a.name;
  j["trace_id"] = a.trace_id;
  if (a.span_id) j["span_id"] = *a.span_id;
  Json source = {{"source_type", to_string(a.source.source_type)}};
  if (a.source.source_id) source["source_id"] = *a.source.source_id;
  j["source"] = std::move(source);
  j["create_time"] = format_timestamp(a.create_time_ms);
  j["last_update_time"] = format_timestamp(a.last_update_time_ms);
  switch (a.kind) {
    case AssessmentKind::kFeedback: {
      Json feedback = {{"value", to_json(a.value)}};
      if (a.error) {
        Json error = {{"error_code", a.error->error_code}};
        if (a.error->error_message) error["error_message"] = *a.error->error_message;
        if (a.error->stack_trace) error["stack_trace"] = *a.error->stack_trace;
        feedback["error"] = std::move(error);
      }
      j["feedback"] = std::move(feedback);
      break;
    }
    case AssessmentKind::kExpectation:
      if (a.value.is_number() || a.value.is_string() || a.value.is_bool()) {
        j["expectation"] = {{"value", to_json(a.value)}};
      } else {
        j["expectation"] = {{"serialized_value",
                             {{"serialization_format", "JSON_FORMAT"}, {"value", a.value.dump()}}}};
      }
      break;
    case AssessmentKind::kIssue:
      j["issue"] = {{"issue_name", a.issue_name.value_or("")}};
      break;
  }
  if (a.rationale) j["rationale"] = *a.rationale;
  if (!a.metadata.empty()) {
    Json metadata = Json::object();
    for (const auto& [k, v] : a.metadata) metadata[k] = v;
    j["metadata"] = std::move(metadata);
  }
  if (a.overrides) j["overrides"] = *a.overrides;
  if (a.valid) j["valid"] = *a.valid;
  return j;
}

namespace {
JsonValue from_protobuf_value(const Json& v) { return convert(v, Numbers::kAsDoubles); }
}  // namespace

Assessment decode_assessment(const Json& j) {
  if (!j.is_object()) bad_field("assessment", "is not an object");
  Assessment a;
  a.assessment_id = optional_string(j, "assessment_id");
  if (a.assessment_id && a.assessment_id->empty()) a.assessment_id.reset();
  a.name = string_field(j, "assessment_name");
  a.trace_id = string_field(j, "trace_id");
  a.span_id = optional_string(j, "span_id");
  if (a.span_id && a.span_id->empty()) a.span_id.reset();
  a.run_id = optional_string(j, "run_id");
  if (a.run_id && a.run_id->empty()) a.run_id.reset();
  if (const auto s = j.find("source"); s != j.end() && s->is_object()) {
    const std::string type = string_field(*s, "source_type");
    a.source.source_type = type.empty() ? AssessmentSourceType::kSourceTypeUnspecified
                                        : assessment_source_type_from_string(type);
    a.source.source_id = optional_string(*s, "source_id");
    if (a.source.source_id && a.source.source_id->empty()) a.source.source_id.reset();
  }
  if (auto t = optional_string(j, "create_time"))
    a.create_time_ms = parse_timestamp(*t, "create_time");
  if (auto t = optional_string(j, "last_update_time")) {
    a.last_update_time_ms = parse_timestamp(*t, "last_update_time");
  }
  a.rationale = optional_string(j, "rationale");
  if (a.rationale && a.rationale->empty()) a.rationale.reset();
  a.metadata = string_map(j, "metadata");
  a.overrides = optional_string(j, "overrides");
  if (a.overrides && a.overrides->empty()) a.overrides.reset();
  if (const auto v = j.find("valid"); v != j.end() && v->is_boolean()) a.valid = v->get<bool>();
  if (const auto f = j.find("feedback"); f != j.end() && f->is_object()) {
    a.kind = AssessmentKind::kFeedback;
    if (const auto v = f->find("value"); v != f->end()) a.value = from_protobuf_value(*v);
    if (const auto e = f->find("error"); e != f->end() && e->is_object()) {
      AssessmentError error;
      error.error_code = string_field(*e, "error_code");
      error.error_message = optional_string(*e, "error_message");
      error.stack_trace = optional_string(*e, "stack_trace");
      a.error = std::move(error);
    }
  } else if (const auto x = j.find("expectation"); x != j.end() && x->is_object()) {
    a.kind = AssessmentKind::kExpectation;
    // Python's Expectation.from_proto keeps no validity: what Python reads from a server is
    // None, though the server sends `valid` (its SQL store, read directly, says True).
    a.valid.reset();
    if (const auto sv = x->find("serialized_value"); sv != x->end() && sv->is_object()) {
      const std::string format = string_field(*sv, "serialization_format");
      if (format != "JSON_FORMAT") {
        throw InvalidArgument(
            ErrorCode::kInvalidParameterValue,
            "Unknown serialization format: " + format + ". Only JSON_FORMAT is supported.");
      }
      a.value = JsonValue::parse(string_field(*sv, "value"));
    } else if (const auto v = x->find("value"); v != x->end()) {
      a.value = from_protobuf_value(*v);
    }
  } else if (const auto i = j.find("issue"); i != j.end() && i->is_object()) {
    a.kind = AssessmentKind::kIssue;
    a.issue_name = string_field(*i, "issue_name");
  } else {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue, "Unknown assessment type: " + a.name);
  }
  return a;
}

// ---- spans ----

namespace {

// An integer field that may be absent or null.
std::optional<std::int64_t> optional_int64(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return json_codec::decode_int64(*it, key);
}

// The MLflow trace id of a decoded span: its request-id attribute when present (v3
// "tr-<hex>"), else made from the OTel trace id bytes.
std::string span_trace_id(const SpanData& span, const std::string& trace_hex) {
  const JsonValue* request_id = span.attributes.find(SpanAttributeKey::kRequestId);
  return request_id != nullptr && request_id->is_string() ? request_id->as_string()
                                                          : mlflow_trace_id_of_hex(trace_hex);
}

}  // namespace

SpanData decode_otel_span(const Json& j) {
  if (!j.is_object()) bad_field("span", "is not an object");
  SpanData span;
  const std::string trace_hex = id_of_bytes_field(j, "trace_id");
  span.span_id = id_of_bytes_field(j, "span_id");
  const std::string parent = id_of_bytes_field(j, "parent_span_id");
  if (!parent.empty()) span.parent_id = parent;
  span.name = string_field(j, "name");
  if (const auto start = optional_int64(j, "start_time_unix_nano")) span.start_time_ns = *start;
  if (const auto end = optional_int64(j, "end_time_unix_nano"); end && *end != 0) {
    span.end_time_ns = end;
  }
  span.status = decode_status(j);
  span.attributes = decode_key_values(j, "attributes");
  for (const auto& e : json_codec::array_field(j, "events")) {
    SpanEvent event;
    event.name = string_field(e, "name");
    if (const auto t = optional_int64(e, "time_unix_nano")) event.timestamp = *t;
    event.attributes = decode_key_values(e, "attributes");
    span.events.push_back(std::move(event));
  }
  span.trace_id = span_trace_id(span, trace_hex);
  return span;
}

Trace decode_trace(const Json& j) {
  Trace trace;
  if (const auto it = j.find("trace_info"); it != j.end()) trace.info = decode_trace_info(*it);
  for (const auto& s : json_codec::array_field(j, "spans")) {
    trace.data.spans.push_back(decode_otel_span(s));
  }
  return trace;
}

Json span_to_dict(const SpanData& span) {
  JsonValue::DumpOptions raw;
  raw.ensure_ascii = false;
  Json attributes = Json::object();
  for (const auto& [key, value] : span.attributes.as_object()) attributes[key] = value.dump(raw);
  Json events = Json::array();
  for (const auto& e : span.events) {
    events.push_back(
        {{"name", e.name}, {"time_unix_nano", e.timestamp}, {"attributes", to_json(e.attributes)}});
  }
  Json j = Json::object();
  j["trace_id"] = base64_encode(trace_id_bytes(span.trace_id));
  j["span_id"] = base64_encode(span_id_bytes(span.span_id));
  j["parent_span_id"] =
      span.parent_id ? Json(base64_encode(span_id_bytes(*span.parent_id))) : Json();
  j["name"] = span.name;
  j["kind"] = "SPAN_KIND_INTERNAL";
  j["start_time_unix_nano"] = span.start_time_ns;
  j["end_time_unix_nano"] = span.end_time_ns ? Json(*span.end_time_ns) : Json();
  j["events"] = std::move(events);
  j["status"] = {{"code", internal::otel_status_code_name(span.status.status_code)},
                 {"message", span.status.description}};
  j["attributes"] = std::move(attributes);
  j["links"] = Json::array();
  return j;
}

SpanData span_from_dict(const Json& j) {
  if (!j.is_object()) bad_field("span", "is not an object");
  SpanData span;
  span.span_id = id_of_bytes_field(j, "span_id");
  const std::string parent = id_of_bytes_field(j, "parent_span_id");
  if (!parent.empty()) span.parent_id = parent;
  const std::string trace_hex = id_of_bytes_field(j, "trace_id");
  span.name = string_field(j, "name");
  if (const auto start = optional_int64(j, "start_time_unix_nano")) span.start_time_ns = *start;
  span.end_time_ns = optional_int64(j, "end_time_unix_nano");
  span.status = decode_status(j);
  if (const auto attrs = j.find("attributes"); attrs != j.end() && attrs->is_object()) {
    for (const auto& [key, value] : attrs->items()) {
      // Values are JSON text; a value that is not (written by another producer) stays text.
      if (value.is_string()) {
        try {
          span.attributes.set(key, JsonValue::parse(value.get<std::string>()));
        } catch (const InvalidArgument&) {
          span.attributes.set(key, JsonValue(value.get<std::string>()));
        }
      } else {
        span.attributes.set(key, from_json(value));
      }
    }
  }
  for (const auto& e : json_codec::array_field(j, "events")) {
    SpanEvent event;
    event.name = string_field(e, "name");
    if (const auto t = optional_int64(e, "time_unix_nano")) event.timestamp = *t;
    if (const auto a = e.find("attributes"); a != e.end() && a->is_object()) {
      event.attributes = from_json(*a);
    }
    span.events.push_back(std::move(event));
  }
  span.trace_id = span_trace_id(span, trace_hex);
  return span;
}

}  // namespace mlflow::internal::trace_json
