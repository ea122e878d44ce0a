// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's logged-model methods, with the behaviour of Python's MlflowClient in 3.18
// (mlflow/tracking/client.py) and of mlflow.models.Model.log for log_model.
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "artifacts/artifact_path.hpp"
#include "artifacts/artifact_repository.hpp"
#include "client/client_impl.hpp"
#include "client/mlmodel_file.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

// Python's _MLFLOW_CREATE_LOGGED_MODEL_PARAMS_BATCH_SIZE / _LOG_LOGGED_MODEL_PARAMS_BATCH_SIZE.
constexpr std::size_t kParamsBatch = 100;

constexpr OperationKind kLoggedModel = OperationKind::kLoggedModel;
using internal::on_logged_model;

void require_model_id(const std::string& model_id) {
  if (model_id.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "`model_id` must be a non-empty string, but got ''");
  }
}

// The items in order, refusing text Python could not hold ("tag", "param" name them).
template <class Items>
internal::KeyValues to_key_values(const Items& items, const std::string& what) {
  for (const auto& [key, value] : items) {
    internal::utf8::require_valid(key, what + " key");
    internal::utf8::require_valid(value, what + " value");
  }
  return internal::KeyValues(items.begin(), items.end());
}

// Python checks that the model can be read before a write and reports failure this way.
// The store of `model_id`, once the id is valid and the model readable: writes to a model the
// caller cannot read (or one that is gone) are refused with `what` (a hint) and the cause.
internal::LoggedModelStore& readable_model_store(internal::LoggedModelStore& store,
                                                 const std::string& model_id,
                                                 const std::string& what) {
  require_model_id(model_id);
  try {
    store.get_logged_model(model_id, false);
  } catch (const MlflowException& e) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Failed to get logged model with ID " + model_id +
                    ". You may not have access to the logged model, or the logged model may "
                    "have been deleted. " +
                    what + " (cause: " + e.what() + ")");
  }
  return store;
}

// The repository of the model's artifact location, reached the way run artifacts are (with
// the backend's artifact context, so mlflow-artifacts: URIs go to the same server).
std::unique_ptr<internal::ArtifactRepository> model_repository(const MlflowClient::Impl& impl,
                                                               const LoggedModel& model,
                                                               Operation* op = nullptr) {
  if (op) {
    op->target.experiment_id = model.experiment_id;
    op->target.artifact_uri = model.artifact_location;
  }
  return internal::make_artifact_repository(model.artifact_location, impl.artifact_context());
}

// An artifact operation of the logged model `model_id` at `artifact_path`, moving `bytes`.
auto on_model_artifacts(const std::string& model_id, const std::string& artifact_path,
                        std::uint64_t bytes) {
  return internal::on_artifact_transfer(&OperationTarget::model_id, model_id, artifact_path, bytes);
}

// Notes a model's ids for the hooks' after().
void note_model(Operation* op, const LoggedModel& model) {
  if (!op) return;
  op->target.model_id = model.model_id;
  op->target.experiment_id = model.experiment_id;
  op->target.artifact_uri = model.artifact_location;
}

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The .onnx file a model path holds: the file itself, or the only .onnx file at the top of a
// directory; "" otherwise.
std::string onnx_file_of(const fs::path& local, bool is_dir) {
  if (!is_dir) {
    const std::string name = local.filename().u8string();
    return has_suffix(name, ".onnx") ? name : std::string();
  }
  std::string found;
  int count = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(local, ec)) {
    const std::string name = entry.path().filename().u8string();
    if (entry.is_regular_file(ec) && has_suffix(name, ".onnx")) {
      found = name;
      ++count;
    }
  }
  return count == 1 ? found : std::string();
}

}  // namespace

