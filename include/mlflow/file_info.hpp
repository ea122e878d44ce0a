// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// FileInfo: one entry of an artifact listing (Python's `mlflow.entities.FileInfo`).

#include <cstdint>
#include <optional>
#include <string>

namespace mlflow {

/// An artifact file or directory of a run.
struct FileInfo {
  /// Relative to the run's artifact root, '/'-separated (e.g. "model/MLmodel").
  std::string path;
  bool is_dir = false;
  /// Bytes; std::nullopt for directories. A server omits it for empty files too (as MLflow's
  /// server does), while the local store reports 0.
  std::optional<std::int64_t> file_size;

  friend bool operator==(const FileInfo& a, const FileInfo& b) {
    return a.path == b.path && a.is_dir == b.is_dir && a.file_size == b.file_size;
  }
  friend bool operator!=(const FileInfo& a, const FileInfo& b) { return !(a == b); }
};

}  // namespace mlflow
