// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// '/'-separated path rules MLflow applies to names that may become file paths: metric, param
// and tag keys (mlflow/utils/validation.py) and artifact paths alike.

#include <string>

namespace mlflow::internal {

/// posixpath.normpath: collapses "//" and "." segments, resolves ".." lexically; "" -> ".".
std::string posix_normpath(const std::string& path);

/// MLflow's "must not resolve to other names" rule: true when the name is not already in
/// normal form, is ".", starts with ".." or is absolute.
bool resolves_to_other_name(const std::string& name);

}  // namespace mlflow::internal
