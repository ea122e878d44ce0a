// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Standard base64 (RFC 4648, with '=' padding): the Basic Authorization header and the
// embedded store's page tokens.

#include <optional>
#include <string>

namespace mlflow::internal {

/// Encodes `bytes` with the standard alphabet and '=' padding.
std::string base64_encode(const std::string& bytes);

/// Python's non-strict base64.b64decode (how MLflow's stores read page tokens): characters
/// outside the alphabet are skipped, data stops at complete padding; std::nullopt where Python
/// raises (a length one past a multiple of four, missing padding, data after short padding).
std::optional<std::string> python_b64decode(const std::string& in);

}  // namespace mlflow::internal
