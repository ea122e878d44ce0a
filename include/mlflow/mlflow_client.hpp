// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// MlflowClient: the explicit-id client, with the names of Python's `mlflow.MlflowClient`.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/artifact_options.hpp"
#include "mlflow/async_logging.hpp"
#include "mlflow/client_options.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/file_info.hpp"
#include "mlflow/image.hpp"
#include "mlflow/logged_model.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/model_version.hpp"
#include "mlflow/ordered_dict.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/param.hpp"
#include "mlflow/prompt.hpp"
#include "mlflow/prompt_options.hpp"
#include "mlflow/registered_model.hpp"
#include "mlflow/registry_options.hpp"
#include "mlflow/run.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/trace.hpp"
#include "mlflow/trace_options.hpp"
#include "mlflow/tracking_options.hpp"
#include "mlflow/workspace.hpp"

namespace mlflow {

/// A client of one tracking store: a real MLflow server (`http://`, `https://`) or the
/// embedded SQLite store (`sqlite:///path.db`).
///
/// Every method throws MlflowException (or a subclass) on failure. Copies are cheap and share
/// the same stores, connection pool, operation hooks and asynchronous logger. A client is safe
/// to use from many threads at once. Every operation passes the operation hooks
/// (mlflow/operation_hook.hpp).
class MlflowClient {
 public:
  /// The state a client shares with its copies; defined inside the library.
  class Impl;
  /// How the library's own layers (the tracing exporter) reach that state; defined inside the
  /// library only (src/client/client_access.hpp), so not usable outside it.
  struct Access;

  /// Uses MLFLOW_TRACKING_URI and the other MLflow environment variables, else the default.
  MlflowClient();
  /// `tracking_uri` overrides MLFLOW_TRACKING_URI; everything else as above.
  explicit MlflowClient(const std::string& tracking_uri);
  explicit MlflowClient(ClientOptions options);
  /// A client on state built inside the library (its factories for tests and custom stores).
  explicit MlflowClient(std::shared_ptr<Impl> impl);
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
  void log_param(const std::string& run_id, const std::string& key, const std::string& value,
                 const LogParamOptions& options = {});
  void set_tag(const std::string& run_id, const std::string& key, const std::string& value,
               const SetTagOptions& options = {});
  void delete_tag(const std::string& run_id, const std::string& key);
  /// Any number of items: split into requests within MLflow's limits (1000 metrics, 100
  /// params, 100 tags, 1000 items in all), params and tags first, as Python does.
  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics = {},
                 const std::vector<Param>& params = {}, const std::vector<RunTag>& tags = {},
                 const LogBatchOptions& options = {});
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

  // ---- Model registry -----------------------------------------------------------------------
  // The registry lives at the registry URI: MLFLOW_REGISTRY_URI when set, else the tracking
  // URI (server or embedded store alike). Versions are decimal integers as text ("3").
  // Unknown models/versions throw NotFound, taken names AlreadyExists, bad input
  // InvalidArgument, with the server's messages. As in Python's MlflowClient, a prompt is not a
  // registered model to these calls: given a prompt's name they throw NotFound
  // ("Registered Model with name='x' not found."), most after one extra read of the model.

  RegisteredModel create_registered_model(const std::string& name,
                                          const CreateRegisteredModelOptions& options = {});
  RegisteredModel get_registered_model(const std::string& name);
  RegisteredModel rename_registered_model(const std::string& name, const std::string& new_name);
  /// Sets the description (std::nullopt clears it, as the server does).
  RegisteredModel update_registered_model(const std::string& name,
                                          const std::optional<std::string>& description);
  /// Deletes the model with its versions, tags and aliases.
  void delete_registered_model(const std::string& name);
  /// One page of registered models (prompts left out unless the filter asks for them).
  PagedList<RegisteredModel> search_registered_models(
      const SearchRegisteredModelsOptions& options = {});
  /// Every matching registered model, fetched page by page as the range is iterated.
  PageRange<RegisteredModel> search_registered_models_all(
      SearchRegisteredModelsOptions options = {});
  /// The newest version of each of `stages` (case-insensitive; empty = every stage).
  std::vector<ModelVersion> get_latest_versions(const std::string& name,
                                                const std::vector<std::string>& stages = {});
  void set_registered_model_tag(const std::string& name, const std::string& key,
                                const std::string& value);
  void delete_registered_model_tag(const std::string& name, const std::string& key);

