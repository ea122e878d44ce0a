// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

#include <string>

namespace mlflow::internal {

/// The URL with any user:password@ removed, for messages and logs.
std::string strip_credentials(const std::string& url);

}  // namespace mlflow::internal
