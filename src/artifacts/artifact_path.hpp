// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Path rules of the artifact code. Every relative artifact path that reaches the file system or
// a URL passes one of the two checks below; every local destination is built through
// contained_path(), which resolves symlinks and refuses anything outside the trusted root. A
// hostile server listing (`../x`, `/etc/passwd`, `a\b`) therefore cannot make a download write
// outside its destination directory.

#include <filesystem>
#include <string>

#include "core/posix_path.hpp"

namespace mlflow::internal {

/// A relative artifact path that came from outside (a server listing, a user's list/download
/// path): MLflow's validate_path_is_safe. Percent-decodes first (so `%2e%2e` counts as `..`),
/// then throws InvalidArgument for a '#', a backslash, a NUL, a `..` segment, a leading '/',
/// a Windows drive (`C:`) or a `file:` URI. Returns the (undecoded) path unchanged.
const std::string& check_safe_relative_path(const std::string& path, const std::string& what);

/// An artifact directory the user names for an upload (Python's verify_artifact_path): empty
/// is the root; otherwise it must already be in normal form ("a/b", not "a//b", "a/./b", "a/",
/// "/a", "..", "."), and safe as above. Throws InvalidArgument.
void check_artifact_dir(const std::string& artifact_path);

/// Joins two '/'-separated relative paths; an empty side is dropped.
std::string posix_join(const std::string& a, const std::string& b);
/// The last segment ("a/b.txt" -> "b.txt"); the path itself when it has no '/'.
std::string posix_basename(const std::string& path);
/// Everything before the last '/' ("a/b.txt" -> "a", "/x" -> "/"), or "" when there is none.
std::string posix_dirname(const std::string& path);

/// `root / relative`, verified to stay inside `root` after resolving symlinks of the parts that
/// exist. `relative` must already have passed check_safe_relative_path. Throws InvalidArgument
/// when the result would leave `root` (e.g. through a symlink planted inside it).
std::filesystem::path contained_path(const std::filesystem::path& root,
                                     const std::string& relative);

/// A new, empty, uniquely named directory under the system temp directory (mkdtemp).
std::filesystem::path make_unique_temp_dir(const std::string& prefix);

/// Removes a directory tree on scope exit (errors ignored).
class ScopedTempDir {
 public:
  explicit ScopedTempDir(const std::string& prefix) : path_(make_unique_temp_dir(prefix)) {}
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Percent-decodes "%XX" sequences (invalid sequences are kept as they are).
std::string percent_decode(const std::string& text);

}  // namespace mlflow::internal
