// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// ArtifactTransferOptions: parallelism and progress reporting of artifact uploads and
/// downloads (MlflowClient::log_artifact(s), download_artifacts).

#include <cstdint>
#include <functional>

namespace mlflow {

/// Where a transfer stands. `bytes_done` may step back when a file's attempt fails and is
/// retried from its start; `bytes_total` is known before the first byte moves (for a
/// download, from the listing's sizes).
struct ArtifactProgress {
  std::int64_t bytes_done = 0;
  std::int64_t bytes_total = 0;
  std::int64_t files_done = 0;
  std::int64_t files_total = 0;
};

struct ArtifactTransferOptions {
  /// Files moved at once by a directory upload or download (1 = one after the other); clamped
  /// to [1, 64]. Each file has its own connection and its own retries.
  int max_parallel_files = 4;
  /// Called as bytes move, from the transferring threads but never concurrently (calls are
  /// serialised), and once more when everything is done. It must not throw; an exception from
  /// it cancels the transfer and is rethrown to the caller.
  std::function<void(const ArtifactProgress&)> progress;
};

}  // namespace mlflow
