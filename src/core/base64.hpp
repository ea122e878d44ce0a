// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Standard base64 (RFC 4648, with '=' padding), used for the Basic Authorization header.

#include <string>

namespace mlflow::internal {

/// Encodes `bytes` with the standard alphabet and '=' padding.
std::string base64_encode(const std::string& bytes);

}  // namespace mlflow::internal
