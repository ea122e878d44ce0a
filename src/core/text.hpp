// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Character-level text operations of the tracing code and JsonValue (Python counts and cuts
// str by code point and cannot hold invalid UTF-8). Kept behind this small interface until the
// shared UTF-8 decoder (branch `text`, core/utf8.hpp) is on main; then these forward to it.

#include <cstddef>
#include <string>
#include <string_view>

namespace mlflow::internal::text {

/// Bytes of the valid UTF-8 sequence at s[pos] and its code point; 0 when the bytes there are
/// not one (truncated, stray continuation, overlong, surrogate, beyond U+10FFFF).
std::size_t decode(std::string_view s, std::size_t pos, char32_t& code_point) noexcept;
/// Appends the UTF-8 form of a code point.
void append_utf8(std::string& out, char32_t code_point);
/// Python's `len(s)`: code points (an invalid byte counts as one).
std::size_t length(std::string_view s) noexcept;
/// Python's `s[:n]`, never cutting a character in half.
std::string prefix(std::string_view s, std::size_t n);
/// `s` when it is valid UTF-8; otherwise a copy with each byte that starts no valid sequence
/// replaced by U+FFFD (Python's errors="replace"; protobuf string fields must be UTF-8).
std::string valid_utf8(std::string_view s);

}  // namespace mlflow::internal::text
