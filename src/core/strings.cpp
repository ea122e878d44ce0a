// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/strings.hpp"

#include <cctype>

namespace mlflow::internal {
namespace {

bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string trim(std::string_view text) {
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && space(text[b])) ++b;
  while (e > b && space(text[e - 1])) --e;
  return std::string(text.substr(b, e - b));
}

char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

std::string to_lower(std::string text) {
  for (char& c : text) c = to_lower(c);
  return text;
}

std::string to_upper(std::string text) {
  for (char& c : text) c = to_upper(c);
  return text;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

namespace {

// Python's repr() quoting: single quotes, double ones when the text holds only the single kind;
// backslash, the quote, \n, \r and \t escaped; other control bytes (and, for bytes, every
// byte >= 0x80) as \xNN.
std::string python_quoted(const std::string& text, bool bytes) {
  const bool has_single = text.find('\'') != std::string::npos;
  const bool has_double = text.find('"') != std::string::npos;
  const char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  static const char* hex = "0123456789abcdef";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == q) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f || (bytes && u > 0x7f)) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += q;
  return out;
}

}  // namespace

std::string python_repr(const std::string& text) { return python_quoted(text, false); }

std::string python_bytes_repr(const std::string& bytes) { return "b" + python_quoted(bytes, true); }

namespace {

std::string joined_reprs(char open, const std::vector<std::string>& items, char close) {
  std::string out(1, open);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += python_repr(items[i]);
  }
  out.push_back(close);
  return out;
}

}  // namespace

std::string python_list_repr(const std::vector<std::string>& items) {
  return joined_reprs('[', items, ']');
}

std::string python_set_repr(const std::vector<std::string>& items) {
  return joined_reprs('{', items, '}');
}

}  // namespace mlflow::internal
