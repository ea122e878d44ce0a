// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Dataset and DatasetInput: datasets used by runs (log_inputs).

#include <optional>
#include <string>
#include <vector>

#include "mlflow/tag.hpp"

namespace mlflow {

/// A dataset as MLflow records it. `source`, `schema` and `profile` are JSON strings.
struct Dataset {
  std::string name{};
  /// At most 36 characters.
  std::string digest{};
  /// e.g. "local", "http", "s3", "code".
  std::string source_type{};
  std::string source{};
  std::optional<std::string> schema = std::nullopt;
  std::optional<std::string> profile = std::nullopt;
};

/// A dataset used by a run, with the tags of that use (e.g. mlflow.data.context).
struct DatasetInput {
  Dataset dataset{};
  std::vector<InputTag> tags{};
};

bool operator==(const Dataset& a, const Dataset& b) noexcept;
bool operator==(const DatasetInput& a, const DatasetInput& b) noexcept;

}  // namespace mlflow
