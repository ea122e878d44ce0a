// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's artifact methods, with the behaviour of Python's MlflowClient in 3.18
// (mlflow/tracking/client.py and mlflow/artifacts/__init__.py): the repository comes from the
// run's artifact_uri, and the repositories live in src/artifacts/.
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>

#include "artifacts/artifact_path.hpp"
#include "artifacts/artifact_repository.hpp"
#include "client/client_impl.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

void require_run_id(const std::string& run_id) {
  if (run_id.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Missing value for required parameter 'run_id'.");
  }
}

constexpr OperationKind kUpload = OperationKind::kArtifactUpload;
constexpr OperationKind kDownload = OperationKind::kArtifactDownload;

// The repository of a run, reached with the backend's artifact context (a REST backend lends
// its server's configuration so mlflow-artifacts: URIs reach the same server the same way).
std::unique_ptr<internal::ArtifactRepository> repository_for(const MlflowClient::Impl& impl,
                                                             const std::string& run_id,
                                                             Operation* op) {
  require_run_id(run_id);
  const Run run = impl.tracking().get_run(run_id);
  if (op) {
    op->target.experiment_id = run.info.experiment_id;
    op->target.artifact_uri = run.info.artifact_uri;
  }
  return internal::make_artifact_repository(run.info.artifact_uri, impl.artifact_context());
}

// An artifact operation of the run `run_id` at `artifact_path`, moving `bytes` (uploads).
auto on_artifacts(const std::string& run_id, const std::string& artifact_path,
                  std::uint64_t bytes) {
  return internal::on_artifact_transfer(&OperationTarget::run_id, run_id, artifact_path, bytes);
}

// log_artifact(s): the hooks see the local file or tree's bytes as the payload; `upload` moves
// them with the run's repository.
template <typename Upload>
void run_upload(MlflowClient::Impl& impl, const char* operation, const std::string& run_id,
                const std::string& local_path, const std::string& artifact_path, Upload upload) {
  impl.hooks().run(
      operation, kUpload,
      [&](Operation& op) {
        on_artifacts(run_id, artifact_path, internal::local_bytes(local_path))(op);
      },
      [&](Operation* op) { upload(*repository_for(impl, run_id, op)); });
}

// Splits "dir/file.txt" as Python's _log_artifact_helper does (posixpath.normpath first).
void split_artifact_file(const std::string& artifact_file, std::string& dir, std::string& name) {
  const std::string norm = internal::posix_normpath(artifact_file);
  name = internal::posix_basename(norm);
  dir = internal::posix_dirname(norm);
  if (artifact_file.empty() || name.empty() || name == "." || name == "..") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid artifact_file '" + artifact_file +
                    "': it must name a file, e.g. \"notes.txt\" or \"dir/notes.txt\".");
  }
}

void write_text_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw_error(ErrorCode::kIoError, "Cannot write '" + path.string() + "'.");
}

}  // namespace

void MlflowClient::log_artifact(const std::string& run_id, const std::string& local_path,
                                const std::string& artifact_path) {
  log_artifact(run_id, local_path, artifact_path, ArtifactTransferOptions{});
}

void MlflowClient::log_artifact(const std::string& run_id, const std::string& local_path,
                                const std::string& artifact_path,
                                const ArtifactTransferOptions& options) {
  run_upload(*impl_, "log_artifact", run_id, local_path, artifact_path,
             [&](internal::ArtifactRepository& repo) {
               internal::log_file_or_directory(repo, local_path, artifact_path, options);
             });
}

void MlflowClient::log_artifacts(const std::string& run_id, const std::string& local_dir,
                                 const std::string& artifact_path) {
  log_artifacts(run_id, local_dir, artifact_path, ArtifactTransferOptions{});
}

void MlflowClient::log_artifacts(const std::string& run_id, const std::string& local_dir,
                                 const std::string& artifact_path,
                                 const ArtifactTransferOptions& options) {
  run_upload(*impl_, "log_artifacts", run_id, local_dir, artifact_path,
             [&](internal::ArtifactRepository& repo) {
               repo.log_artifacts(local_dir, artifact_path, options);
             });
}

std::vector<FileInfo> MlflowClient::list_artifacts(const std::string& run_id,
                                                   const std::string& path) {
  return impl_->hooks().run(
      "list_artifacts", kDownload, on_artifacts(run_id, path, 0),
      [&](Operation* op) { return repository_for(*impl_, run_id, op)->list_artifacts(path); });
}

std::string MlflowClient::download_artifacts(const std::string& run_id, const std::string& path,
                                             const std::string& dst_path) {
  return download_artifacts(run_id, path, dst_path, ArtifactTransferOptions{});
}

std::string MlflowClient::download_artifacts(const std::string& run_id, const std::string& path,
                                             const std::string& dst_path,
                                             const ArtifactTransferOptions& options) {
  return impl_->hooks().run(
      "download_artifacts", kDownload, on_artifacts(run_id, path, 0), [&](Operation* op) {
        auto repo = repository_for(*impl_, run_id, op);
        fs::path dst;
        std::string local;
        if (dst_path.empty()) {
          // Python returns a local artifact in place instead of copying it.
          if (auto in_place = repo->get_local_path(path)) local = *in_place;
          if (local.empty()) dst = internal::make_unique_temp_dir("mlflow-artifacts-");
        } else {
          dst = fs::absolute(fs::u8path(dst_path));
          std::error_code ec;
          fs::create_directories(dst, ec);
          if (!fs::is_directory(dst, ec)) {
            throw_error(ErrorCode::kInvalidParameterValue,
                        "The destination path for downloaded artifacts must be a directory! "
                        "Destination path: " +
                            dst.string());
          }
        }
        if (local.empty()) local = repo->download_artifacts(path, dst, options);
        if (op) op->bytes = internal::local_bytes(local);
        return local;
      });
}

void MlflowClient::log_text(const std::string& run_id, const std::string& text,
                            const std::string& artifact_file) {
  impl_->hooks().run("log_text", kUpload, on_artifacts(run_id, artifact_file, text.size()),
                     [&](Operation* op) {
                       std::string dir;
                       std::string name;
                       split_artifact_file(artifact_file, dir, name);
                       auto repo = repository_for(*impl_, run_id, op);
                       internal::ScopedTempDir tmp("mlflow-log-text-");
                       const fs::path file = tmp.path() / fs::u8path(name);
                       write_text_file(file, text);
                       repo->log_artifact(file.string(), dir);
                     });
}

void MlflowClient::log_dict(const std::string& run_id, const std::string& json_text,
                            const std::string& artifact_file) {
  // log_text reports the upload itself (its bytes are the pretty-printed document's).
  impl_->hooks().run("log_dict", kUpload, on_artifacts(run_id, artifact_file, 0), [&] {
    const std::string ext = fs::path(artifact_file).extension().string();
    if (ext == ".yaml" || ext == ".yml") {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_dict writes JSON only; YAML output for '" + artifact_file +
                      "' is not implemented in mlflow-cpp. Serialise the YAML yourself and use "
                      "log_text, or choose a .json file name.");
    }
    std::string pretty;
    try {
      // ordered_json keeps the caller's key order, as Python's dict does.
      pretty = nlohmann::ordered_json::parse(json_text).dump(2, ' ', /*ensure_ascii=*/true);
    } catch (const nlohmann::json::exception& e) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_dict needs a valid JSON document (UTF-8): " + std::string(e.what()));
    }
    log_text(run_id, pretty, artifact_file);
  });
}

}  // namespace mlflow
