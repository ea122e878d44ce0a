// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// `models:/<model_id>` URIs (MLflow 3 logged models), read as Python's _parse_model_uri
// reads them: one path segment without '@' is a model id; `models:/<name>/<version|stage>`
// and `models:/<name>@<alias>` name registry versions instead.

#include <optional>
#include <string>

namespace mlflow::internal {

/// The model id of a `models:/<model_id>` URI; std::nullopt for any other URI.
inline std::optional<std::string> logged_model_id_of_uri(const std::string& uri) {
  const std::string scheme = "models:/";
  if (uri.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  std::string path = uri.substr(scheme.size());
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (path.empty() || path.find('/') != std::string::npos || path.find('@') != std::string::npos ||
      path.find_first_not_of(" \t") == std::string::npos) {
    return std::nullopt;
  }
  return path;
}

}  // namespace mlflow::internal
