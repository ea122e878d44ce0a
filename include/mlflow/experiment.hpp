// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Experiment: a named group of runs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mlflow {

/// An experiment as returned by get_experiment / search_experiments.
struct Experiment {
  /// Decimal integer as text ("0" is the Default experiment).
  std::string experiment_id{};
  std::string name{};
  std::string artifact_location{};
  /// "active" or "deleted".
  std::string lifecycle_stage{};
  /// Milliseconds since the epoch; absent when the server omits them.
  std::optional<std::int64_t> creation_time = std::nullopt;
  std::optional<std::int64_t> last_update_time = std::nullopt;
  /// Tags by key (like Python's `Experiment.tags` dict).
  std::map<std::string, std::string> tags{};
};

}  // namespace mlflow
