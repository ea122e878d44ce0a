// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/utf8.hpp"

namespace mlflow::internal::json_text {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, unsigned unit) {
  const char escape[] = {'\\',
                         'u',
                         kHex[(unit >> 12) & 0xF],
                         kHex[(unit >> 8) & 0xF],
                         kHex[(unit >> 4) & 0xF],
                         kHex[unit & 0xF]};
  out.append(escape, sizeof escape);
}

}  // namespace

void append_string(std::string& out, std::string_view text, NonAscii non_ascii,
                   std::string_view field) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of characters that need no escape are copied in one go (the log-batch hot path).
    std::size_t run = i;
    while (run < text.size()) {
      const unsigned char c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F) break;
      ++run;
    }
    out.append(text, i, run - i);
    i = run;
    if (i == text.size()) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const utf8::Decoded cp = utf8::decode(text, i);
      if (cp.length == 0) utf8::require_valid(text, field);  // throws, naming field and offset
      if (non_ascii == NonAscii::kKeep) {
        out.append(text, i, cp.length);
      } else if (cp.code_point < 0x10000) {
        append_u_escape(out, static_cast<unsigned>(cp.code_point));
      } else {
        const char32_t v = cp.code_point - 0x10000;
        append_u_escape(out, static_cast<unsigned>(0xD800 + (v >> 10)));
        append_u_escape(out, static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
      }
      i += cp.length;
      continue;
    }
    if (const std::optional<char> letter = short_escape_letter(static_cast<char>(c))) {
      out.push_back('\\');
      out.push_back(*letter);
      ++i;
      continue;
    }
    if (c == 0x7F && non_ascii == NonAscii::kKeep) {
      out.push_back(static_cast<char>(c));  // DEL: only ensure_ascii escapes it
    } else {
      append_u_escape(out, c);  // the other control characters
    }
    ++i;
  }
  out.push_back('"');
}

namespace {

// JSON's two-character escapes: the character and the letter after the backslash.
struct ShortEscape {
  char value;
  char letter;
};
constexpr ShortEscape kShortEscapes[] = {{'"', '"'},  {'\\', '\\'}, {'\n', 'n'}, {'\r', 'r'},
                                         {'\t', 't'}, {'\b', 'b'},  {'\f', 'f'}};

}  // namespace

std::optional<char> short_escape_letter(char c) {
  for (const ShortEscape& e : kShortEscapes) {
    if (e.value == c) return e.letter;
  }
  return std::nullopt;
}

std::optional<char> short_escape_value(char letter) {
  if (letter == '/') return '/';
  for (const ShortEscape& e : kShortEscapes) {
    if (e.letter == letter) return e.value;
  }
  return std::nullopt;
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_float_repr(std::string& out, double value) {
  // Shortest round-trip digits in scientific form ("-1.2345e+02"), then Python's layout.
  char sci[32];
  const auto res = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  const char* p = sci;
  if (*p == '-') {
    out.push_back('-');
    ++p;
  }
  char digits[24];
  std::size_t n = 0;
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[n++] = *p;
  }
  // p is at 'e'; the exponent's sign and digits run to res.ptr (to_chars writes no NUL).
  int exponent = 0;
  const bool negative_exponent = p + 1 < res.ptr && p[1] == '-';
  for (const char* e = p + 2; e < res.ptr; ++e) exponent = exponent * 10 + (*e - '0');
  if (negative_exponent) exponent = -exponent;
  if (exponent < -4 || exponent >= 16) {
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits + 1, n - 1);
    }
    out.push_back('e');
    out.push_back(exponent < 0 ? '-' : '+');
    const int magnitude = std::abs(exponent);
    if (magnitude < 10) out.push_back('0');
    append_int(out, magnitude);
  } else if (exponent < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out.append(digits, n);
  } else {
    const std::size_t int_len = static_cast<std::size_t>(exponent) + 1;
    if (n <= int_len) {
      out.append(digits, n);
      out.append(int_len - n, '0');
      out += ".0";
    } else {
      out.append(digits, int_len);
      out.push_back('.');
      out.append(digits + int_len, n - int_len);
    }
  }
}

namespace {

// The one spelling of the non-finite doubles, in MLflow's protobuf JSON and in json.dumps.
const char* non_finite_name(double value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

}  // namespace

void append_double(std::string& out, double value) {
  if (std::isfinite(value)) {
    append_float_repr(out, value);
  } else {
    out.push_back('"');
    out += non_finite_name(value);
    out.push_back('"');
  }
}

void append_python_double(std::string& out, double value) {
  if (std::isfinite(value)) {
    append_float_repr(out, value);
  } else {
    out += non_finite_name(value);
  }
}

}  // namespace mlflow::internal::json_text
