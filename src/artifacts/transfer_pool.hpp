// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The moving parts of a multi-file transfer: a small fixed pool of threads that runs one job
// per file (on a 2-core machine the gain is overlapping network round trips, not CPU), and a
// progress counter shared by those jobs.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

#include "mlflow/artifact_options.hpp"

namespace mlflow::internal {

/// "Bytes of this file so far" from inside a transfer (restarts at 0 when an attempt is
/// retried). May be empty.
using ByteProgress = std::function<void(std::int64_t bytes_so_far)>;

/// Runs job(0) .. job(count - 1) on at most `max_parallel` threads (the caller's thread is one
/// of them). After the first job throws, no new job starts; the running ones finish and the
/// first exception is rethrown, as it was thrown (its type kept).
void run_bounded(std::size_t count, int max_parallel, const std::function<void(std::size_t)>& job);

/// Sums per-file progress into ArtifactProgress and calls the user's callback, one call at a
/// time. Thread-safe.
class TransferProgress {
 public:
  TransferProgress(std::function<void(const ArtifactProgress&)> callback, std::int64_t bytes_total,
                   std::int64_t files_total);

  /// Moves the byte count by `delta` (negative after a retried attempt) and the file count by
  /// `files`, then reports.
  void add(std::int64_t delta, std::int64_t files);
  bool enabled() const noexcept { return static_cast<bool>(callback_); }

  /// Runs `transfer` for one file of `size` bytes, handing it a ByteProgress that feeds this
  /// counter, and counts the file as done afterwards.
  void track_file(std::int64_t size, const std::function<void(const ByteProgress&)>& transfer);

 private:
  std::function<void(const ArtifactProgress&)> callback_;
  std::mutex mutex_;
  ArtifactProgress state_;
};

}  // namespace mlflow::internal
