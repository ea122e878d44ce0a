// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/python_chars.hpp"

#include <algorithm>
#include <iterator>

#include "core/utf8.hpp"

namespace mlflow::internal {
namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

#include "core/python_chars_table.inc"

template <std::size_t N>
bool in_ranges(const CodePointRange (&ranges)[N], char32_t cp) noexcept {
  // The first range that ends at or after cp; cp is inside when that range starts at or before.
  const auto it = std::lower_bound(std::begin(ranges), std::end(ranges), cp,
                                   [](const CodePointRange& r, char32_t v) { return r.last < v; });
  return it != std::end(ranges) && it->first <= cp;
}

}  // namespace

bool is_python_word_char(char32_t code_point) noexcept {
  return in_ranges(kWordRanges, code_point);
}

bool is_python_space(char32_t code_point) noexcept { return in_ranges(kSpaceRanges, code_point); }

bool is_python_blank(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const utf8::Decoded d = utf8::decode(text, i);
    if (d.length == 0 || !is_python_space(d.code_point)) return false;
    i += d.length;
  }
  return true;
}

const char* python_unicode_version() noexcept { return kUnicodeVersion; }

}  // namespace mlflow::internal
