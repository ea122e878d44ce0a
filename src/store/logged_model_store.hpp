// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The logged-model RPCs of MLflow 3 (CreateLoggedModel ... SearchLoggedModels, LogOutputs),
// as a seam of its own beside TrackingStore so the tracking interface stays as it is. Both
// stores implement it on the same object as their TrackingStore (same connection, same
// database); the backend bundle (store/backend.hpp) hands it to MlflowClient as its own
// pointer. Input arrives validated. Methods not overridden answer with the store's Unserved
// error (store/unserved.hpp).

#include <string>
#include <utility>
#include <vector>

#include "mlflow/logged_model.hpp"
#include "mlflow/paged_list.hpp"
#include "mlflow/run.hpp"
#include "store/unserved.hpp"

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
  /// Serves what a subclass overrides; every other call says the backend has no logged
  /// models.
  LoggedModelStore();
  /// Serves nothing: every call throws `why`.
  explicit LoggedModelStore(Unserved why) : why_(std::move(why)) {}
  virtual ~LoggedModelStore() = default;

  virtual LoggedModel create_logged_model(const CreateLoggedModelRequest& request);
  /// LogLoggedModelParams: one request's worth (the client splits in batches of 100).
  virtual void log_logged_model_params(const std::string& model_id, const KeyValues& params);
  virtual LoggedModel get_logged_model(const std::string& model_id, bool allow_deleted);
  /// Soft delete.
  virtual void delete_logged_model(const std::string& model_id);
  virtual LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status);
  /// Upsert; a key repeated in one call keeps its last value.
  virtual void set_logged_model_tags(const std::string& model_id, const KeyValues& tags);
  virtual void delete_logged_model_tag(const std::string& model_id, const std::string& key);
  virtual PagedList<LoggedModel> search_logged_models(
      const std::vector<std::string>& experiment_ids, const SearchLoggedModelsOptions& options);
  /// LogOutputs (runs/outputs): run -> model edges with a step.
  virtual void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models);

 private:
  Unserved why_;
};

}  // namespace mlflow::internal