  ModelVersion create_model_version(const std::string& name, const std::string& source,
                                    const CreateModelVersionOptions& options = {});
  ModelVersion get_model_version(const std::string& name, const std::string& version);
  /// Sets the description; std::nullopt is refused (INTERNAL_ERROR, as Python's MlflowClient).
  ModelVersion update_model_version(const std::string& name, const std::string& version,
                                    const std::optional<std::string>& description);
  /// `stage`: None, Staging, Production or Archived (any case). With
  /// `archive_existing_versions`, the other versions in that stage move to Archived.
  ModelVersion transition_model_version_stage(const std::string& name, const std::string& version,
                                              const std::string& stage,
                                              bool archive_existing_versions = false);
  /// Soft delete (the version number is never reused); removes its aliases.
  void delete_model_version(const std::string& name, const std::string& version);
  /// One page of model versions (prompt versions left out unless the filter asks for them).
  PagedList<ModelVersion> search_model_versions(const SearchModelVersionsOptions& options = {});
  /// Every matching model version, fetched page by page as the range is iterated.
  PageRange<ModelVersion> search_model_versions_all(SearchModelVersionsOptions options = {});
  std::string get_model_version_download_uri(const std::string& name, const std::string& version);
  void set_model_version_tag(const std::string& name, const std::string& version,
                             const std::string& key, const std::string& value);
  void delete_model_version_tag(const std::string& name, const std::string& version,
                                const std::string& key);
  /// Points `alias` at `version` (moving it when it exists). `latest` and `v<N>` are reserved.
  void set_registered_model_alias(const std::string& name, const std::string& alias,
                                  const std::string& version);
  void delete_registered_model_alias(const std::string& name, const std::string& alias);
  /// `latest` (any case) is the newest version of the first stage group, as the server has it.
  ModelVersion get_model_version_by_alias(const std::string& name, const std::string& alias);
  /// Python's mlflow.register_model: creates the registered model when missing, then a version.
  /// `runs:/<run_id>/<path>` becomes `<run's artifact_uri>/<path>` with run_id set, when that
  /// directory holds an MLmodel file; other URIs are used as the source as given.
  /// `models:/<model_id>` (a logged model): source = the URI, model_id and the model's source
  /// run set, and the registration appended to the model's `mlflow.modelVersions` tag.
  ModelVersion register_model(const std::string& model_uri, const std::string& name,
                              const RegisterModelOptions& options = {});

  // ---- Asynchronous logging (docs/adr/0012-async-logging.md, 0016) -------------------------
  // `synchronous = false` on log_metric/log_param/set_tag/log_batch (or
  // ClientOptions::async_logging / MLFLOW_ENABLE_ASYNC_LOGGING=true) queues the data for one
  // worker thread per client (shared by its copies), which sends it as merged log_batch
  // requests. set_terminated drains it. When the last copy of the client is destroyed, and at
  // exit, the queue is stored within AsyncLoggingOptions::exit_timeout (default 30 s); what is
  // left then is reported, never dropped silently (mlflow/exit_handling.hpp).

  /// Waits until everything queued so far is stored. Throws MlflowException naming what was
  /// lost and why when data was given up since the last flush (also reported to on_error).
  void flush_async_logging();
  /// The same, waiting at most `timeout`: true when everything queued before the call was
  /// stored and nothing was given up since the last flush; false when time ran out (sending
  /// goes on) or data was lost (reported to on_error; not thrown again by a later flush).
  bool flush_async_logging(std::chrono::milliseconds timeout);
  /// Stops this client's asynchronous logging for good (its copies' too): later asynchronous
  /// calls are sent synchronously, what is queued is sent until `timeout`, then what is left
  /// is counted and reported (on_error and the SDK log handler). True when everything was
  /// stored. OpenTelemetry's Shutdown(timeout); idempotent.
  bool shutdown_async_logging(std::chrono::milliseconds timeout);
  /// Settings of this client's asynchronous logger (queue size, full-queue policy, how long
  /// to hold data through an outage, error callback). Applies to its copies too.
  void set_async_logging_options(AsyncLoggingOptions options);
  AsyncLoggingStats async_logging_stats() const;
  // ---- Logged models (MLflow 3) -------------------------------------------------------------
  // A logged model lives in an experiment, has its own artifact location
  // (<experiment artifact location>/models/<model_id>/artifacts) and is addressed as
  // "models:/<model_id>". Unknown ids throw NotFound.

