// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "prompts/python_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::pyjson {
namespace {

void append_u_escape(std::string& out, unsigned unit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

}  // namespace

void append_string(std::string& out, const std::string& text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const utf8::Decoded d = utf8::decode(text, i);
    if (d.length == 0) utf8::require_valid(text, "prompt text");  // throws
    i += d.length;
    const long cp = static_cast<long>(d.code_point);
    switch (cp) {
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
        if (cp >= 0x20 && cp <= 0x7E) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x10000) {
          append_u_escape(out, static_cast<unsigned>(cp));
        } else {
          const long v = cp - 0x10000;
          append_u_escape(out, static_cast<unsigned>(0xD800 + (v >> 10)));
          append_u_escape(out, static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
        }
    }
  }
  out.push_back('"');
}

std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, then Python's layout: fixed notation for decimal exponents in
  // [-4, 16), scientific otherwise, always with a '.0' or an exponent.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // e.g. "-1.2345e+02"
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const auto e_pos = sci.find('e');
  const int exponent = std::atoi(sci.c_str() + e_pos + 1);
  std::string digits;
  for (std::size_t k = 0; k < e_pos; ++k) {
    if (sci[k] != '.') digits.push_back(sci[k]);
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += ebuf;
  } else if (exponent < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else {
    const std::size_t int_len = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= int_len) {
      out += digits + std::string(int_len - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, int_len) + "." + digits.substr(int_len);
    }
  }
  return out;
}

namespace {

void dump_into(std::string& out, const nlohmann::ordered_json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      break;
    case nlohmann::json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::number_float: {
      const double d = v.get<double>();
      // json.dumps writes NaN/Infinity/-Infinity (allow_nan=True).
      if (std::isnan(d)) {
        out += "NaN";
      } else if (std::isinf(d)) {
        out += d > 0 ? "Infinity" : "-Infinity";
      } else {
        out += float_repr(d);
      }
      break;
    }
    case nlohmann::json::value_t::string:
      append_string(out, v.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        dump_into(out, item);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        append_string(out, it.key());
        out += ": ";
        dump_into(out, it.value());
      }
      out.push_back('}');
      break;
    }
    default:
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "Binary or discarded JSON values cannot be stored in a prompt.");
  }
}

}  // namespace

std::string dumps(const nlohmann::ordered_json& value) {
  std::string out;
  dump_into(out, value);
  return out;
}

nlohmann::ordered_json parse(const std::string& text, const char* what) {
  try {
    // allow_exceptions, and NaN/Infinity are not JSON for nlohmann: Python never writes them in
    // the tags this reads except in model configs, where a NaN temperature is refused anyway.
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        std::string(what) + " is not valid JSON (" + e.what() + "): " + text.substr(0, 200));
  }
}

}  // namespace mlflow::internal::pyjson
