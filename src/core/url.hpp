// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

#include <string>

namespace mlflow::internal {

/// The URL with any user:password@ removed, for messages and logs.
std::string strip_credentials(const std::string& url);

/// The scheme of a URI as Python's urllib.parse.urlparse finds it, lower-cased: the text before
/// the first ':' when it starts with a letter and holds only letters, digits, '+', '-', '.';
/// "" otherwise (a plain path, "databricks").
std::string uri_scheme(const std::string& uri);

}  // namespace mlflow::internal
