// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// MlflowClient: the explicit-id client, with the names of Python's `mlflow.MlflowClient`.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/artifact_options.hpp"
#include "mlflow/client_options.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/file_info.hpp"
#include "mlflow/image.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/param.hpp"
#include "mlflow/run.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/tracking_options.hpp"

namespace mlflow {

namespace internal {
class TrackingStore;
}  // namespace internal

/// A client of one tracking store: a real MLflow server (`http://`, `https://`) or the
/// embedded SQLite store (`sqlite:///path.db`).
///
/// Every method throws MlflowException (or a subclass) on failure. Copies are cheap and share
/// the same store and connection pool. A client is safe to use from many threads at once.
class MlflowClient {
 public:
  /// Uses MLFLOW_TRACKING_URI and the other MLflow environment variables, else the default.
  MlflowClient();
  /// `tracking_uri` overrides MLFLOW_TRACKING_URI; everything else as above.
  explicit MlflowClient(const std::string& tracking_uri);
  explicit MlflowClient(ClientOptions options);
  /// For tests and custom stores.
  explicit MlflowClient(std::shared_ptr<internal::TrackingStore> store);
  ~MlflowClient();
  MlflowClient(const MlflowClient&);
  MlflowClient& operator=(const MlflowClient&);
  MlflowClient(MlflowClient&&) noexcept;
  MlflowClient& operator=(MlflowClient&&) noexcept;

  /// The resolved tracking URI (credentials removed).
  const std::string& tracking_uri() const noexcept;

  // ---- Experiments --------------------------------------------------------------------------

  /// Creates an experiment and returns its id. Throws AlreadyExists for a taken name
  /// (deleted experiments included).
  std::string create_experiment(const std::string& name,
                                const CreateExperimentOptions& options = {});
  /// Throws NotFound for an unknown id. Returns deleted experiments too.
  Experiment get_experiment(const std::string& experiment_id);
  /// Exact, case-sensitive name; std::nullopt when there is none (Python returns None).
  std::optional<Experiment> get_experiment_by_name(const std::string& name);
  /// One page of experiments.
  PagedList<Experiment> search_experiments(const SearchExperimentsOptions& options = {});
  /// Every matching experiment, fetched page by page as the range is iterated.
  PageRange<Experiment> search_experiments_all(SearchExperimentsOptions options = {});
  void rename_experiment(const std::string& experiment_id, const std::string& new_name);
  /// Soft delete; also marks every run of the experiment deleted.
  void delete_experiment(const std::string& experiment_id);
  void restore_experiment(const std::string& experiment_id);
  void set_experiment_tag(const std::string& experiment_id, const std::string& key,
                          const std::string& value);
  void delete_experiment_tag(const std::string& experiment_id, const std::string& key);

  // ---- Runs ---------------------------------------------------------------------------------

  /// Creates a RUNNING run. Sends `user_id` = the `mlflow.user` tag, else "unknown" (as Python).
  Run create_run(const std::string& experiment_id, const CreateRunOptions& options = {});
  Run get_run(const std::string& run_id);
  /// The run named by the `mlflow.parentRunId` tag, or std::nullopt.
  std::optional<Run> get_parent_run(const std::string& run_id);
  /// Changes status and/or name; keeps end_time (as Python does). No-op when both are unset.
  void update_run(const std::string& run_id, const UpdateRunOptions& options);
  /// Ends the run: status (FINISHED by default) and end_time (now by default).
  void set_terminated(const std::string& run_id, const SetTerminatedOptions& options = {});
  void delete_run(const std::string& run_id);
  void restore_run(const std::string& run_id);
  /// One page of runs.
  PagedList<Run> search_runs(const std::vector<std::string>& experiment_ids,
                             const SearchRunsOptions& options = {});
  /// Every matching run, fetched page by page as the range is iterated.
  PageRange<Run> search_runs_all(std::vector<std::string> experiment_ids,
                                 SearchRunsOptions options = {});

  // ---- Logging ------------------------------------------------------------------------------