  /// Creates a PENDING model. Params beyond the first 100 are sent in further requests of 100
  /// (as Python's RestStore does). A name with / : . % " ' throws InvalidArgument.
  LoggedModel create_logged_model(const std::string& experiment_id,
                                  const CreateLoggedModelOptions& options = {});
  /// Sets the final status (kReady or kFailed, as Python's "READY"/"FAILED").
  LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status);
  /// Throws NotFound for a deleted model too (as Python).
  LoggedModel get_logged_model(const std::string& model_id);
  /// Soft delete: search and get no longer return it.
  void delete_logged_model(const std::string& model_id);
  /// One page; see SearchLoggedModelsOptions for the filter grammar and ordering.
  PagedList<LoggedModel> search_logged_models(const std::vector<std::string>& experiment_ids,
                                              const SearchLoggedModelsOptions& options = {});
  /// Upserts tags (in the order given). Throws InvalidArgument when the model cannot be read
  /// (as Python).
  void set_logged_model_tags(const std::string& model_id, const OrderedDict<std::string>& tags);
  void delete_logged_model_tag(const std::string& model_id, const std::string& key);
  /// Adds params (batches of 100, in the order given, as Python keeps its dict's order).
  /// Throws InvalidArgument when the model cannot be read.
  void log_model_params(const std::string& model_id, const OrderedDict<std::string>& params);
  /// Records that the run produced these models (at their steps).
  void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models);
  /// Uploads a file (or a directory, keeping its name) under the model's artifact location.
  void log_model_artifact(const std::string& model_id, const std::string& local_path,
                          const std::string& artifact_path = "");
  /// Uploads the files below `local_dir` to the model's `<artifact_path>/<relative path>`.
  void log_model_artifacts(const std::string& model_id, const std::string& local_dir,
                           const std::string& artifact_path = "");
  /// The entries directly under `path` of the model's artifacts.
  std::vector<FileInfo> list_logged_model_artifacts(const std::string& model_id,
                                                    const std::string& path = "");
  /// Logs a local model file or directory (ONNX, TorchScript, GGUF, anything) as a logged
  /// model of the run, as Python's `<flavor>.log_model(name=...)` does: creates the model
  /// (source run = run_id, the run's params copied), records the run output at options.step,
  /// links the run's metrics of that step to the model, uploads the files (a directory's
  /// contents) and an `MLmodel` file (flavor "onnx" for .onnx models) that Python's
  /// mlflow.models.Model.load reads, then finalizes READY (FAILED if anything went wrong,
  /// and the error is rethrown). Returns the READY model; its model_uri() is "models:/<id>".
  LoggedModel log_model(const std::string& run_id, const std::string& local_path,
                        const LogModelOptions& options = {});

  // ---- Prompt registry ------------------------------------------------------------------------
  // Prompts are registered models tagged `mlflow.prompt.is_prompt`, stored byte for byte as
  // Python MLflow 3.18 stores them (see docs/adr/0009-prompt-registry.md), so either client
  // reads what the other wrote. Names: letters, digits, '_', '-', '.'. Errors say "prompt"
  // where the registry says "registered model" or "model version", as Python's do.
  // register_prompt and a load_prompt that reads the registry link the prompt to the current
  // experiment (set_experiment's, else MLFLOW_EXPERIMENT_NAME / _ID, else "0") in its tag
  // `_mlflow_experiment_ids`, as Python does (docs/adr/0018-registry-prompt-boundary.md).

  /// Registers a new version of a text prompt, creating the prompt when missing. Throws
  /// InvalidArgument when `name` is an ordinary registered model.
  PromptVersion register_prompt(const std::string& name, const std::string& template_text,
                                const RegisterPromptOptions& options = {});
  /// Registers a new version of a chat prompt (messages stored as Python's JSON list).
  PromptVersion register_prompt(const std::string& name, const std::vector<ChatMessage>& messages,
                                const RegisterPromptOptions& options = {});
  /// Loads `name` (latest version), `name` + options.version, `prompts:/name/3` or
  /// `prompts:/name@alias`, through the process-wide PromptCache. std::nullopt only with
  /// allow_missing (missing prompt, version or alias) or for a version without the prompt marker.
  std::optional<PromptVersion> load_prompt(const std::string& name_or_uri,
                                           const LoadPromptOptions& options = {});
  /// One page of prompts (name, description, creation time, tags). The filter may use
  /// `experiment_id = 'N'` (the prompts linked to experiment N).
  PagedList<Prompt> search_prompts(const SearchPromptsOptions& options = {});
  /// Every matching prompt, fetched page by page as the range is iterated.
  PageRange<Prompt> search_prompts_all(SearchPromptsOptions options = {});
  /// One page of a prompt's versions, newest first.
  PagedList<PromptVersion> search_prompt_versions(const std::string& name,
                                                  const SearchPromptVersionsOptions& options = {});
  /// Every version of a prompt, newest first, fetched page by page as the range is iterated.
  PageRange<PromptVersion> search_prompt_versions_all(const std::string& name,
                                                      SearchPromptVersionsOptions options = {});
  /// std::nullopt when there is no prompt of that name (or it is an ordinary model).
  std::optional<Prompt> get_prompt(const std::string& name);
  /// Throws NotFound for a missing version, InvalidArgument for an ordinary model; std::nullopt
  /// for a version without the prompt marker (a model version added to the prompt's name by
  /// the model registry API), as Python returns None.
  std::optional<PromptVersion> get_prompt_version(const std::string& name, int version);
  /// `latest` is the highest version; otherwise as get_prompt_version.
  std::optional<PromptVersion> get_prompt_version_by_alias(const std::string& name,
                                                           const std::string& alias);
  /// Deletes the registered model `name` with all its versions and aliases. Like the calls
  /// below, and as in Python, it does not check that `name` is a prompt.
  void delete_prompt(const std::string& name);
  void delete_prompt_version(const std::string& name, int version);
  /// Throws NotFound unless `version` is a prompt version of prompt `name`.
  void set_prompt_alias(const std::string& name, const std::string& alias, int version);
  void delete_prompt_alias(const std::string& name, const std::string& alias);
  void set_prompt_tag(const std::string& name, const std::string& key, const std::string& value);
  void delete_prompt_tag(const std::string& name, const std::string& key);
  void set_prompt_version_tag(const std::string& name, int version, const std::string& key,
                              const std::string& value);
  void delete_prompt_version_tag(const std::string& name, int version, const std::string& key);
  /// Replaces a version's model config (the one mutable part of a version).
  void set_prompt_model_config(const std::string& name, int version,
                               const PromptModelConfig& config);
  void delete_prompt_model_config(const std::string& name, int version);

  // ---- Workspaces ---------------------------------------------------------------------------
  // Workspaces of a server started with `mlflow server --enable-workspaces` (MLflow >= 3.10).
  // The workspace this client works in is ClientOptions::workspace / MLFLOW_WORKSPACE, sent as
  // X-MLFLOW-WORKSPACE on every call except these. Against a server without workspaces these
  // throw MlflowException(FEATURE_DISABLED) saying how to enable them. The embedded store
  // manages its database's `workspaces` table but keeps every resource in `default` (ADR 0010).

  /// Every workspace the caller may see, sorted by name (`default` included).
  std::vector<Workspace> list_workspaces();
  /// Throws NotFound for an unknown workspace, InvalidArgument for an invalid name.
  Workspace get_workspace(const std::string& name);
  /// Throws AlreadyExists for a taken name, InvalidArgument for an invalid or reserved one.
  Workspace create_workspace(const std::string& name, const CreateWorkspaceOptions& options = {});
  /// Changes the fields set in `options` (at least one). Names cannot be changed.
  Workspace update_workspace(const std::string& name, const UpdateWorkspaceOptions& options);
  /// `default` cannot be deleted. kRestrict throws InvalidState while the workspace still has
  /// resources.
  void delete_workspace(const std::string& name,
                        WorkspaceDeletionMode mode = WorkspaceDeletionMode::kRestrict);
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

  // ---- Traces (MLflow 3 GenAI tracing; src/client/mlflow_client_traces.cpp) -----------------
  // Traces are recorded with the span API of mlflow/tracing.hpp; these read and edit them.

  /// Info and spans. Throws NotFound for an unknown id.
  Trace get_trace(const std::string& trace_id);
  /// One page (max_results per page, default 100) of the experiments' traces, with spans unless
  /// include_spans is false. Refuses what Python refuses: model_id with a filter_string, a
  /// run_id whose experiment is not searched, a run_id together with an mlflow.sourceRun filter,
  /// no experiment ids.
  PagedList<Trace> search_traces(const SearchTracesOptions& options);
  /// Every matching trace, page by page as the range is iterated.
  PageRange<Trace> search_traces_all(SearchTracesOptions options);
  /// Tags of live traces are set in memory (sent when the trace ends). The immutable tags
  /// (mlflow.user, mlflow.artifactLocation, mlflow.trace.spansLocation, ...) are refused with a
  /// warning, as Python.
  void set_trace_tag(const std::string& trace_id, const std::string& key, const std::string& value);
  void delete_trace_tag(const std::string& trace_id, const std::string& key);
  /// Either options.trace_ids or options.max_timestamp_millis (with an optional positive
  /// max_traces); returns the number deleted.
  int delete_traces(const std::string& experiment_id, const DeleteTracesOptions& options);
  /// At most 100 traces per call (the server's limit).
  void link_traces_to_run(const std::vector<std::string>& trace_ids, const std::string& run_id);
  /// Logs an assessment on a stored trace, or on a live trace in memory (sent with it).
  Assessment log_assessment(const std::string& trace_id, Assessment assessment);
  Assessment get_assessment(const std::string& trace_id, const std::string& assessment_id);
  /// Replaces name, value (feedback or expectation), rationale and metadata with
  /// `assessment`'s.
  Assessment update_assessment(const std::string& trace_id, const std::string& assessment_id,
                               const Assessment& assessment);
  void delete_assessment(const std::string& trace_id, const std::string& assessment_id);

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace mlflow
