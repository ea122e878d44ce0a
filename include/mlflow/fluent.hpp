// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The fluent API: Python's module-level `mlflow.*` tracking functions (mlflow/tracking/
/// fluent.py), built on a process-wide default MlflowClient.
///
/// Threads (see docs/adr/0007-fluent-api-and-threads.md):
/// * Every function here may be called from any thread at the same time.
/// * The tracking URI and the active experiment are process-wide.
/// * "The active run" is per thread, as in Python: each thread has its own stack of runs
///   started with start_run(); active_run(), end_run(), the logging functions and nesting see
///   only the calling thread's stack. A run started in one thread is not active in another;
///   pass its id and use MlflowClient (or start_run({.run_id = id}) in that thread).
/// * The default client is built lazily from get_tracking_uri() and rebuilt when that changes.
///   An active run keeps the client that started it: logging to it and ending it go to the
///   store it lives in even after set_tracking_uri.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/active_run.hpp"
#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/image.hpp"
#include "mlflow/logged_model.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/ordered_dict.hpp"
#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/tracking_options.hpp"
#include "mlflow/view_type.hpp"
#include "mlflow/workspace.hpp"

namespace mlflow {

// ---- Tracking URI and the default client ----------------------------------------------------

/// Sets the process-wide tracking URI (wins over MLFLOW_TRACKING_URI). An empty string unsets it
/// again. Unlike Python, the environment is not modified (setenv is not thread-safe).
void set_tracking_uri(const std::string& uri);
/// set_tracking_uri's value, else MLFLOW_TRACKING_URI, else sqlite:///<abs cwd>/mlflow.db.
std::string get_tracking_uri();
/// True when set_tracking_uri was called or MLFLOW_TRACKING_URI is set.
bool is_tracking_uri_set();
/// The client the fluent functions use (shared; built for get_tracking_uri()).
MlflowClient default_client();

// ---- Experiments ----------------------------------------------------------------------------

/// Makes the experiment named `experiment_name` the active one, creating it when missing.
/// Throws InvalidArgument for a deleted experiment.
Experiment set_experiment(const std::string& experiment_name);
/// Makes experiment `experiment_id` the active one. Throws NotFound when it does not exist,
/// InvalidArgument when it is deleted.
Experiment set_experiment_by_id(const std::string& experiment_id);
Experiment get_experiment(const std::string& experiment_id);
std::optional<Experiment> get_experiment_by_name(const std::string& name);
std::string create_experiment(const std::string& name, const CreateExperimentOptions& options = {});
void delete_experiment(const std::string& experiment_id);
void restore_experiment(const std::string& experiment_id);
/// Every matching experiment (all pages), at most `max_results` when given.
std::vector<Experiment> search_experiments(ViewType view_type = ViewType::kActiveOnly,
                                           std::optional<std::int64_t> max_results = std::nullopt,
                                           const std::string& filter_string = {},
                                           const std::vector<std::string>& order_by = {});
/// Tags of the active experiment (set_experiment, else the environment, else "0").
void set_experiment_tag(const std::string& key, const std::string& value);
void set_experiment_tags(const OrderedDict<std::string>& tags);
void delete_experiment_tag(const std::string& key);

// ---- Runs -----------------------------------------------------------------------------------

/// start_run(run_id, experiment_id, run_name, nested, parent_run_id, tags, description,
/// log_system_metrics)
struct StartRunOptions {
  /// Resume this run (status set back to RUNNING) instead of creating one.
  std::optional<std::string> run_id{};
  /// Where a new run goes; default: the active experiment (see active experiment rules).
  std::optional<std::string> experiment_id{};
  std::optional<std::string> run_name{};
  /// Required to start a run while another is active in this thread.
  bool nested = false;
  /// Must equal the active run when there is one (then `nested` is needed too).
  std::optional<std::string> parent_run_id{};
  /// Win over the context tags.
  std::map<std::string, std::string> tags{};
  /// Stored as the `mlflow.note.content` tag.
  std::optional<std::string> description{};
  /// Log system metrics while the run is active (mlflow/system_metrics.hpp); std::nullopt:
  /// enable/disable_system_metrics_logging(), else env MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING.
  std::optional<bool> log_system_metrics{};
};

/// Starts (or resumes) a run and pushes it on this thread's run stack.
///
/// The experiment of a new run: options.experiment_id, else set_experiment's, else env
/// MLFLOW_EXPERIMENT_NAME (created when missing) / MLFLOW_EXPERIMENT_ID, else "0". A run is
/// resumed for options.run_id, else for env MLFLOW_RUN_ID (each value of that variable is used
/// once per process, as Python deletes it after use). New runs get Python's context tags:
/// mlflow.user, mlflow.source.name (the program), mlflow.source.type = LOCAL,
/// mlflow.source.git.commit (when the program lies in a git checkout), the JSON object of env
/// MLFLOW_RUN_CONTEXT, mlflow.runName, mlflow.parentRunId, mlflow.note.content; user tags win.
///
/// Throws MlflowException (INVALID_STATE) when a run is active in this thread and `nested` is
/// false, with Python's message; InvalidArgument when `parent_run_id` is not the active run.
/// Discarding the result ends the run at once: keep it, or call detach() on it.
[[nodiscard]] ActiveRun start_run(const StartRunOptions& options = {});
/// Python's mlflow.tracking.context.registry.resolve_tags(tags): the context tags start_run
/// gives a new run (mlflow.user, mlflow.source.name, mlflow.source.type, mlflow.source.git.commit,
/// MLFLOW_RUN_CONTEXT) merged with `tags`, which win. For runs created with
/// MlflowClient::create_run that should look like start_run's (the mlflow-cpp tool's
/// `runs create`, which leaves its run RUNNING after the process exits).
std::map<std::string, std::string> resolve_tags(
    const std::map<std::string, std::string>& tags = {});
/// The top of this thread's run stack (the Run as of start), or std::nullopt.
std::optional<Run> active_run();
/// The active run of this thread (fresh from the store), else the run this thread ended last,
/// else std::nullopt.
std::optional<Run> last_active_run();
/// Ends the top run of this thread's stack (no-op when there is none).
void end_run(RunStatus status = RunStatus::kFinished);
Run get_run(const std::string& run_id);
std::optional<Run> get_parent_run(const std::string& run_id);
void delete_run(const std::string& run_id);
void restore_run(const std::string& run_id);

/// search_runs(experiment_ids, filter_string, run_view_type, max_results, order_by,
/// search_all_experiments, experiment_names); output_format "list".
struct FluentSearchRunsOptions {
  /// Empty (and no names, not search_all_experiments): the active experiment.
  std::vector<std::string> experiment_ids{};
  std::string filter_string{};
  ViewType run_view_type = ViewType::kActiveOnly;
  std::int64_t max_results = 100000;
  std::vector<std::string> order_by{};
  bool search_all_experiments = false;
  /// Resolved to ids; unknown names are skipped (as Python). Not together with experiment_ids.
  std::vector<std::string> experiment_names{};
};
std::vector<Run> search_runs(const FluentSearchRunsOptions& options = {});

// ---- Logging to the active run (started automatically when there is none, as Python) -----

void log_metric(const std::string& key, double value, const LogMetricOptions& options = {});
/// All with the same timestamp (now) and `step` (0 when absent), stored in the order given
/// (see OrderedDict; a std::map still works).
/// `synchronous` here and below: as LogMetricOptions::synchronous (false = queued for the
/// client's asynchronous logger; absent = MLFLOW_ENABLE_ASYNC_LOGGING).
void log_metrics(const OrderedDict<double>& metrics,
                 std::optional<std::int64_t> step = std::nullopt,
                 std::optional<bool> synchronous = std::nullopt);
/// Returns `value` (as Python).
std::string log_param(const std::string& key, const std::string& value,
                      std::optional<bool> synchronous = std::nullopt);
/// Stored in the order given, as Python's log_params keeps its dict's order (the UI lists params
/// in that order): `mlflow::log_params({{"lr", "0.1"}, {"epochs", "10"}});`.
void log_params(const OrderedDict<std::string>& params,
                std::optional<bool> synchronous = std::nullopt);
void set_tag(const std::string& key, const std::string& value,
             std::optional<bool> synchronous = std::nullopt);
/// Stored in the order given.
void set_tags(const OrderedDict<std::string>& tags, std::optional<bool> synchronous = std::nullopt);
/// Waits until everything logged asynchronously by this process (every client) is stored;
/// throws MlflowException naming what was lost and why when something was given up. Ending a
/// run (end_run, ActiveRun) and process exit drain it too. Python's flush_async_logging().
void flush_async_logging();
/// The same within `timeout` for all clients together: true when everything was stored and
/// nothing given up (see MlflowClient::flush_async_logging(timeout)).
bool flush_async_logging(std::chrono::milliseconds timeout);
/// Stops asynchronous logging of every client of the process, all at once, within `timeout`
/// (see MlflowClient::shutdown_async_logging): later asynchronous calls are sent
/// synchronously (a client that had not logged asynchronously yet starts afresh). True when
/// everything was stored.
bool shutdown_async_logging(std::chrono::milliseconds timeout);
void delete_tag(const std::string& key);
/// One dataset; `context` becomes the `mlflow.data.context` input tag.
void log_input(const Dataset& dataset, const std::optional<std::string>& context = std::nullopt,
               const std::map<std::string, std::string>& tags = {});
void log_inputs(const std::vector<DatasetInput>& datasets);

// ---- Logged models (MLflow 3) ----------------------------------------------------------------

/// Python's mlflow.initialize_logged_model: a PENDING model. source_run_id defaults to this
/// thread's active run; the experiment to `experiment_id`, else the active run's, else the
/// active experiment (as start_run), else the source run's. Context tags (mlflow.user,
/// mlflow.source.*) are added; the given tags win.
LoggedModel initialize_logged_model(const CreateLoggedModelOptions& options = {},
                                    const std::optional<std::string>& experiment_id = std::nullopt);
/// Python's mlflow.finalize_logged_model (kReady or kFailed).
LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status);
// ---- Workspaces (Python's mlflow.set_workspace, mlflow.list_workspaces, ...) ---------------

