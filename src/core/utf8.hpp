// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The library's one UTF-8 decoder. MLflow keeps text as Python str: it counts code points
// (len()), cuts at code points (value[:n]) and can hold only valid UTF-8 (the JSON decoder of
// the server and sqlite3's text reader refuse anything else). Everything that validates,
// measures, truncates, escapes or walks text character by character goes through here.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mlflow::internal::utf8 {

/// One code point decoded at a position.
struct Decoded {
  char32_t code_point = 0;
  /// Bytes the code point takes (1-4); 0 when the bytes there are not valid UTF-8.
  std::size_t length = 0;
};

/// Decodes the code point starting at text[pos] (pos < text.size()). Truncated sequences,
/// stray continuation bytes, overlong forms, surrogates (U+D800-DFFF) and values past
/// U+10FFFF are invalid: what Python's `bytes.decode("utf-8")` refuses.
Decoded decode(std::string_view text, std::size_t pos) noexcept;

/// Bytes to the next code point: the sequence's length, or 1 for an invalid byte (so walking
/// invalid text still moves forward and keeps every byte).
std::size_t step(std::string_view text, std::size_t pos) noexcept;

/// Byte offset of the first byte that starts no valid sequence; npos when `text` is valid.
std::size_t find_invalid(std::string_view text) noexcept;
bool is_valid(std::string_view text) noexcept;

/// Throws InvalidArgument (INVALID_PARAMETER_VALUE) naming `field`, the byte offset and the
/// byte when `text` is not valid UTF-8; nothing has been stored or sent at that point.
void require_valid(std::string_view text, std::string_view field);

/// Python's len(): the number of code points (an invalid byte counts as one).
std::size_t length(std::string_view text) noexcept;

/// Bytes taken by the first `count` code points, all of `text` when it has fewer:
/// `text.substr(0, prefix_bytes(text, n))` is Python's `value[:n]`, never half a character.
std::size_t prefix_bytes(std::string_view text, std::size_t count) noexcept;

/// Python's `value[:count]`.
std::string truncate(std::string_view text, std::size_t count);

/// `text` with each byte that starts no valid sequence replaced by U+FFFD (Python's
/// errors="replace"), for fields that must be UTF-8 whatever the caller gave (protobuf strings).
std::string replace_invalid(std::string_view text);

/// Appends the UTF-8 form of `code_point` (a Unicode scalar value).
void append(std::string& out, char32_t code_point);

/// The code points of `text`, each as its own string (an invalid byte is one item).
std::vector<std::string> split(std::string_view text);

}  // namespace mlflow::internal::utf8
