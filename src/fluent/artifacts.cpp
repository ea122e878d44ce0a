// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent artifact functions (Python's mlflow.log_artifact, log_artifacts, log_text,
// log_dict, log_table, log_image, log_model, get_artifact_uri): thin calls of MlflowClient's
// artifact methods on the active run.

#include <utility>

#include "core/log.hpp"
#include "fluent/active_model.hpp"
#include "fluent/artifact_uri.hpp"
#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace {

// The target of an artifact call: `run_id` through the default client (Python's
// MlflowClient()), else the active run with the client that started it, else a new run that
// stays active until end_run() (Python's _get_or_start_run).
std::pair<std::string, MlflowClient> target_run(const std::optional<std::string>& run_id) {
  if (run_id && !run_id->empty()) return {*run_id, default_client()};
  internal::Activation& run = internal::active_run_or_start();
  return {run.run_id(), run.client};
}

}  // namespace

void log_artifact(const std::string& local_path, const std::string& artifact_path,
                  const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_artifact(id, local_path, artifact_path);
}

void log_artifacts(const std::string& local_dir, const std::string& artifact_path,
                   const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_artifacts(id, local_dir, artifact_path);
}

void log_text(const std::string& text, const std::string& artifact_file,
              const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_text(id, text, artifact_file);
}

void log_dict(const std::string& json_text, const std::string& artifact_file,
              const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_dict(id, json_text, artifact_file);
}

void log_table(const std::string& data_json, const std::string& artifact_file,
               const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_table(id, data_json, artifact_file);
}

void log_image(const Image& image, const std::string& artifact_file,
               const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_image(id, image, artifact_file);
}

void log_image(const Image& image, const LogImageOptions& options,
               const std::optional<std::string>& run_id) {
  auto [id, client] = target_run(run_id);
  client.log_image(id, image, options);
}

LoggedModel log_model(const std::string& local_path, const LogModelOptions& options) {
  auto [id, client] = target_run(std::nullopt);
  // Python's Model.log creates the model through the fluent API, which adds the context tags
  // (mlflow.user, mlflow.source.*: the UI's "Logged from"); the caller's tags win.
  LogModelOptions with_context = options;
  with_context.tags = internal::context_tags();
  for (const auto& [key, value] : options.tags) with_context.tags[key] = value;
  LoggedModel model = client.log_model(id, local_path, with_context);
  internal::set_last_logged_model_id(model.model_id);
  return model;
}

std::string get_artifact_uri(const std::optional<std::string>& artifact_path) {
  if (internal::current_activation() == nullptr) {
    internal::log(LogLevel::kWarning,
                  "No active run found. A new active run will be created. If this is not "
                  "intended, please create a run using `mlflow.start_run()` first.");
  }
  auto [id, client] = target_run(std::nullopt);
  const std::string root = client.get_run(id).info.artifact_uri;
  if (!artifact_path) return root;
  return internal::append_to_uri_path(root, *artifact_path);
}

}  // namespace mlflow
