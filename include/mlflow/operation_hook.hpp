// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Operation hooks: the one place every MlflowClient operation passes, before it runs (where a
/// hook may refuse it) and after (with its outcome and duration). Governance (attribution,
/// cost, budgets, policies) and logging build on it. See docs/adr/0014-operation-hook.md.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlflow/errors.hpp"

namespace mlflow {

/// What kind of MLflow object an operation works on.
enum class OperationKind {
  kTracking,          ///< experiments, runs, metrics, params, tags, inputs, histories
  kLoggedModel,       ///< MLflow 3 logged models (create, finalize, search, log_model, ...)
  kRegistry,          ///< registered models and model versions
  kPrompt,            ///< the prompt registry
  kWorkspace,         ///< workspace administration
  kArtifactUpload,    ///< files sent to an artifact store (log_artifact, log_text, log_image, ...)
  kArtifactDownload,  ///< reads from an artifact store (download_artifacts, list_artifacts, ...)
  kTrace,             ///< GenAI traces and their assessments (get_trace, search_traces, ...)
};

/// "tracking", "logged_model", "registry", "prompt", "workspace", "artifact_upload",
/// "artifact_download", "trace".
const char* to_string(OperationKind kind) noexcept;

/// What an operation acts on, as far as its arguments (and, after it ran, its result) say.
/// Fields that do not apply stay empty.
struct OperationTarget {
  std::string experiment_id;
  std::string run_id;
  /// A logged model (MLflow 3).
  std::string model_id;
  /// A registered model, or the registered model behind a prompt.
  std::string registered_model;
  /// A prompt's name (kPrompt operations).
  std::string prompt;
  /// A model version or prompt version.
  std::string version;
  /// A workspace (kWorkspace operations).
  std::string workspace;
  /// A trace ("tr-..."; kTrace operations on one trace).
  std::string trace_id;
  /// The artifact path inside the run or model (artifact operations).
  std::string artifact_path;
  /// The artifact root the files go to or come from (e.g. "s3://bucket/1/<run>/artifacts",
  /// "mlflow-artifacts:/..."); known only after the run or model was read, so set for after().
  std::string artifact_uri;
  /// The parent of a run being created (create_run's `mlflow.parentRunId` tag).
  std::string parent_run_id;
};

/// One call of an MlflowClient method.
struct Operation {
  /// Unique in the process (never 0): lets a hook keep per-call state from before() to after()
  /// (a budget reservation, a span).
  std::uint64_t id = 0;
  /// The id of the operation this one runs inside on the same thread (see `depth`); 0 for a
  /// call of the program.
  std::uint64_t parent_id = 0;
  /// Python's name of the method, e.g. "log_metric", "create_model_version", "log_artifact".
  /// Paged ranges (`search_runs_all`, ...) report each page they fetch as the paged call.
  std::string_view name;
  OperationKind kind = OperationKind::kTracking;
  OperationTarget target;
  /// Items sent: 1 for a single metric/param/tag, metrics + params + tags of a batch, the
  /// datasets of log_inputs, the params of a logged model; 0 for reads.
  std::uint64_t items = 0;
  /// Bytes of artifact files: for uploads the local files' size, known before anything is
  /// sent; for downloads the bytes written, known after. 0 for other operations.
  std::uint64_t bytes = 0;
  /// Queued for the client's asynchronous logger (`synchronous = false`): reported when
  /// queued, on the caller's thread; the background send is not reported again.
  bool asynchronous = false;
  /// 0 for a call of the program; 1 and more for the calls an operation makes itself on the
  /// same thread (log_model's create_logged_model and uploads, register_model's
  /// create_model_version, ...). Count depth 0 for "one per call" figures, every depth for
  /// bytes.
  int depth = 0;
  /// The client's tracking URI, credentials removed.
  std::string tracking_uri;
  /// Tags a hook's before() adds to the object an operation creates, sent in the same
  /// request: create_experiment, create_run, create_registered_model and create_model_version
  /// read them (tags the caller gave explicitly win over a hook's tag of the same key).
  /// Mutable so that before(const Operation&) may append; other operations ignore it.
  mutable std::vector<std::pair<std::string, std::string>> added_tags;
};

/// How an operation ended.
struct OperationOutcome {
  /// False when it threw (including a veto).
  bool ok = true;
  /// When !ok: the MlflowException's code (kInternalError for other exceptions).
  ErrorCode error_code = ErrorCode::kInternalError;
  /// When !ok: the exception's message.
  std::string error_message;
  /// A before() hook refused the operation: nothing of it ran.
  bool vetoed = false;
  /// When the operation started (after every before()); with `duration`, a span's times.
  std::chrono::system_clock::time_point started_at{};
  /// Time spent in the operation (after every before(), before any after()).
  std::chrono::nanoseconds duration{0};
};

/// Observes (and may refuse) client operations. Called on the thread of the operation, from
/// many threads at once: implementations must be thread-safe.
class OperationHook {
 public:
  virtual ~OperationHook() = default;
  /// Before the operation sends or stores anything. Throwing refuses it: the exception reaches
  /// the caller unchanged (throw an MlflowException subclass), the operation does nothing,
  /// and the hooks whose before() already ran see an outcome with `vetoed`.
  virtual void before(const Operation& operation);
  /// After the operation (done, failed or refused). `operation` carries what the result
  /// added (a created run's id, the artifact root, downloaded bytes). An exception thrown
  /// here is logged and dropped: the operation has already happened.
  virtual void after(const Operation& operation, const OperationOutcome& outcome);
};

/// Installs `hook` for every client of the process (before the clients' own hooks of
/// ClientOptions::operation_hooks). Thread-safe; installing the same hook twice calls it twice.
void add_operation_hook(std::shared_ptr<OperationHook> hook);
/// Uninstalls one installation of `hook`; false when it was not installed. Thread-safe;
/// calls already under way may still reach it.
bool remove_operation_hook(const std::shared_ptr<OperationHook>& hook);

}  // namespace mlflow
