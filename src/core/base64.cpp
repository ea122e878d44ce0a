// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/base64.hpp"

#include <cstdint>
#include <cstring>

namespace mlflow::internal {

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  // Whole 3-byte groups become 4 characters.
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(kAlphabet[(group >> 6) & 0x3F]);
    out.push_back(kAlphabet[group & 0x3F]);
  }
  // A trailing 1 or 2 bytes are padded with '='.
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) {
      group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    }
    out.push_back(kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(rest == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> python_b64decode(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string data;
  std::size_t padding = 0;
  for (const char c : in) {
    if (c == '=') {
      ++padding;
      continue;
    }
    const char* p = std::strchr(kAlphabet, c);
    if (c == '\0' || p == nullptr) continue;
    if (padding > 0) {  // data after padding: Python stops at complete padding
      if (data.size() % 4 == 0) break;
      return std::nullopt;
    }
    data += static_cast<char>(p - kAlphabet);
  }
  const std::size_t r = data.size() % 4;
  if (r == 1) return std::nullopt;
  if (r != 0 && padding < 4 - r) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char v : data) {
    acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace mlflow::internal