/// Makes `workspace` the process-wide workspace of the fluent API's default client (wins over
/// MLFLOW_WORKSPACE; sent as X-MLFLOW-WORKSPACE). Any name but `default` is validated first
/// (InvalidArgument). std::nullopt unsets it again; unlike Python, the environment is not
/// modified (setenv is not thread-safe), so MLFLOW_WORKSPACE then applies again. Runs already
/// active keep the client (and workspace) that started them.
void set_workspace(const std::optional<std::string>& workspace);
/// The default client's workspaces; see MlflowClient::list_workspaces.
std::vector<Workspace> list_workspaces();
/// Metadata of workspace `name` (as Python's mlflow.get_workspace(name)).
Workspace get_workspace(const std::string& name);
Workspace create_workspace(const std::string& name, const CreateWorkspaceOptions& options = {});
Workspace update_workspace(const std::string& name, const UpdateWorkspaceOptions& options);
void delete_workspace(const std::string& name,
                      WorkspaceDeletionMode mode = WorkspaceDeletionMode::kRestrict);
// ---- Artifacts of the active run, and the registry URI ------------------------------------
// As Python: with no `run_id`, the active run of this thread (started when there is none) and
// the client that started it; with a `run_id`, that run through default_client(). The paths
// follow MlflowClient's artifact methods (mlflow/mlflow_client.hpp).