LoggedModel MlflowClient::create_logged_model(const std::string& experiment_id,
                                              const CreateLoggedModelOptions& options) {
  const auto describe = [&](Operation& op) {
    op.target.experiment_id = experiment_id;
    op.items = options.params.size();
  };
  return impl_->hooks().run("create_logged_model", kLoggedModel, describe, [&](Operation* op) {
    auto& store = impl_->logged_models();
    if (experiment_id.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Missing value for required parameter 'experiment_id'.");
    }
    // Python's _validate_logged_model_name (its server would take "" as "no name").
    if (options.name &&
        (options.name->empty() || options.name->find_first_of("/:.%\"'") != std::string::npos)) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Invalid model name ('" + *options.name +
                      "') provided. Model name must be a non-empty string and cannot contain the "
                      "following characters: ('/', ':', '.', '%', '\"', \"'\")");
    }
    if (options.name) internal::utf8::require_valid(*options.name, "name");
    if (options.model_type) internal::utf8::require_valid(*options.model_type, "model_type");
    if (options.source_run_id) {
      internal::utf8::require_valid(*options.source_run_id, "source_run_id");
    }
    internal::CreateLoggedModelRequest request;
    request.experiment_id = experiment_id;
    request.name = options.name;
    request.source_run_id = options.source_run_id;
    request.model_type = options.model_type;
    request.tags = to_key_values(options.tags, "tag");
    internal::KeyValues params = to_key_values(options.params, "param");
    const std::size_t first = std::min(params.size(), kParamsBatch);
    request.params.assign(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(first));
    LoggedModel model = store.create_logged_model(request);
    if (params.size() > first) {
      for (std::size_t i = first; i < params.size(); i += kParamsBatch) {
        const std::size_t end = std::min(params.size(), i + kParamsBatch);
        store.log_logged_model_params(
            model.model_id, internal::KeyValues(params.begin() + static_cast<std::ptrdiff_t>(i),
                                                params.begin() + static_cast<std::ptrdiff_t>(end)));
      }
      model = store.get_logged_model(model.model_id, false);
    }
    note_model(op, model);
    return model;
  });
}

LoggedModel MlflowClient::finalize_logged_model(const std::string& model_id,
                                                LoggedModelStatus status) {
  return impl_->hooks().run("finalize_logged_model", kLoggedModel, on_logged_model(model_id), [&] {
    require_model_id(model_id);
    return impl_->logged_models().finalize_logged_model(model_id, status);
  });
}

LoggedModel MlflowClient::get_logged_model(const std::string& model_id) {
  return impl_->hooks().run("get_logged_model", kLoggedModel, on_logged_model(model_id), [&] {
    require_model_id(model_id);
    return impl_->logged_models().get_logged_model(model_id, false);
  });
}

void MlflowClient::delete_logged_model(const std::string& model_id) {
  impl_->hooks().run("delete_logged_model", kLoggedModel, on_logged_model(model_id), [&] {
    require_model_id(model_id);
    impl_->logged_models().delete_logged_model(model_id);
  });
}

PagedList<LoggedModel> MlflowClient::search_logged_models(
    const std::vector<std::string>& experiment_ids, const SearchLoggedModelsOptions& options) {
  return impl_->hooks().run("search_logged_models", kLoggedModel, internal::no_target(), [&] {
    return impl_->logged_models().search_logged_models(experiment_ids, options);
  });
}

void MlflowClient::set_logged_model_tags(const std::string& model_id,
                                         const OrderedDict<std::string>& tags) {
  const auto describe = on_logged_model(model_id, tags.size());
  impl_->hooks().run("set_logged_model_tags", kLoggedModel, describe, [&] {
    auto& store =
        readable_model_store(impl_->logged_models(), model_id,
                             "If you are attempting to set tags on a Registered Model Version, use "
                             "`set_model_version_tag` instead.");
    store.set_logged_model_tags(model_id, to_key_values(tags, "tag"));
  });
}

