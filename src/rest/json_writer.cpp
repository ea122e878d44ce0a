// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "mlflow/errors.hpp"

namespace mlflow::internal::json_writer {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  const auto continuation = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(i + 1) || !continuation(i + 2)) return 0;
    if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && byte(i + 1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    if (c == 0xF0 && byte(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && byte(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void append_string(std::string& out, const std::string& text, const char* field) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        throw_error(ErrorCode::kInvalidParameterValue,
                    std::string("The value of '") + field + "' is not valid UTF-8 (byte " +
                        std::to_string(i) +
                        "). MLflow stores text as UTF-8: convert the string before logging it.");
      }
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