/// Uploads a file (or a directory, as `<artifact_path>/<directory name>/...`).
void log_artifact(const std::string& local_path, const std::string& artifact_path = "",
                  const std::optional<std::string>& run_id = std::nullopt);
/// Uploads the files below `local_dir` to `<artifact_path>/<relative path>`.
void log_artifacts(const std::string& local_dir, const std::string& artifact_path = "",
                   const std::optional<std::string>& run_id = std::nullopt);
/// Stores `text` as the file `artifact_file` (e.g. "notes/readme.txt").
void log_text(const std::string& text, const std::string& artifact_file,
              const std::optional<std::string>& run_id = std::nullopt);
/// Stores the JSON document `json_text` (validated) as `artifact_file`, pretty-printed as
/// Python's log_dict does (MlflowClient::log_dict).
void log_dict(const std::string& json_text, const std::string& artifact_file,
              const std::optional<std::string>& run_id = std::nullopt);
/// The active run's artifact root URI (starting a run when there is none); with
/// `artifact_path`, that path appended to the URI's path component (Python's
/// append_to_uri_path: "a/b" and "/a/b" give ".../artifacts/a/b"; "" gives ".../artifacts/").
std::string get_artifact_uri(const std::optional<std::string>& artifact_path = std::nullopt);
/// Sets the process-wide model registry URI (wins over MLFLOW_REGISTRY_URI); "" unsets it.
/// default_client() (hence every fluent registry call) uses it from then on. Like
/// set_tracking_uri, the environment is not modified.
void set_registry_uri(const std::string& uri);
/// set_registry_uri's value, else MLFLOW_REGISTRY_URI, else get_tracking_uri().
std::string get_registry_uri();

