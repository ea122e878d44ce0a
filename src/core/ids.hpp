// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Identifiers MLflow's stores generate: uuid4 hex ids and random run names.

#include <string>

namespace mlflow::internal {

/// A random (version 4) UUID as 32 lowercase hex characters, like Python's `uuid4().hex`.
std::string uuid4_hex();

/// A random run name in MLflow's shape `<adjective>-<noun>-<int>` (int in 0..1000), at most
/// 20 characters.
std::string random_run_name();

}  // namespace mlflow::internal
