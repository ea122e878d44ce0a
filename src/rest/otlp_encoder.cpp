// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/otlp_encoder.hpp"

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/utf8.hpp"
#include "rest/json_codec.hpp"
#include "rest/trace_json_codec.hpp"

namespace mlflow::internal::otlp {
namespace {

// ---- protobuf wire format ----
// Field numbers: opentelemetry/proto/{collector/trace,trace,common}/v1/*.proto.
enum WireType : unsigned { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2 };

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_tag(std::string& out, unsigned field, WireType type) {
  put_varint(out, (static_cast<std::uint64_t>(field) << 3) | type);
}

void put_bytes(std::string& out, unsigned field, const std::string& bytes) {
  put_tag(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out += bytes;
}

void put_string(std::string& out, unsigned field, const std::string& text) {
  put_bytes(out, field, utf8::replace_invalid(text));
}

void put_fixed64(std::string& out, unsigned field, std::uint64_t v) {
  put_tag(out, field, kFixed64);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_double(std::string& out, unsigned field, double d) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  put_fixed64(out, field, bits);
}

void put_varint_field(std::string& out, unsigned field, std::uint64_t v) {
  put_tag(out, field, kVarint);
  put_varint(out, v);
}

std::string any_value(const JsonValue& v);

// KeyValue { key = 1; value = 2 }
std::string key_value(const std::string& key, const JsonValue& value) {
  std::string kv;
  put_string(kv, 1, key);
  put_bytes(kv, 2, any_value(value));
  return kv;
}

// AnyValue { string_value = 1; bool_value = 2; int_value = 3; double_value = 4;
//            array_value = 5 (ArrayValue { values = 1 }); kvlist_value = 6
//            (KeyValueList { values = 1 }) }. null: no field (Python leaves it unset).
std::string any_value(const JsonValue& v) {
  std::string out;
  switch (v.type()) {
    case JsonValue::Type::kNull:
      break;
    case JsonValue::Type::kBool:
      put_varint_field(out, 2, v.as_bool() ? 1 : 0);
      break;
    case JsonValue::Type::kInt:
      put_varint_field(out, 3, static_cast<std::uint64_t>(v.as_int()));
      break;
    case JsonValue::Type::kDouble:
      put_double(out, 4, v.as_double());
      break;
    case JsonValue::Type::kString:
      put_string(out, 1, v.as_string());
      break;
    case JsonValue::Type::kArray: {
      std::string array;
      for (const auto& item : v.as_array()) put_bytes(array, 1, any_value(item));
      put_bytes(out, 5, array);
      break;
    }
    case JsonValue::Type::kObject: {
      std::string list;
      for (const auto& [key, item] : v.as_object()) put_bytes(list, 1, key_value(key, item));
      put_bytes(out, 6, list);
      break;
    }
  }
  return out;
}

// Span { trace_id = 1; span_id = 2; parent_span_id = 4; name = 5; kind = 6;
//        start_time_unix_nano = 7; end_time_unix_nano = 8; attributes = 9; events = 11;
//        status = 15 (Status { message = 2; code = 3 }) }
// Event { time_unix_nano = 1; name = 2; attributes = 3 }
void put_span(std::string& out, const SpanData& span) {
  std::string s;
  put_bytes(s, 1, trace_json::trace_id_bytes(span.trace_id));
  put_bytes(s, 2, trace_json::span_id_bytes(span.span_id));
  if (span.parent_id) put_bytes(s, 4, trace_json::span_id_bytes(*span.parent_id));
  put_string(s, 5, span.name);
  put_varint_field(s, 6, 1);  // SPAN_KIND_INTERNAL
  put_fixed64(s, 7, static_cast<std::uint64_t>(span.start_time_ns));
  if (span.end_time_ns) put_fixed64(s, 8, static_cast<std::uint64_t>(*span.end_time_ns));
  if (span.attributes.is_object()) {
    for (const auto& [key, value] : span.attributes.as_object()) {
      put_bytes(s, 9, key_value(key, value));
    }
  }
  for (const auto& event : span.events) {
    std::string e;
    put_fixed64(e, 1, static_cast<std::uint64_t>(event.timestamp));
    put_string(e, 2, event.name);
    if (event.attributes.is_object()) {
      for (const auto& [key, value] : event.attributes.as_object()) {
        put_bytes(e, 3, key_value(key, value));
      }
    }
    put_bytes(s, 11, e);
  }
  std::string status;
  if (!span.status.description.empty()) put_string(status, 2, span.status.description);
  const unsigned code = span.status.status_code == SpanStatusCode::kOk      ? 1
                        : span.status.status_code == SpanStatusCode::kError ? 2
                                                                            : 0;
  if (code != 0) put_varint_field(status, 3, code);
  put_bytes(s, 15, status);
  put_bytes(out, 2, s);  // ScopeSpans.spans = 2
}

// ---- OTLP JSON ----

using Json = nlohmann::json;

Json json_any_value(const JsonValue& v) {
  switch (v.type()) {
    case JsonValue::Type::kNull:
      return Json::object();
    case JsonValue::Type::kBool:
      return {{"boolValue", v.as_bool()}};
    case JsonValue::Type::kInt:
      return {{"intValue", std::to_string(v.as_int())}};
    case JsonValue::Type::kDouble:
      return {{"doubleValue", json_codec::encode_double(v.as_double())}};
    case JsonValue::Type::kString:
      return {{"stringValue", utf8::replace_invalid(v.as_string())}};
    case JsonValue::Type::kArray: {
      Json values = Json::array();
      for (const auto& item : v.as_array()) values.push_back(json_any_value(item));
      return {{"arrayValue", {{"values", std::move(values)}}}};
    }
    case JsonValue::Type::kObject: {
      Json values = Json::array();
      for (const auto& [key, item] : v.as_object()) {
        values.push_back({{"key", utf8::replace_invalid(key)}, {"value", json_any_value(item)}});
      }
      return {{"kvlistValue", {{"values", std::move(values)}}}};
    }
  }
  return Json::object();
}

Json json_attributes(const JsonValue& attributes) {
  Json out = Json::array();
  if (!attributes.is_object()) return out;
  for (const auto& [key, value] : attributes.as_object()) {
    out.push_back({{"key", utf8::replace_invalid(key)}, {"value", json_any_value(value)}});
  }
  return out;
}

}  // namespace

std::string encode_protobuf(const std::vector<SpanData>& spans, const JsonValue& resource) {
  std::string scope_spans;  // no InstrumentationScope, as Python sends it
  for (const auto& span : spans) put_span(scope_spans, span);
  std::string resource_message;  // Resource { attributes = 1 }
  if (resource.is_object()) {
    for (const auto& [key, value] : resource.as_object()) {
      put_bytes(resource_message, 1, key_value(key, value));
    }
  }
  std::string resource_spans;
  put_bytes(resource_spans, 1, resource_message);  // ResourceSpans.resource = 1
  put_bytes(resource_spans, 2, scope_spans);
  std::string request;
  put_bytes(request, 1, resource_spans);  // ExportTraceServiceRequest.resource_spans = 1
  return request;
}

std::string encode_json(const std::vector<SpanData>& spans, const JsonValue& resource) {
  Json list = Json::array();
  for (const auto& span : spans) {
    Json s = Json::object();
    s["traceId"] = trace_json::hex_of(trace_json::trace_id_bytes(span.trace_id));
    s["spanId"] = span.span_id;
    if (span.parent_id) s["parentSpanId"] = *span.parent_id;
    s["name"] = utf8::replace_invalid(span.name);
    s["kind"] = 1;
    s["startTimeUnixNano"] = std::to_string(span.start_time_ns);
    if (span.end_time_ns) s["endTimeUnixNano"] = std::to_string(*span.end_time_ns);
    s["attributes"] = json_attributes(span.attributes);
    Json events = Json::array();
    for (const auto& e : span.events) {
      events.push_back({{"timeUnixNano", std::to_string(e.timestamp)},
                        {"name", utf8::replace_invalid(e.name)},
                        {"attributes", json_attributes(e.attributes)}});
    }
    s["events"] = std::move(events);
    Json status = Json::object();
    if (span.status.status_code != SpanStatusCode::kUnset) {
      status["code"] = span.status.status_code == SpanStatusCode::kOk ? 1 : 2;
    }
    if (!span.status.description.empty()) {
      status["message"] = utf8::replace_invalid(span.status.description);
    }
    s["status"] = std::move(status);
    list.push_back(std::move(s));
  }
  Json request = {{"resourceSpans",
                   Json::array({{{"resource", {{"attributes", json_attributes(resource)}}},
                                 {"scopeSpans",
                                  Json::array({{{"scope", Json::object()}, {"spans", list}}})}}})}};
  return request.dump();
}

}  // namespace mlflow::internal::otlp
