// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/local_artifact_repository.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "artifacts/artifact_path.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace fs = std::filesystem;
namespace {

// MLflow's reserved prefix for in-flight files; listings hide such files.
constexpr const char* kTempPrefix = ".artifact.uploading.";

bool has_temp_prefix(const std::string& name) { return name.rfind(kTempPrefix, 0) == 0; }

[[noreturn]] void io_error(const std::string& what, const std::error_code& ec) {
  throw_error(ErrorCode::kIoError, what + ": " + ec.message());
}

// Copies `from` to a new temp file in `dir` and renames it onto `to`, so `to` is either the
// old or the new content, never a partial one. The rename replaces a symlink at `to` rather
// than writing through it.
void copy_atomically(const fs::path& from, const fs::path& dir, const fs::path& to) {
  std::string templ = (dir / (std::string(kTempPrefix) + "XXXXXX")).string();
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) {
    io_error("Cannot create a temporary file in '" + dir.string() + "'",
             std::error_code(errno, std::generic_category()));
  }
  ::close(fd);
  const fs::path temp(templ);
  std::error_code ec;
  fs::copy_file(from, temp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(temp, to, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    io_error("Cannot copy '" + from.string() + "' to '" + to.string() + "'", ec);
  }
}

}  // namespace

LocalArtifactRepository::LocalArtifactRepository(const std::string& root_dir)
    : root_(fs::absolute(fs::u8path(root_dir)).lexically_normal()) {}

fs::path LocalArtifactRepository::ensure_dir(const std::string& artifact_dir) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) io_error("Cannot create the artifact directory '" + root_.string() + "'", ec);
  if (artifact_dir.empty()) return root_;
  const fs::path dir = contained_path(root_, artifact_dir);
  fs::create_directories(dir, ec);
  if (ec) io_error("Cannot create '" + dir.string() + "'", ec);
  // Re-check after creation: an existing component may be a symlink leading elsewhere.
  return contained_path(root_, artifact_dir);
}

void LocalArtifactRepository::upload_file(const fs::path& local_file,
                                          const std::string& artifact_dir, const std::string& name,
                                          const ByteProgress& progress) {
  if (has_temp_prefix(name)) {
    throw_error(ErrorCode::kInvalidParameterValue, "Invalid artifact file name: '" + name +
                                                       "'. Artifact names starting with '" +
                                                       kTempPrefix + "' are reserved.");
  }
  check_safe_relative_path(name, "artifact file name");
  const fs::path dir = ensure_dir(artifact_dir);
  const fs::path destination = contained_path(root_, posix_join(artifact_dir, name));
  std::error_code ec;
  if (fs::exists(destination, ec) && fs::equivalent(local_file, destination, ec)) return;
  copy_atomically(local_file, dir, destination);
  // A local copy is one system call (copy_file_range): reported whole when done.
  if (progress) progress(static_cast<std::int64_t>(fs::file_size(destination, ec)));
}

void LocalArtifactRepository::make_directory(const std::string& artifact_dir) {
  ensure_dir(artifact_dir);
}

std::vector<FileInfo> LocalArtifactRepository::list_artifacts(const std::string& path_in) {
  std::string path = path_in;
  while (!path.empty() && path.back() == '/') path.pop_back();
  check_safe_relative_path(path, "artifact path to list");
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return {};
  const fs::path dir = path.empty() ? root_ : contained_path(root_, path);
  if (!fs::is_directory(dir, ec)) return {};
  std::vector<FileInfo> infos;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().u8string();
    if (has_temp_prefix(name)) continue;
    FileInfo info;
    info.path = posix_join(path, name);
    info.is_dir = it->is_directory(ec);
    if (!info.is_dir) {
      const auto size = it->file_size(ec);
      if (!ec) info.file_size = static_cast<std::int64_t>(size);
      ec.clear();
    }
    infos.push_back(std::move(info));
  }
  if (ec) io_error("Cannot list '" + dir.string() + "'", ec);
  return sorted_by_path(std::move(infos));
}

void LocalArtifactRepository::download_file(const std::string& remote_path,
                                            const fs::path& local_path,
                                            const ByteProgress& progress) {
  check_safe_relative_path(remote_path, "artifact path");
  const fs::path source = contained_path(root_, remote_path);
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    throw_error(ErrorCode::kResourceDoesNotExist, "No such artifact: '" + remote_path + "'");
  }
  copy_atomically(source, local_path.parent_path(), local_path);
  if (progress) progress(static_cast<std::int64_t>(fs::file_size(local_path, ec)));
}

void LocalArtifactRepository::delete_artifacts(const std::string& artifact_path) {
  check_safe_relative_path(artifact_path, "artifact path to delete");
  const fs::path target = artifact_path.empty() ? root_ : contained_path(root_, artifact_path);
  std::error_code ec;
  fs::remove_all(target, ec);
  if (ec) io_error("Cannot delete '" + target.string() + "'", ec);
}

std::optional<std::string> LocalArtifactRepository::get_local_path(
    const std::string& artifact_path) {
  check_safe_relative_path(artifact_path, "artifact path");
  const fs::path target = artifact_path.empty() ? root_ : contained_path(root_, artifact_path);
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    throw_error(ErrorCode::kResourceDoesNotExist, "No such artifact: '" + artifact_path + "'");
  }
  return target.string();
}

}  // namespace mlflow::internal