void MlflowClient::delete_logged_model_tag(const std::string& model_id, const std::string& key) {
  impl_->hooks().run("delete_logged_model_tag", kLoggedModel, on_logged_model(model_id), [&] {
    require_model_id(model_id);
    impl_->logged_models().delete_logged_model_tag(model_id, key);
  });
}

void MlflowClient::log_model_params(const std::string& model_id,
                                    const OrderedDict<std::string>& params) {
  const auto describe = on_logged_model(model_id, params.size());
  impl_->hooks().run("log_model_params", kLoggedModel, describe, [&] {
    auto& store = readable_model_store(
        impl_->logged_models(), model_id,
        "If you are attempting to log parameters to a Registered Model Version, this is not "
        "supported.");
    const internal::KeyValues all = to_key_values(params, "param");
    for (std::size_t i = 0; i < all.size(); i += kParamsBatch) {
      const std::size_t end = std::min(all.size(), i + kParamsBatch);
      store.log_logged_model_params(
          model_id, internal::KeyValues(all.begin() + static_cast<std::ptrdiff_t>(i),
                                        all.begin() + static_cast<std::ptrdiff_t>(end)));
    }
  });
}

void MlflowClient::log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) {
  const auto describe = [&](Operation& op) {
    op.target.run_id = run_id;
    if (models.size() == 1) op.target.model_id = models.front().model_id;
    op.items = models.size();
  };
  impl_->hooks().run("log_outputs", kLoggedModel, describe, [&] {
    if (run_id.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Missing value for required parameter 'run_id'.");
    }
    impl_->logged_models().log_outputs(run_id, models);
  });
}

void MlflowClient::log_model_artifact(const std::string& model_id, const std::string& local_path,
                                      const std::string& artifact_path) {
  const auto describe = [&](Operation& op) {
    on_model_artifacts(model_id, artifact_path, internal::local_bytes(local_path))(op);
  };
  impl_->hooks().run("log_model_artifact", OperationKind::kArtifactUpload, describe,
                     [&](Operation* op) {
                       const LoggedModel model = get_logged_model(model_id);
                       ArtifactTransferOptions one_at_a_time;
                       one_at_a_time.max_parallel_files = 1;
                       internal::log_file_or_directory(*model_repository(*impl_, model, op),
                                                       local_path, artifact_path, one_at_a_time);
                     });
}

void MlflowClient::log_model_artifacts(const std::string& model_id, const std::string& local_dir,
                                       const std::string& artifact_path) {
  const auto describe = [&](Operation& op) {
    on_model_artifacts(model_id, artifact_path, internal::local_bytes(local_dir))(op);
  };
  impl_->hooks().run("log_model_artifacts", OperationKind::kArtifactUpload, describe,
                     [&](Operation* op) {
                       const LoggedModel model = get_logged_model(model_id);
                       model_repository(*impl_, model, op)->log_artifacts(local_dir, artifact_path);
                     });
}

std::vector<FileInfo> MlflowClient::list_logged_model_artifacts(const std::string& model_id,
                                                                const std::string& path) {
  return impl_->hooks().run("list_logged_model_artifacts", OperationKind::kArtifactDownload,
                            on_model_artifacts(model_id, path, 0), [&](Operation* op) {
                              const LoggedModel model = get_logged_model(model_id);
                              return model_repository(*impl_, model, op)->list_artifacts(path);
                            });
}