// ---- Tables, images and models of the active run (same run rules as log_artifact) ----------

/// Python's mlflow.log_table; see MlflowClient::log_table for the JSON layout.
void log_table(const std::string& data_json, const std::string& artifact_file,
               const std::optional<std::string>& run_id = std::nullopt);
/// Python's mlflow.log_image(image, artifact_file): a PNG file.
void log_image(const Image& image, const std::string& artifact_file,
               const std::optional<std::string>& run_id = std::nullopt);
/// Python's mlflow.log_image(image, key=..., step=...): MLflow 3's keyed, stepped image.
void log_image(const Image& image, const LogImageOptions& options,
               const std::optional<std::string>& run_id = std::nullopt);
/// A local model file or directory logged as a logged model of the active run (started when
/// there is none), as Python's `mlflow.<flavor>.log_model`; see MlflowClient::log_model.
LoggedModel log_model(const std::string& local_path, const LogModelOptions& options = {});

// ---- Model registry and prompts (Python's mlflow.* and mlflow.genai.* functions) -----------
// Through default_client(), i.e. the registry URI of set_registry_uri / MLFLOW_REGISTRY_URI,
// else the tracking URI.

/// Python's mlflow.register_model("runs:/<id>/<path>" or "models:/<model_id>", name).
ModelVersion register_model(const std::string& model_uri, const std::string& name,
                            const RegisterModelOptions& options = {});
/// Every matching registered model (all pages, as Python's fluent function returns a list).
std::vector<RegisteredModel> search_registered_models(
    const SearchRegisteredModelsOptions& options = {});
/// Every matching model version (all pages).
std::vector<ModelVersion> search_model_versions(const SearchModelVersionsOptions& options = {});
void set_model_version_tag(const std::string& name, const std::string& version,
                           const std::string& key, const std::string& value);
/// Python's mlflow.genai.register_prompt (text template).
PromptVersion register_prompt(const std::string& name, const std::string& template_text,
                              const RegisterPromptOptions& options = {});
/// Python's mlflow.genai.register_prompt (chat messages).
PromptVersion register_prompt(const std::string& name, const std::vector<ChatMessage>& messages,
                              const RegisterPromptOptions& options = {});
/// Python's mlflow.genai.load_prompt: a name, prompts:/name/3 or prompts:/name@alias (cached).
std::optional<PromptVersion> load_prompt(const std::string& name_or_uri,
                                         const LoadPromptOptions& options = {});
/// Python's mlflow.genai.search_prompts: every matching prompt (all pages, a list as in Python;
/// options.max_results is the page size).
std::vector<Prompt> search_prompts(const SearchPromptsOptions& options = {});
void set_prompt_alias(const std::string& name, const std::string& alias, int version);
void delete_prompt_alias(const std::string& name, const std::string& alias);

// ---- Signals --------------------------------------------------------------------------------

/// Installs handlers for SIGINT and SIGTERM: a signal ends every active run of the fluent API
/// (all threads) as KILLED, then the signal's default action runs (the process terminates).
/// The handler itself only writes to a pipe (async-signal-safe); a watcher thread does the
/// store calls. Idempotent. Replaces the program's own handlers of those two signals. A child
/// made with fork() inherits the handlers but simply dies of the signal (its runs stay as they
/// are); exec() restores the defaults.
void install_signal_handlers();

}  // namespace mlflow
