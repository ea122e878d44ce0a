// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// JSON text written by hand, where the exact bytes matter: MLflow REST bodies (the log-batch
// and log-metric hot paths) and Python `json.dumps` output (prompt tags). The library's one
// string escaper, one double format and one NaN/Infinity rule.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlflow::internal::json_text {

/// What happens to characters outside ASCII.
enum class NonAscii {
  kKeep,    // written as UTF-8 (what MLflow's REST client sends)
  kEscape,  // written as \uXXXX, lowercase hex, surrogate pairs (json.dumps' ensure_ascii)
};

/// A JSON string literal of `text`, escaped as Python's json module escapes: \" \\ \n \r \t
/// \b \f, other control characters as \u00XX, and with kEscape every character outside
/// ' '..'~' as \uXXXX. Throws InvalidArgument (INVALID_PARAMETER_VALUE) naming `field` and the
/// byte offset when `text` is not valid UTF-8: the server could not decode it either.
void append_string(std::string& out, std::string_view text, NonAscii non_ascii,
                   std::string_view field);

/// The letter of JSON's two-character escape for `c` ('n' for a newline, '"' for a quote), or
/// nullopt where JSON has none ('/' is never escaped when writing).
std::optional<char> short_escape_letter(char c);

/// What the two-character escape `\<letter>` stands for (a newline for 'n', '/' for '/'), or
/// nullopt for 'u' and letters JSON does not know.
std::optional<char> short_escape_value(char letter);

void append_int(std::string& out, std::int64_t value);

/// Python's repr() of a finite double: the shortest digits that read back as the same value,
/// fixed notation for decimal exponents in [-4, 16) with at least one decimal ("1.0",
/// "100000.0", "0.0001"), scientific otherwise ("1e-05", "1e+16", "1.5e+300").
void append_float_repr(std::string& out, double value);

/// MLflow's JSON for a double, as its Python client sends it (protobuf JSON): a finite value
/// as append_float_repr, NaN, +Inf and -Inf as the strings "NaN", "Infinity", "-Infinity".
/// json_codec::decode_double reads all of these back.
void append_double(std::string& out, double value);

/// Python json.dumps' text for a double (allow_nan=True): a finite value as append_float_repr,
/// NaN, +Inf and -Inf bare, as NaN, Infinity and -Infinity.
void append_python_double(std::string& out, double value);

}  // namespace mlflow::internal::json_text
