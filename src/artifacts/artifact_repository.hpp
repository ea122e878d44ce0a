// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The artifact side of a run: where its files live and how to move them, with the semantics of
// MLflow 3.18's ArtifactRepository classes (mlflow/store/artifact/). The repository is chosen
// from the scheme of the *run's artifact_uri*, never from the tracking URI (reference §4.2):
//
//   "/abs/path", "file:///abs/path"        -> LocalArtifactRepository (files land exactly where
//                                             Python and `mlflow ui` look)
//   "mlflow-artifacts:/..."                -> HttpArtifactRepository rebased onto the tracking
//                                             server's proxied artifact API (§4.3)
//   "http://...", "https://..."            -> HttpArtifactRepository on that URL
//   anything else (s3:, gs:, wasbs:, ...)  -> InvalidArgument: use a server started with
//                                             --serve-artifacts
//
// Not implemented: multipart upload and presigned download (ADR 0006, part 2, says when MLflow
// uses them), logged models.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/transfer_pool.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "mlflow/artifact_options.hpp"
#include "mlflow/file_info.hpp"
#include "store/artifact_context.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

class ArtifactRepository {
 public:
  virtual ~ArtifactRepository() = default;

  /// Uploads one file as `<artifact_path>/<file name>`. `artifact_path` "" is the root. A
  /// symlink given explicitly is followed.
  void log_artifact(const std::string& local_file, const std::string& artifact_path,
                    const ArtifactTransferOptions& options = sequential());
  /// Uploads the files below `local_dir` to `<artifact_path>/<relative path>`. Symlink policy
  /// (both repositories): a symlink to a regular file whose target lies inside `local_dir` is
  /// followed (its content is uploaded under the link's name); a symlink that leaves the tree,
  /// a symlink to a directory, and special files (fifos, sockets, devices) are skipped with a
  /// warning. Rationale: a directory upload must not publish files the user did not put in
  /// the tree (e.g. a stray link to ~/.ssh), nor loop through a link cycle. (Python follows
  /// every file link and skips directory links.)
  /// Files go up `options.max_parallel_files` at a time, each with its own retries; after a
  /// file fails for good no new file starts and its error is rethrown.
  void log_artifacts(const std::string& local_dir, const std::string& artifact_path,
                     const ArtifactTransferOptions& options = sequential());
  /// The entries directly under `path` ("" = root), sorted by path, each path relative to the
  /// run's artifact root. An empty list for a file or a missing path (as Python).
  virtual std::vector<FileInfo> list_artifacts(const std::string& path) = 0;
  /// Downloads the file or directory `artifact_path` ("" = everything) into the existing
  /// directory `dst_dir` and returns the local path (`dst_dir/artifact_path`). Never writes
  /// outside `dst_dir`, whatever the listing says.
  /// The whole tree is listed first (so progress knows the total), then files come down
  /// `options.max_parallel_files` at a time.
  std::string download_artifacts(const std::string& artifact_path,
                                 const std::filesystem::path& dst_dir,
                                 const ArtifactTransferOptions& options = sequential());
  /// Deletes a file or directory ("" = everything).
  virtual void delete_artifacts(const std::string& artifact_path) = 0;
  /// Where the artifact already lies on this machine, for repositories that have one (the
  /// local one); std::nullopt otherwise. Throws NotFound for a missing local artifact.
  virtual std::optional<std::string> get_local_path(const std::string& artifact_path) = 0;

 protected:
  static ArtifactTransferOptions sequential() {
    ArtifactTransferOptions o;
    o.max_parallel_files = 1;
    return o;
  }
  /// Stores one local file at `artifact_dir/name` (both validated by the caller). Safe to call
  /// from several threads at once for different files. `progress` may be empty.
  virtual void upload_file(const std::filesystem::path& local_file, const std::string& artifact_dir,
                           const std::string& name, const ByteProgress& progress) = 0;
  /// Creates an empty directory when the repository can hold one (the local one can).
  virtual void make_directory(const std::string& artifact_dir) { (void)artifact_dir; }
  /// Writes the artifact file `remote_path` to `local_path` (whose directory exists). Safe to
  /// call from several threads at once for different files. `progress` may be empty.
  virtual void download_file(const std::string& remote_path,
                             const std::filesystem::path& local_path,
                             const ByteProgress& progress) = 0;
};

/// A listing in the order every repository returns it (by path, as Python's list_artifacts).
std::vector<FileInfo> sorted_by_path(std::vector<FileInfo> infos);

/// Python's MlflowClient.log_artifact: a file goes to `<artifact_path>/<file name>`, a
/// directory to `<artifact_path>/<directory name>/...`.
void log_file_or_directory(ArtifactRepository& repository, const std::string& local_path,
                           const std::string& artifact_path,
                           const ArtifactTransferOptions& options);

/// Picks the repository for a run's artifact URI (table at the top of this file).
std::unique_ptr<ArtifactRepository> make_artifact_repository(const std::string& artifact_uri,
                                                             const ArtifactClientContext& context);

/// `mlflow-artifacts:[//host[:port]]/path` -> the proxied-artifacts URL on the tracking server,
/// keeping the tracking URI's path prefix (§4.2), e.g. ("mlflow-artifacts:/1/abc/artifacts",
/// "http://h:5000/pre") -> "http://h:5000/pre/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts".
/// Throws InvalidArgument for a non-http(s) tracking URI or a port without a host.
std::string resolve_mlflow_artifacts_uri(const std::string& artifact_uri,
                                         const std::string& tracking_uri);

/// The local directory of a "file:" URI or a plain path (percent-decoded for file: URIs).
std::string local_path_from_uri(const std::string& uri);

}  // namespace mlflow::internal
