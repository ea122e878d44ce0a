// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// LoggedModel (MLflow 3): a model as a first-class object of an experiment, with its own
/// artifact location, status, tags, params and metrics, addressed as `models:/<model_id>`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/metric.hpp"
#include "mlflow/model_signature.hpp"

namespace mlflow {

/// Python's mlflow.entities.LoggedModelStatus. Stored as 0..3 in SQL; on the wire as
/// LOGGED_MODEL_STATUS_UNSPECIFIED, LOGGED_MODEL_PENDING, LOGGED_MODEL_READY,
/// LOGGED_MODEL_UPLOAD_FAILED.
enum class LoggedModelStatus { kUnspecified = 0, kPending = 1, kReady = 2, kFailed = 3 };

/// Python's names: "UNSPECIFIED", "PENDING", "READY", "FAILED".
std::string to_string(LoggedModelStatus status);
/// Accepts Python's names and the proto names (LOGGED_MODEL_READY ...). Throws
/// InvalidArgument for anything else.
LoggedModelStatus logged_model_status_from_string(const std::string& text);

struct LoggedModel {
  /// "m-" + 32 lowercase hex digits.
  std::string model_id{};
  std::string experiment_id{};
  std::string name{};
  /// `<experiment artifact location>/models/<model_id>/artifacts`.
  std::string artifact_location{};
  /// Milliseconds since the Unix epoch.
  std::int64_t creation_timestamp = 0;
  std::int64_t last_updated_timestamp = 0;
  LoggedModelStatus status = LoggedModelStatus::kUnspecified;
  std::optional<std::string> model_type = std::nullopt;
  std::optional<std::string> source_run_id = std::nullopt;
  std::optional<std::string> status_message = std::nullopt;
  std::map<std::string, std::string> tags{};
  std::map<std::string, std::string> params{};
  /// Metrics logged with this model_id (each carries run_id and its dataset, if any).
  std::vector<Metric> metrics{};

  /// "models:/<model_id>", the URI Python's load/register functions take.
  std::string model_uri() const { return "models:/" + model_id; }
};

/// Python's create_logged_model keyword arguments.
struct CreateLoggedModelOptions {
  /// A random name ("adjective-animal-123") when unset. May not contain / : . % " '
  std::optional<std::string> name = std::nullopt;
  /// The run that produced the model.
  std::optional<std::string> source_run_id = std::nullopt;
  std::map<std::string, std::string> tags{};
  std::map<std::string, std::string> params{};
  /// Free text used to group and compare models (e.g. "agent").
  std::optional<std::string> model_type = std::nullopt;
};

/// Restricts metric filters and orderings of search_logged_models to metrics logged on a
/// dataset (any digest when dataset_digest is unset).
struct LoggedModelDatasetFilter {
  std::string dataset_name{};
  std::optional<std::string> dataset_digest = std::nullopt;
};

/// One order_by entry: an attribute (name, model_id, creation_time, ...) or "metrics.<key>".
struct LoggedModelOrderBy {
  std::string field_name{};
  bool ascending = true;
  /// For a metric: only values logged on this dataset count.
  std::optional<std::string> dataset_name = std::nullopt;
  std::optional<std::string> dataset_digest = std::nullopt;
};

struct SearchLoggedModelsOptions {
  /// e.g. "metrics.accuracy > 0.9 AND params.lr = '0.01' AND name LIKE 'cnn%'".
  std::string filter_string{};
  std::vector<LoggedModelDatasetFilter> datasets{};
  /// Unset: the store's default (100 on MLflow's SQL store).
  std::optional<int> max_results = std::nullopt;
  /// Default order: creation time, newest first, then model_id.
  std::vector<LoggedModelOrderBy> order_by{};
  std::string page_token{};
};

/// What MlflowClient::log_model does with a local model file or directory.
struct LogModelOptions {
  /// Name of the logged model (and MLmodel's artifact_path in Python's sense); random when
  /// empty.
  std::string name{};
  /// Step of the run output edge (Python's log_model `step`).
  std::int64_t step = 0;
  std::optional<std::string> model_type = std::nullopt;
  std::map<std::string, std::string> tags{};
  /// Added to the run's params, which are copied onto the model as Python does.
  std::map<std::string, std::string> params{};
  /// The MLmodel flavor: "auto" picks "onnx" for a .onnx file (or a directory holding
  /// exactly one), none otherwise; "" writes no flavor; "onnx" forces it.
  std::string flavor = "auto";
  /// Written as the onnx flavor's onnx_version when set (Python records onnx.__version__).
  std::optional<std::string> onnx_version = std::nullopt;
  /// What the model takes and gives (Python's `signature=`): written to `MLmodel`, read by
  /// mlflow.models.Model.load and shown by the UI as the model version's schema. At least
  /// one of inputs and outputs, as Python requires.
  std::optional<ModelSignature> signature = std::nullopt;
  /// Free-form metadata written to `MLmodel` (Python's `metadata=`).
  std::map<std::string, std::string> metadata{};
};

}  // namespace mlflow
