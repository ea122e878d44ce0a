// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// mlflow::sync: copies experiments and runs from one tracking URI to another (usually an
/// embedded file written offline to a server), idempotently and resumably. See
/// docs/adr/0025-sync.md.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mlflow/mlflow_client.hpp"

namespace mlflow {

/// The destination tag that names the source run a destination run was copied from. Runs are
/// matched through it, so a second sync finds what the first one created.
inline constexpr const char* kSyncSourceRunIdTag = "mlflow.cpp.sync.source_run_id";

/// Where a sync stands; passed to SyncOptions::progress after every write the destination
/// acknowledged (and once at the end).
struct SyncProgress {
  std::int64_t runs_done = 0;
  std::int64_t runs_total = 0;
  /// Destination writes acknowledged so far (run creations, log_batch requests, ...).
  std::int64_t writes = 0;
  /// The source run being copied ("" between runs).
  std::string run_id{};
};

struct SyncOptions {
  /// Experiments to copy, by name; empty: every active experiment of the source.
  std::vector<std::string> experiment_names{};
  /// Count what would be copied; write nothing (neither destination nor state file).
  bool dry_run = false;
  /// The state file (per-run metric high-water marks). Empty: a file named after the two URIs
  /// under $XDG_CACHE_HOME/mlflow-cpp/sync (else ~/.cache/mlflow-cpp/sync). The state only
  /// saves re-reading: a sync without it reads the destination's histories instead.
  std::string state_path{};
  /// Artifact files uploaded at once.
  int max_parallel_files = 4;
  /// Called from the syncing thread; it must not throw.
  std::function<void(const SyncProgress&)> progress{};
};

/// Something present on both sides with different content, and what sync did about it.
struct SyncConflict {
  /// "experiment", "run", "param", "artifact", "parent".
  std::string kind{};
  /// The experiment name, or the source run id (and key or path).
  std::string name{};
  std::string detail{};
  std::string resolution{};
};

/// What a sync copied (or, with dry_run, would copy).
struct SyncSummary {
  bool dry_run = false;
  std::int64_t experiments_created = 0;
  std::int64_t runs_seen = 0;
  std::int64_t runs_created = 0;
  /// Runs that existed at the destination and received something.
  std::int64_t runs_updated = 0;
  std::int64_t params = 0;
  std::int64_t tags = 0;
  std::int64_t metric_points = 0;
  std::int64_t dataset_inputs = 0;
  std::int64_t artifact_files = 0;
  std::int64_t artifact_bytes = 0;
  /// Runs whose status or end time was set.
  std::int64_t runs_terminated = 0;
  /// Destination writes made (0 for a second sync of unchanged data).
  std::int64_t writes = 0;
  std::vector<SyncConflict> conflicts{};
};

/// Copies from `source` to `destination`: experiments (matched by name), runs (matched through
/// kSyncSourceRunIdTag) with name, status, start/end time, parent link, params, tags, full
/// metric histories (timestamps and steps kept), dataset inputs and artifacts (path + size).
/// Running it again copies nothing twice; killed at any point, the next call completes the
/// copy without duplicates. Throws MlflowException on the first error either side reports.
SyncSummary sync(MlflowClient& source, MlflowClient& destination, const SyncOptions& options = {});

/// The same between two tracking URIs (each opened as MlflowClient(uri)).
SyncSummary sync(const std::string& source_uri, const std::string& destination_uri,
                 const SyncOptions& options = {});

}  // namespace mlflow
