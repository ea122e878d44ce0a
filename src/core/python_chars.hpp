// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Python's character classes for str, which MLflow's checks depend on: `\w` of a str pattern
// in `re` (key names: `[/\w.\- :]`, alias names: `[\w\-]`) and str.isspace() (what strip()
// removes, so what makes an experiment or model name blank). The tables are generated from the
// pinned MLflow's Python by scripts/gen-python-chars.py; python_unicode_version() says which
// Unicode version they follow.

#include <string_view>

namespace mlflow::internal {

/// `re.fullmatch(r"\w", chr(cp))` in Python: letters, digits and numerics of every script,
/// and '_' (not combining marks, not emoji, not U+00A0).
bool is_python_word_char(char32_t code_point) noexcept;
/// `chr(cp).isspace()` in Python (U+00A0, U+3000, U+2028 and others besides ASCII).
bool is_python_space(char32_t code_point) noexcept;
/// `not text.strip()` in Python: empty or only whitespace (UTF-8 text).
bool is_python_blank(std::string_view text) noexcept;
/// The Unicode version of the tables (that of the Python they were generated with).
const char* python_unicode_version() noexcept;

}  // namespace mlflow::internal
