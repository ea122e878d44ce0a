// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Artifacts in a local directory (a run's artifact_uri that is a plain absolute path or a
// file:// URI), laid out exactly as MLflow's LocalArtifactRepository lays them out, so Python
// and `mlflow ui` find them. Files are written to a hidden ".artifact.uploading.*" temp file
// in the destination directory and renamed into place: readers never see half a file.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/artifact_repository.hpp"

namespace mlflow::internal {

class LocalArtifactRepository : public ArtifactRepository {
 public:
  explicit LocalArtifactRepository(const std::string& root_dir);

  std::vector<FileInfo> list_artifacts(const std::string& path) override;
  void delete_artifacts(const std::string& artifact_path) override;
  std::optional<std::string> get_local_path(const std::string& artifact_path) override;

  const std::filesystem::path& root() const noexcept { return root_; }

 protected:
  void upload_file(const std::filesystem::path& local_file, const std::string& artifact_dir,
                   const std::string& name, const ByteProgress& progress) override;
  void make_directory(const std::string& artifact_dir) override;
  void download_file(const std::string& remote_path, const std::filesystem::path& local_path,
                     const ByteProgress& progress) override;

 private:
  /// root_/relative, created (with parents) and verified to stay inside root_.
  std::filesystem::path ensure_dir(const std::string& artifact_dir);

  std::filesystem::path root_;
};

}  // namespace mlflow::internal
