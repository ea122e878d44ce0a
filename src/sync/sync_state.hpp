// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The sync state file: for each source run, the destination run it was copied to and the
// high-water mark of each metric key. Saved (write to a temporary file, fsync, rename) only
// after the destination acknowledged what the marks say, so a sync killed at any point leaves
// a file that is behind the destination, never ahead of it.

#include <map>
#include <string>

#include "sync/metric_delta.hpp"

namespace mlflow::internal::sync {

struct RunMarks {
  std::string destination_run_id;
  std::map<std::string, KeyMark> metrics;
};

class SyncState {
 public:
  /// Reads `path`; a missing file is an empty state, an unreadable one is an error.
  explicit SyncState(std::string path);

  /// The marks of `source_run_id` when they were written for `destination_run_id` (a
  /// destination run made again, e.g. on a fresh server, starts with none).
  const RunMarks* find(const std::string& source_run_id,
                       const std::string& destination_run_id) const;
  void set_mark(const std::string& source_run_id, const std::string& destination_run_id,
                const std::string& key, const KeyMark& mark);
  void save() const;

 private:
  std::string path_;
  std::map<std::string, RunMarks> runs_;
};

/// The default state file of a sync between two URIs: $XDG_CACHE_HOME/mlflow-cpp/sync/<hash>.json
/// (else ~/.cache/...), the hash taken over both URIs.
std::string default_state_path(const std::string& source_uri, const std::string& destination_uri);

}  // namespace mlflow::internal::sync
