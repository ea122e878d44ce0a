// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// RunTag, ExperimentTag and InputTag: mutable key/value labels.

#include <string>

namespace mlflow {

/// A run tag (upserted by key).
struct RunTag {
  std::string key{};
  std::string value{};
};
/// An experiment tag (upserted by key).
struct ExperimentTag {
  std::string key{};
  std::string value{};
};
/// A tag on a dataset input edge, e.g. {"mlflow.data.context", "training"}.
struct InputTag {
  std::string key{};
  std::string value{};
};

inline bool operator==(const RunTag& a, const RunTag& b) noexcept {
  return a.key == b.key && a.value == b.value;
}
inline bool operator==(const ExperimentTag& a, const ExperimentTag& b) noexcept {
  return a.key == b.key && a.value == b.value;
}
inline bool operator==(const InputTag& a, const InputTag& b) noexcept {
  return a.key == b.key && a.value == b.value;
}

}  // namespace mlflow
