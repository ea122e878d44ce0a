// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The logged-model RPCs of MLflow 3 (CreateLoggedModel ... SearchLoggedModels, LogOutputs),
// as a seam of its own beside TrackingStore so the tracking interface stays as it is. Both
// stores implement it on the same object as their TrackingStore (same connection, same
// database); MlflowClient reaches it with a dynamic_cast. Input arrives validated.

#include <string>
#include <utility>
#include <vector>

#include "mlflow/logged_model.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/run.hpp"

namespace mlflow::internal {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// What CreateLoggedModel carries on the wire.
struct CreateLoggedModelRequest {
  std::string experiment_id;
  std::optional<std::string> name;
  std::optional<std::string> source_run_id;
  std::optional<std::string> model_type;
  KeyValues tags;
  KeyValues params;
};

class LoggedModelStore {
 public:
  virtual ~LoggedModelStore() = default;

  virtual LoggedModel create_logged_model(const CreateLoggedModelRequest& request) = 0;
  /// LogLoggedModelParams: one request's worth (the client splits in batches of 100).
  virtual void log_logged_model_params(const std::string& model_id, const KeyValues& params) = 0;
  virtual LoggedModel get_logged_model(const std::string& model_id, bool allow_deleted) = 0;
  /// Soft delete.
  virtual void delete_logged_model(const std::string& model_id) = 0;
  virtual LoggedModel finalize_logged_model(const std::string& model_id,
                                            LoggedModelStatus status) = 0;
  /// Upsert; a key repeated in one call keeps its last value.
  virtual void set_logged_model_tags(const std::string& model_id, const KeyValues& tags) = 0;
  virtual void delete_logged_model_tag(const std::string& model_id, const std::string& key) = 0;
  virtual PagedList<LoggedModel> search_logged_models(
      const std::vector<std::string>& experiment_ids, const SearchLoggedModelsOptions& options) = 0;
  /// LogOutputs (runs/outputs): run -> model edges with a step.
  virtual void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) = 0;
};

}  // namespace mlflow::internal
