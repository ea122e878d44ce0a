// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/strings.hpp"

#include <cctype>

namespace mlflow::internal {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string trim(std::string_view text) {
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && space(text[b])) ++b;
  while (e > b && space(text[e - 1])) --e;
  return std::string(text.substr(b, e - b));
}

std::string to_lower(std::string text) {
  for (char& c : text) c = lower(c);
  return text;
}

std::string to_upper(std::string text) {
  for (char& c : text) c = upper(c);
  return text;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

namespace {
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (const char c : text) n += continuation(c) ? 0 : 1;
  return n;
}

std::string utf8_prefix(std::string_view text, std::size_t max_code_points) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (continuation(text[i])) continue;
    if (seen == max_code_points) return std::string(text.substr(0, i));
    ++seen;
  }
  return std::string(text);
}

}  // namespace mlflow::internal
