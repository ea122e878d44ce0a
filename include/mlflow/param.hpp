// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Param: an immutable key/value of a run.

#include <string>

namespace mlflow {

/// A run parameter. Params are write-once: re-logging the same value is a no-op, a different
/// value is an InvalidArgument error.
struct Param {
  std::string key{};
  std::string value{};
};

inline bool operator==(const Param& a, const Param& b) noexcept {
  return a.key == b.key && a.value == b.value;
}

}  // namespace mlflow
