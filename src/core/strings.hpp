// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// ASCII string helpers shared by the library (HTTP header names, environment values, the
// search grammar's keywords). ASCII-only on purpose: these compare protocol tokens, not text.

#include <string>
#include <string_view>

namespace mlflow::internal {

/// Removes leading and trailing ASCII whitespace.
std::string trim(std::string_view text);
std::string to_lower(std::string text);
std::string to_upper(std::string text);
/// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// The number of code points of UTF-8 text (Python's len() of the str); bytes that are not
/// continuation bytes each start one.
std::size_t utf8_length(std::string_view text) noexcept;
/// The first `max_code_points` code points of UTF-8 text (Python's text[:n]).
std::string utf8_prefix(std::string_view text, std::size_t max_code_points);

}  // namespace mlflow::internal