  void log_metric(const std::string& run_id, const std::string& key, double value,
                  const LogMetricOptions& options = {});
  void log_param(const std::string& run_id, const std::string& key, const std::string& value);
  void set_tag(const std::string& run_id, const std::string& key, const std::string& value);
  void delete_tag(const std::string& run_id, const std::string& key);
  /// Any number of items: split into requests within MLflow's limits (1000 metrics, 100
  /// params, 100 tags, 1000 items in all), params and tags first, as Python does.
  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics = {},
                 const std::vector<Param>& params = {}, const std::vector<RunTag>& tags = {});
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets);
  /// Every point of one metric (all pages), ordered by timestamp, step, value.
  std::vector<Metric> get_metric_history(const std::string& run_id, const std::string& key);
  /// Down-sampled histories of up to 100 runs (what the UI charts use); each point has run_id.
  std::vector<Metric> get_metric_history_bulk_interval(
      const std::vector<std::string>& run_ids, const std::string& metric_key,
      const MetricHistoryBulkIntervalOptions& options = {});

  // ---- Artifacts ----------------------------------------------------------------------------
  // The run's artifact_uri (from get_run) picks where files go: a local path or file:// URI ->
  // that directory (the embedded store's default is <cwd>/mlruns/<exp>/<run>/artifacts);
  // mlflow-artifacts: -> the tracking server's proxied artifact API; http(s):// -> that URL.
  // Other schemes (s3:, gs:, ...) throw InvalidArgument. Artifact paths are '/'-separated and
  // relative; any '..' segment, absolute path or backslash throws InvalidArgument.

  /// Uploads a file to `<artifact_path>/<file name>`; a directory goes to
  /// `<artifact_path>/<directory name>/...` (as Python).
  void log_artifact(const std::string& run_id, const std::string& local_path,
                    const std::string& artifact_path = "");
  /// Uploads the files below `local_dir` to `<artifact_path>/<relative path>`. Symlinks to
  /// files inside `local_dir` are followed; other symlinks and special files are skipped.
  void log_artifacts(const std::string& run_id, const std::string& local_dir,
                     const std::string& artifact_path = "");
  /// The entries directly under `path` ("" = the root), sorted by path; empty for a file or a
  /// missing path.
  std::vector<FileInfo> list_artifacts(const std::string& run_id, const std::string& path = "");
  /// Downloads the file or directory `path` ("" = all) and returns its local path. `dst_path`
  /// is created when missing. With no `dst_path`: a new temporary directory, except for a
  /// local artifact location, whose own path is returned without copying (as Python does).
  std::string download_artifacts(const std::string& run_id, const std::string& path,
                                 const std::string& dst_path = "");
  /// Stores `text` as the file `artifact_file` (e.g. "dir/notes.txt"), UTF-8 as given.
  void log_text(const std::string& run_id, const std::string& text,
                const std::string& artifact_file);
  /// Stores a JSON document (`json_text`, validated) pretty-printed with 2-space indentation
  /// and ASCII escapes, as Python's json.dump(indent=2). A ".yaml"/".yml" file name throws
  /// InvalidArgument (YAML output is not implemented; use log_text).
  void log_dict(const std::string& run_id, const std::string& json_text,
                const std::string& artifact_file);

  // ---- Artifacts: parallel transfers with progress -----------------------------------------
  // The calls above use ArtifactTransferOptions{} (4 files at a time, no progress callback).

  void log_artifact(const std::string& run_id, const std::string& local_path,
                    const std::string& artifact_path, const ArtifactTransferOptions& options);
  void log_artifacts(const std::string& run_id, const std::string& local_dir,
                     const std::string& artifact_path, const ArtifactTransferOptions& options);
  std::string download_artifacts(const std::string& run_id, const std::string& path,
                                 const std::string& dst_path,
                                 const ArtifactTransferOptions& options);

  // ---- Tables (Python's log_table / load_table) ---------------------------------------------

  /// Logs a table as `artifact_file` (a ".json" name) in pandas' split layout
  /// {"columns": [...], "data": [[...], ...]}, as Python writes it. `data_json` is a JSON object
  /// of columns, {"col": [values...], ...} (single values make a one-row table, or repeat down
  /// the other columns). When the file exists, the rows are appended (columns united, missing
  /// cells null). Adds {"path": artifact_file, "type": "table"} to the run's
  /// `mlflow.loggedArtifacts` tag, as Python does, which is how load_table finds it.
  void log_table(const std::string& run_id, const std::string& data_json,
                 const std::string& artifact_file);
  /// The rows of `artifact_file` from every run of the experiment that logged it (or from
  /// `run_ids`), concatenated, as one split-layout JSON document. `extra_columns` adds
  /// per-run columns: run_id, experiment_id, status, artifact_uri, tags.<k>, params.<k>,
  /// metrics.<k> (a name the table already has gets a trailing '_'). NotFound when no run has it.
  std::string load_table(const std::string& experiment_id, const std::string& artifact_file,
                         const std::vector<std::string>& run_ids = {},
                         const std::vector<std::string>& extra_columns = {});

  // ---- Images (Python's log_image) -----------------------------------------------------------

  /// Stores `image` as the PNG file `artifact_file` (a ".png" name).
  void log_image(const std::string& run_id, const Image& image, const std::string& artifact_file);
  /// MLflow 3's keyed, stepped image, where Python puts it:
  /// images/<key, '/' as '~'>+step+<step>+timestamp+<ms>+<uuid>.png, a thumbnail beside it
  /// (<same>+compressed.webp, longer side 256 px, lossless) and the run tag
  /// mlflow.loggedImages=True, so the UI shows it in its image grid.
  void log_image(const std::string& run_id, const Image& image, const LogImageOptions& options);

  /// The store behind this client (for the layers built on it).
  const std::shared_ptr<internal::TrackingStore>& store() const noexcept { return store_; }

 private:
  std::shared_ptr<internal::TrackingStore> store_;
  std::string tracking_uri_;
};

}  // namespace mlflow
