// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// ViewType: which lifecycle stages a search returns.

#include <string>

namespace mlflow {

/// Lifecycle filter of searches. Values equal MLflow's proto numbers.
enum class ViewType { kActiveOnly = 1, kDeletedOnly = 2, kAll = 3 };

/// "ACTIVE_ONLY", "DELETED_ONLY" or "ALL".
const char* to_string(ViewType view) noexcept;
/// Parses "ACTIVE_ONLY"/"DELETED_ONLY"/"ALL" (the proto's names) or "active_only"/
/// "deleted_only"/"all" (Python's ViewType.from_string); throws InvalidArgument otherwise.
ViewType view_type_from_string(const std::string& name);

}  // namespace mlflow
