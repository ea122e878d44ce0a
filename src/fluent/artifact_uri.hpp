// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// get_artifact_uri's path joining: Python's mlflow.utils.uri.append_to_uri_path for one
// suffix, with urllib's parse/unparse rules (scheme, //netloc, ;params, ?query, #fragment).

#include <string>

namespace mlflow::internal {

/// Appends the POSIX path `path` to the path component of `uri` (a leading '/' of `path` is
/// dropped, so it never replaces the URI's path). Throws InvalidArgument when the URI's query
/// contains a ".." traversal (Python's validate_query_string).
std::string append_to_uri_path(const std::string& uri, const std::string& path);

}  // namespace mlflow::internal
