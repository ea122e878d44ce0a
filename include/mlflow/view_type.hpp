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
/// Parses MLflow's name; throws InvalidArgument.
ViewType view_type_from_string(const std::string& name);

}  // namespace mlflow
