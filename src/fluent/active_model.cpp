// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The active model and the fluent logged-model functions (mlflow/tracking/fluent.py in 3.18:
// set_active_model, clear_active_model, get_active_model_id, create_external_model,
// last_logged_model, get_logged_model, search_logged_models, ...).

#include "fluent/active_model.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "fluent/state.hpp"
#include "mlflow/active_model.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace internal {
namespace {

// Python's ActiveModelContext per thread: unset = the environment's default; a cleared context
// holds std::nullopt explicitly.
struct ThreadModels {
  std::mutex mutex;
  std::map<std::thread::id, std::optional<std::string>> by_thread;
};

ThreadModels& thread_models() {
  static ThreadModels* models = new ThreadModels();  // NOLINT: used until the process ends
  return *models;
}

std::optional<std::string> env_model_id() {
  for (const char* name : {"MLFLOW_ACTIVE_MODEL_ID", "_MLFLOW_ACTIVE_MODEL_ID"}) {
    if (const char* v = std::getenv(name); v != nullptr) return std::string(v);
  }
  return std::nullopt;
}

thread_local std::optional<std::string> t_last_logged_model_id;

}  // namespace

std::optional<std::string> active_model_id_this_thread() {
  auto& m = thread_models();
  std::lock_guard<std::mutex> lock(m.mutex);
  const auto it = m.by_thread.find(std::this_thread::get_id());
  if (it != m.by_thread.end()) return it->second;
  return env_model_id();
}

void set_active_model_id_this_thread(std::optional<std::string> model_id) {
  auto& m = thread_models();
  std::lock_guard<std::mutex> lock(m.mutex);
  m.by_thread[std::this_thread::get_id()] = std::move(model_id);
}

std::optional<std::string> active_model_id_global() {
  if (auto mine = active_model_id_this_thread()) return mine;
  auto& m = thread_models();
  std::lock_guard<std::mutex> lock(m.mutex);
  std::optional<std::string> found;
  for (const auto& [thread, id] : m.by_thread) {
    if (!id) continue;
    if (found && *found != *id) return std::nullopt;  // threads disagree: none (as Python)
    found = id;
  }
  return found;
}

void set_last_logged_model_id(const std::string& model_id) { t_last_logged_model_id = model_id; }

}  // namespace internal

LoggedModel set_active_model(const std::optional<std::string>& name,
                             const std::optional<std::string>& model_id) {
  if (!name && !model_id) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "Either name or model_id must be provided");
  }
  MlflowClient client = default_client();
  LoggedModel model;
  if (model_id) {
    model = client.get_logged_model(*model_id);
    if (name && model.name != *name) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "LoggedModel with model_id '" + *model_id + "' has name '" +
                                model.name + "', which does not match the provided name '" + *name +
                                "'.");
    }
  } else {
    SearchLoggedModelsOptions search;
    search.filter_string = "name='" + *name + "'";
    search.max_results = 2;
    const auto found = search_logged_models(search);
    if (found.size() > 1) {
      internal::log(LogLevel::kWarning, "mlflow: multiple LoggedModels found with name '" + *name +
                                            "', setting the latest one as active model.");
    }
    if (found.empty()) {
      CreateLoggedModelOptions create;
      create.name = *name;
      model = create_external_model(create);
    } else {
      model = found.front();
    }
  }
  internal::set_active_model_id_this_thread(model.model_id);
  return model;
}

void clear_active_model() { internal::set_active_model_id_this_thread(std::nullopt); }

std::optional<std::string> get_active_model_id() { return internal::active_model_id_this_thread(); }

LoggedModel create_external_model(const CreateLoggedModelOptions& options,
                                  const std::optional<std::string>& experiment_id) {
  CreateLoggedModelOptions create = options;
  create.tags["mlflow.model.isExternal"] = "true";
  LoggedModel model = initialize_logged_model(create, experiment_id);
  MlflowClient client = default_client();
  // The MLmodel file Python writes for an external model, so that the model can be registered
  // and readers see that its artifacts live elsewhere.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("mlflow-cpp-external-" + internal::uuid4_hex());
  fs::create_directories(dir);
  try {
    std::ofstream out(dir / "MLmodel");
    out << "artifact_path: " << model.artifact_location << "\n"
        << "metadata:\n  mlflow.model.isExternal: true\n"
        << "mlflow_version: 3.18.0\n"
        << "model_id: " << model.model_id << "\n"
        << "model_uuid: " << model.model_id << "\n"
        << "run_id: " << model.source_run_id.value_or("null") << "\n"
        << "signature:\n  inputs: '[{\"type\": \"boolean\", \"required\": true}]'\n"
        << "  outputs: '[{\"type\": \"boolean\", \"required\": true}]'\n"
        << "  params: null\n";
    out.close();
    client.log_model_artifacts(model.model_id, dir.string());
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  model = client.finalize_logged_model(model.model_id, LoggedModelStatus::kReady);
  internal::set_last_logged_model_id(model.model_id);
  return model;
}

std::optional<LoggedModel> last_logged_model() {
  if (!internal::t_last_logged_model_id) return std::nullopt;
  return default_client().get_logged_model(*internal::t_last_logged_model_id);
}

LoggedModel get_logged_model(const std::string& model_id) {
  return default_client().get_logged_model(model_id);
}

std::vector<LoggedModel> search_logged_models(const SearchLoggedModelsOptions& options,
                                              std::vector<std::string> experiment_ids) {
  if (experiment_ids.empty()) experiment_ids.push_back(internal::resolve_experiment_id());
  MlflowClient client = default_client();
  std::vector<LoggedModel> out;
  SearchLoggedModelsOptions page = options;
  const std::optional<int> wanted = options.max_results;
  while (true) {
    if (wanted) page.max_results = *wanted - static_cast<int>(out.size());
    auto result = client.search_logged_models(experiment_ids, page);
    out.insert(out.end(), result.items.begin(), result.items.end());
    if (result.token.empty() || (wanted && static_cast<int>(out.size()) >= *wanted)) break;
    page.page_token = result.token;
  }
  return out;
}

void set_logged_model_tags(const std::string& model_id,
                           const std::map<std::string, std::string>& tags) {
  default_client().set_logged_model_tags(model_id, tags);
}

void delete_logged_model_tag(const std::string& model_id, const std::string& key) {
  default_client().delete_logged_model_tag(model_id, key);
}

void log_model_params(const std::map<std::string, std::string>& params,
                      const std::optional<std::string>& model_id) {
  std::optional<std::string> id = model_id ? model_id : get_active_model_id();
  if (!id) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "A model_id must be provided when there is no active model.");
  }
  default_client().log_model_params(*id, params);
}

void log_outputs(const std::vector<ModelOutput>& models) {
  // Python's _get_or_start_run: a run started here stays active until end_run().
  internal::Activation& active = internal::active_run_or_start();
  active.client.log_outputs(active.run_id(), models);
}

}  // namespace mlflow
