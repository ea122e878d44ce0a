// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/span_content.hpp"

#include <cctype>
#include <optional>

#include "core/base64.hpp"
#include "core/proto_enum_names.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {
namespace {

constexpr const char* kHex = "0123456789abcdef";

bool all_hex(const std::string& s) {
  for (const char c : s) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  const auto nibble = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0' : (c | 0x20) - 'a' + 10;
  };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  }
  return out;
}

std::string bytes_to_hex(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 0xF];
  }
  return out;
}

// An id of `digits` hex digits from the content: base64 of its bytes, or (MLflow 3.5) the hex.
std::string id_from_content(const JsonValue& v, std::size_t digits) {
  const std::string& text = v.as_string();
  if (text.size() == digits && all_hex(text)) return to_lower(text);
  if (text.rfind("tr-", 0) == 0 && text.size() == digits + 3) return to_lower(text.substr(3));
  const std::optional<std::string> bytes = python_b64decode(text);
  if (!bytes || bytes->size() * 2 != digits) {
    throw_error(ErrorCode::kInternalError, "Stored span id '" + text + "' cannot be decoded.");
  }
  return bytes_to_hex(*bytes);
}

JsonValue::DumpOptions unescaped() {
  JsonValue::DumpOptions o;
  o.ensure_ascii = false;
  return o;
}

}  // namespace

std::string normalized_trace_id(const std::string& trace_id) {
  if (trace_id.size() != 35 || trace_id.rfind("tr-", 0) != 0 || !all_hex(trace_id.substr(3))) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid trace id '" + trace_id +
                    "': MLflow trace ids are 'tr-' followed by the 32 hex digits of the "
                    "OpenTelemetry trace id.");
  }
  return "tr-" + to_lower(trace_id.substr(3));
}

std::string normalized_span_id(const std::string& span_id, const char* what) {
  if (span_id.size() != 16 || !all_hex(span_id)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                std::string("Invalid ") + what + " '" + span_id +
                    "': span ids are the 16 hex digits of the OpenTelemetry span id.");
  }
  return to_lower(span_id);
}

SpanData span_for_storage(const SpanData& span) {
  SpanData out = span;
  out.trace_id = normalized_trace_id(span.trace_id);
  out.span_id = normalized_span_id(span.span_id, "span id");
  if (span.parent_id && !span.parent_id->empty()) {
    out.parent_id = normalized_span_id(*span.parent_id, "parent span id");
  } else {
    out.parent_id = std::nullopt;
  }
  if (!out.attributes.is_object()) out.attributes = JsonValue::object();
  out.attributes.set(SpanAttributeKey::kRequestId, out.trace_id);
  return out;
}

std::string span_content(const SpanData& span) {
  JsonValue events = JsonValue::array();
  for (const auto& e : span.events) {
    events.push_back(JsonValue::object(
        {{"name", e.name},
         {"time_unix_nano", e.timestamp},
         {"attributes", e.attributes.is_object() ? e.attributes : JsonValue::object()}}));
  }
  // OpenTelemetry keeps a status description for errors only.
  const std::string message =
      span.status.status_code == SpanStatusCode::kError ? span.status.description : "";
  JsonValue attributes = JsonValue::object();
  for (const auto& [key, value] : span.attributes.as_object()) {
    attributes.set(key, value.dump(unescaped()));
  }
  const JsonValue dict = JsonValue::object({
      {"trace_id", base64_encode(hex_to_bytes(span.trace_id.substr(3)))},
      {"span_id", base64_encode(hex_to_bytes(span.span_id))},
      {"parent_span_id",
       span.parent_id ? JsonValue(base64_encode(hex_to_bytes(*span.parent_id))) : JsonValue()},
      {"name", span.name},
      {"kind", "SPAN_KIND_INTERNAL"},
      {"start_time_unix_nano", span.start_time_ns},
      {"end_time_unix_nano", span.end_time_ns ? JsonValue(*span.end_time_ns) : JsonValue()},
      {"events", events},
      {"status",
       JsonValue::object({{"code", internal::otel_status_code_name(span.status.status_code)},
                          {"message", message}})},
      {"attributes", attributes},
      {"links", JsonValue::array()},
  });
  return dict.dump(unescaped());
}

SpanData span_from_content(const std::string& content, const std::string& trace_id) {
  try {
    const JsonValue d = JsonValue::parse(content);
    SpanData s;
    s.span_id = id_from_content(d.at("span_id"), 16);
    const JsonValue* parent = d.find("parent_span_id");
    if (parent != nullptr && parent->is_string() && !parent->as_string().empty()) {
      s.parent_id = id_from_content(*parent, 16);
    }
    const JsonValue* name = d.find("name");
    s.name = name != nullptr && name->is_string() ? name->as_string() : "";
    s.start_time_ns = d.at("start_time_unix_nano").as_int();
    const JsonValue* end = d.find("end_time_unix_nano");
    if (end != nullptr && end->is_number() && end->as_int() != 0) s.end_time_ns = end->as_int();
    const JsonValue& status = d.at("status");
    s.status.status_code = span_status_code_from_string(status.at("code").as_string());
    const JsonValue* message = status.find("message");
    if (message != nullptr && message->is_string()) s.status.description = message->as_string();
    if (const JsonValue* events = d.find("events"); events != nullptr && events->is_array()) {
      for (const auto& e : events->as_array()) {
        SpanEvent event;
        event.name = e.at("name").as_string();
        event.timestamp = e.at("time_unix_nano").as_int();
        const JsonValue* attributes = e.find("attributes");
        if (attributes != nullptr && attributes->is_object()) event.attributes = *attributes;
        s.events.push_back(std::move(event));
      }
    }
    if (const JsonValue* attributes = d.find("attributes");
        attributes != nullptr && attributes->is_object()) {
      for (const auto& [key, raw] : attributes->as_object()) {
        if (!raw.is_string()) {
          s.attributes.set(key, raw);
          continue;
        }
        try {
          s.attributes.set(key, JsonValue::parse(raw.as_string()));
        } catch (const std::exception&) {
          s.attributes.set(key, raw);  // Python's Span.get_attribute falls back to the text
        }
      }
    }
    const JsonValue* request_id = s.attributes.find(SpanAttributeKey::kRequestId);
    s.trace_id =
        request_id != nullptr && request_id->is_string() ? request_id->as_string() : trace_id;
    return s;
  } catch (const std::exception& e) {
    throw_error(ErrorCode::kInternalError,
                "A stored span of trace '" + trace_id + "' cannot be read: " + e.what());
  }
}

}  // namespace mlflow::internal::sqlite