LoggedModel MlflowClient::log_model(const std::string& run_id, const std::string& local_path,
                                    const LogModelOptions& options) {
  const auto describe = [&](Operation& op) {
    op.target.run_id = run_id;
    op.bytes = internal::local_bytes(local_path);
  };
  return impl_->hooks().run("log_model", kLoggedModel, describe, [&](Operation* op) {
    if (run_id.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Missing value for required parameter 'run_id'.");
    }
    std::error_code ec;
    const fs::path local = fs::u8path(local_path);
    const bool is_dir = fs::is_directory(local, ec);
    if (!is_dir && !fs::is_regular_file(local, ec)) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_model: '" + local_path +
                      "' is neither a file nor a directory. Pass the path of the model file (e.g. "
                      "model.onnx) or of the directory holding the model.");
    }
    std::string onnx_data;
    if (options.flavor == "auto" || options.flavor == "onnx") {
      onnx_data = onnx_file_of(local, is_dir);
      if (options.flavor == "onnx" && onnx_data.empty()) {
        throw_error(ErrorCode::kInvalidParameterValue,
                    "log_model: flavor 'onnx' needs a .onnx file, or a directory holding exactly "
                    "one .onnx file at its top; '" +
                        local_path + "' is neither.");
      }
    } else if (!options.flavor.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_model: unknown flavor '" + options.flavor +
                      "'. Use \"auto\", \"onnx\" or \"\" (no flavor).");
    }
    if (options.signature && !options.signature->inputs && !options.signature->outputs) {
      // Python's ModelSignature refuses to exist without them.
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_model: the signature has neither inputs nor outputs. Give at least one "
                  "Schema, or leave `signature` unset.");
    }
    for (const auto& [key, value] : options.metadata) {  // refused before anything is created
      internal::yaml_quote(key);
      internal::yaml_quote(value);
    }

    // Python: the run's params are copied onto the model (they win over the given ones).
    const Run run = get_run(run_id);
    CreateLoggedModelOptions create;
    if (!options.name.empty()) create.name = options.name;
    create.source_run_id = run_id;
    create.model_type = options.model_type;
    create.tags = options.tags;
    create.params = options.params;
    for (const auto& [k, v] : run.data.params) create.params[k] = v;
    const LoggedModel model = create_logged_model(run.info.experiment_id, create);

    try {
      log_outputs(run_id, {ModelOutput{model.model_id, options.step}});
      // Python's log_model_metrics_for_step: the run's metrics at this step belong to the model.
      std::vector<Metric> linked;
      for (const auto& latest : run.data.latest_metrics) {
        for (Metric m : get_metric_history(run_id, latest.key)) {
          if (m.step != options.step || m.model_id) continue;
          m.model_id = model.model_id;
          m.run_id = std::nullopt;
          linked.push_back(std::move(m));
        }
      }
      if (!linked.empty()) log_batch(run_id, linked);

      auto repo = model_repository(*impl_, model);
      if (is_dir) {
        repo->log_artifacts(local_path, "");
      } else {
        repo->log_artifact(local_path, "");
      }
      internal::MlmodelFields fields;
      fields.artifact_path = model.artifact_location;
      fields.model_id = model.model_id;
      fields.run_id = run_id;
      fields.utc_time_created = internal::utc_time_created_now();
      fields.signature = options.signature;
      fields.metadata = options.metadata;
      // Python's get_total_file_size of the model's files, before MLmodel is added.
      fields.model_size_bytes = internal::local_bytes(local_path);
      if (!onnx_data.empty()) {
        fields.flavor = "onnx";
        fields.onnx_data = onnx_data;
        fields.onnx_version = options.onnx_version;
      }
      internal::ScopedTempDir tmp("mlflow-log-model-");
      const fs::path mlmodel = tmp.path() / "MLmodel";
      {
        std::ofstream out(mlmodel, std::ios::binary | std::ios::trunc);
        out << internal::render_mlmodel(fields);
        out.close();
        if (!out) throw_error(ErrorCode::kIoError, "Cannot write '" + mlmodel.string() + "'.");
      }
      repo->log_artifact(mlmodel.string(), "");
    } catch (...) {
      try {
        finalize_logged_model(model.model_id, LoggedModelStatus::kFailed);
      } catch (const MlflowException&) {
        // The original failure is the one worth reporting.
      }
      throw;
    }
    LoggedModel ready = finalize_logged_model(model.model_id, LoggedModelStatus::kReady);
    note_model(op, ready);
    return ready;
  });
}

}  // namespace mlflow
