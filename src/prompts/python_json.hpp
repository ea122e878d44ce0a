// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Python's json.dumps with default arguments, for the JSON MLflow keeps in prompt tags:
// separators ", " and ": ", ensure_ascii (\uXXXX, lowercase hex, surrogate pairs), float repr,
// key order kept; strings and floats written by core/json_text. Prompt tags must be
// byte-identical to what the Python client writes, so that either client reads what the other
// stored and the UI shows the same text.

#include <nlohmann/json.hpp>
#include <string>

namespace mlflow::internal::pyjson {

/// json.dumps(value).
std::string dumps(const nlohmann::ordered_json& value);
/// repr(float) of Python: "1.0", "0.1", "1e-05", "1.5e+16", "inf", "nan".
std::string float_repr(double value);
/// Parses JSON text keeping key order; throws InvalidArgument naming `what` when invalid.
nlohmann::ordered_json parse(const std::string& text, const char* what);

}  // namespace mlflow::internal::pyjson
