// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::json_writer {
void append_string(std::string& out, const std::string& text, const char* field) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8::decode(text, i).length;
      if (n == 0) utf8::require_valid(text, field);  // throws, naming the field and offset
      out.append(text, i, n);
      i += n;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_double(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[32];
    // Shortest text that reads back as the same double: exact round trip on the server.
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, result.ptr);
  }
}

std::string log_batch_body(const std::string& run_id, Span<Metric> metrics, Span<Param> params,
                           Span<RunTag> tags) {
  std::string out;
  out.reserve(64 + metrics.size() * 96 + (params.size() + tags.size()) * 64);
  out += "{\"run_id\":";
  append_string(out, run_id, "run_id");
  if (!metrics.empty()) {
    out += ",\"metrics\":[";
    bool first = true;
    for (const Metric& m : metrics) {
      if (!first) out.push_back(',');
      first = false;
      out += "{\"key\":";
      append_string(out, m.key, "metrics.key");
      out += ",\"value\":";
      append_double(out, m.value);
      out += ",\"timestamp\":";
      append_int(out, m.timestamp);
      out += ",\"step\":";
      append_int(out, m.step);
      if (m.model_id) {
        out += ",\"model_id\":";
        append_string(out, *m.model_id, "metrics.model_id");
      }
      if (m.dataset_name) {
        out += ",\"dataset_name\":";
        append_string(out, *m.dataset_name, "metrics.dataset_name");
      }
      if (m.dataset_digest) {
        out += ",\"dataset_digest\":";
        append_string(out, *m.dataset_digest, "metrics.dataset_digest");
      }
      out.push_back('}');
    }
    out.push_back(']');
  }
  const auto key_values = [&out](const char* name, const auto& items) {
    if (items.empty()) return;
    out += ",\"";
    out += name;
    out += "\":[";
    bool first = true;
    for (const auto& item : items) {
      if (!first) out.push_back(',');
      first = false;
      out += "{\"key\":";
      append_string(out, item.key, "key");
      out += ",\"value\":";
      append_string(out, item.value, "value");
      out.push_back('}');
    }
    out.push_back(']');
  };
  key_values("params", params);
  key_values("tags", tags);
  out.push_back('}');
  return out;
}

}  // namespace mlflow::internal::json_writer
