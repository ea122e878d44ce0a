// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// ASCII string helpers shared by the library (HTTP header names, environment values, the
// search grammar's keywords). ASCII-only on purpose: these compare protocol tokens, not text.

#include <string>
#include <string_view>
#include <vector>

namespace mlflow::internal {

/// Removes leading and trailing ASCII whitespace.
std::string trim(std::string_view text);
/// ASCII case mapping; every other byte (and so all UTF-8 beyond ASCII) is kept as it is,
/// whatever the process locale.
char to_lower(char c) noexcept;
char to_upper(char c) noexcept;
std::string to_lower(std::string text);
std::string to_upper(std::string text);
/// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b) noexcept;
/// Python's repr() of a str, as MLflow's messages embed it (`{value!r}`).
std::string python_repr(const std::string& text);
/// Python's repr() of bytes (b'...'), as MLflow's page-token messages embed decoded tokens.
std::string python_bytes_repr(const std::string& bytes);
/// Python's repr() of a list of str, ['a', 'b'], as MLflow's messages print key lists.
std::string python_list_repr(const std::vector<std::string>& items);
/// Python's repr() of a set of str, {'a', 'b'}, in the order given (MLflow's key sets).
std::string python_set_repr(const std::vector<std::string>& items);

}  // namespace mlflow::internal
