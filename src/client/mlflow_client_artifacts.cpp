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
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "rest/rest_tracking_store.hpp"
#include "store/tracking_store.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

void require_run_id(const std::string& run_id) {
  if (run_id.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Missing value for required parameter 'run_id'.");
  }
}

// The repository of a run. A REST store lends its resolved config (tracking URI with any
// path prefix, credentials, TLS, retries) so mlflow-artifacts: URIs reach the same server the
// same way; other stores get defaults and their tracking URI for the error messages.
std::unique_ptr<internal::ArtifactRepository> repository_for(
    const std::shared_ptr<internal::TrackingStore>& store, const std::string& tracking_uri,
    const std::string& run_id) {
  require_run_id(run_id);
  const Run run = store->get_run(run_id);
  internal::ArtifactClientContext context;
  if (auto* rest = dynamic_cast<internal::RestTrackingStore*>(store.get())) {
    context.config = rest->client().config();
  } else {
    context.config.tracking_uri = tracking_uri;
  }
  return internal::make_artifact_repository(run.info.artifact_uri, context);
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
  auto repo = repository_for(store_, tracking_uri_, run_id);
  std::error_code ec;
  const fs::path local = fs::u8path(local_path);
  if (fs::is_directory(local, ec)) {
    // Python: the directory keeps its own name under artifact_path.
    std::string dir_name = fs::absolute(local).lexically_normal().filename().u8string();
    if (dir_name.empty())
      dir_name = fs::absolute(local).lexically_normal().parent_path().filename().u8string();
    repo->log_artifacts(local_path, internal::posix_join(artifact_path, dir_name), options);
  } else {
    repo->log_artifact(local_path, artifact_path, options);
  }
}

void MlflowClient::log_artifacts(const std::string& run_id, const std::string& local_dir,
                                 const std::string& artifact_path) {
  log_artifacts(run_id, local_dir, artifact_path, ArtifactTransferOptions{});
}

void MlflowClient::log_artifacts(const std::string& run_id, const std::string& local_dir,
                                 const std::string& artifact_path,
                                 const ArtifactTransferOptions& options) {
  repository_for(store_, tracking_uri_, run_id)->log_artifacts(local_dir, artifact_path, options);
}

std::vector<FileInfo> MlflowClient::list_artifacts(const std::string& run_id,
                                                   const std::string& path) {
  return repository_for(store_, tracking_uri_, run_id)->list_artifacts(path);
}

std::string MlflowClient::download_artifacts(const std::string& run_id, const std::string& path,
                                             const std::string& dst_path) {
  return download_artifacts(run_id, path, dst_path, ArtifactTransferOptions{});
}

std::string MlflowClient::download_artifacts(const std::string& run_id, const std::string& path,
                                             const std::string& dst_path,
                                             const ArtifactTransferOptions& options) {
  auto repo = repository_for(store_, tracking_uri_, run_id);
  fs::path dst;
  if (dst_path.empty()) {
    // Python returns a local artifact in place instead of copying it.
    if (auto local = repo->get_local_path(path)) return *local;
    dst = internal::make_unique_temp_dir("mlflow-artifacts-");
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
  return repo->download_artifacts(path, dst, options);
}

void MlflowClient::log_text(const std::string& run_id, const std::string& text,
                            const std::string& artifact_file) {
  std::string dir;
  std::string name;
  split_artifact_file(artifact_file, dir, name);
  auto repo = repository_for(store_, tracking_uri_, run_id);
  internal::ScopedTempDir tmp("mlflow-log-text-");
  const fs::path file = tmp.path() / fs::u8path(name);
  write_text_file(file, text);
  repo->log_artifact(file.string(), dir);
}

void MlflowClient::log_dict(const std::string& run_id, const std::string& json_text,
                            const std::string& artifact_file) {
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
}

}  // namespace mlflow
