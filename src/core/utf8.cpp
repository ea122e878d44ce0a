// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/utf8.hpp"

#include <cstdio>

#include "mlflow/errors.hpp"

namespace mlflow::internal::utf8 {

Decoded decode(std::string_view text, std::size_t pos) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const auto continuation = [&](std::size_t k) {
    return k < text.size() && (byte(k) & 0xC0) == 0x80;
  };
  const unsigned char c = byte(pos);
  if (c < 0x80) return {c, 1};
  // Lead bytes C0, C1 and F5-FF only start overlong or out-of-range forms.
  if (c >= 0xC2 && c <= 0xDF) {
    if (!continuation(pos + 1)) return {};
    return {static_cast<char32_t>(((c & 0x1F) << 6) | (byte(pos + 1) & 0x3F)), 2};
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(pos + 1) || !continuation(pos + 2)) return {};
    if (c == 0xE0 && byte(pos + 1) < 0xA0) return {};   // overlong
    if (c == 0xED && byte(pos + 1) >= 0xA0) return {};  // surrogates
    return {static_cast<char32_t>(((c & 0x0F) << 12) | ((byte(pos + 1) & 0x3F) << 6) |
                                  (byte(pos + 2) & 0x3F)),
            3};
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(pos + 1) || !continuation(pos + 2) || !continuation(pos + 3)) return {};
    if (c == 0xF0 && byte(pos + 1) < 0x90) return {};   // overlong
    if (c == 0xF4 && byte(pos + 1) >= 0x90) return {};  // past U+10FFFF
    return {static_cast<char32_t>(((c & 0x07) << 18) | ((byte(pos + 1) & 0x3F) << 12) |
                                  ((byte(pos + 2) & 0x3F) << 6) | (byte(pos + 3) & 0x3F)),
            4};
  }
  return {};
}

std::size_t step(std::string_view text, std::size_t pos) noexcept {
  const std::size_t n = decode(text, pos).length;
  return n == 0 ? 1 : n;
}

std::size_t find_invalid(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = decode(text, i).length;
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool is_valid(std::string_view text) noexcept {
  return find_invalid(text) == std::string_view::npos;
}

void require_valid(std::string_view text, std::string_view field) {
  const std::size_t at = find_invalid(text);
  if (at == std::string_view::npos) return;
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X",
                static_cast<unsigned>(static_cast<unsigned char>(text[at])));
  throw_error(ErrorCode::kInvalidParameterValue,
              "The value of '" + std::string(field) + "' is not valid UTF-8 (byte " + hex +
                  " at offset " + std::to_string(at) + " of " + std::to_string(text.size()) +
                  "). MLflow stores text as UTF-8: convert the string before logging it.");
}

std::size_t length(std::string_view text) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); i += step(text, i)) ++count;
  return count;
}

std::size_t prefix_bytes(std::string_view text, std::size_t count) noexcept {
  std::size_t i = 0;
  for (std::size_t n = 0; n < count && i < text.size(); ++n) i += step(text, i);
  return i;
}

std::string truncate(std::string_view text, std::size_t count) {
  return std::string(text.substr(0, prefix_bytes(text, count)));
}

std::string replace_invalid(std::string_view text) {
  std::size_t first_bad = find_invalid(text);
  if (first_bad == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, first_bad));
  for (std::size_t i = first_bad; i < text.size();) {
    const Decoded d = decode(text, i);
    if (d.length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, d.length));
      i += d.length;
    }
  }
  return out;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = step(text, i);
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace mlflow::internal::utf8
