// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Library version, also sent as `User-Agent: mlflow-cpp/<version>`.

#define MLFLOW_CPP_VERSION_MAJOR 0
#define MLFLOW_CPP_VERSION_MINOR 1
#define MLFLOW_CPP_VERSION_PATCH 0
#define MLFLOW_CPP_VERSION_STRING "0.1.0"

namespace mlflow {
/// The library version as "major.minor.patch".
inline constexpr const char* kVersion = MLFLOW_CPP_VERSION_STRING;
/// The MLflow server version this release is tested against.
inline constexpr const char* kPinnedMlflowVersion = "3.18.0";
}  // namespace mlflow
