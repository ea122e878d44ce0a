// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A directory seen read-only, for tests of how the embedded store treats files it may only
// read. As root (the test machines), a read-only bind mount of the directory: nothing below it
// can be written, by root either. Where mounting is refused, the directory and its files lose
// their write permission and the reads run in a child process that has given up root (root
// ignores permission bits), so the files are as read-only to the reader as on the mount.
// MLFLOW_TEST_READ_ONLY_BY_PERMISSIONS=1 takes that fallback where mounting would work.

#include <functional>
#include <string>

namespace mlflow::testing {

class ReadOnlyView {
 public:
  /// Makes `dir` (with the files in it) readable but not writable at path().
  explicit ReadOnlyView(const std::string& dir);
  ~ReadOnlyView();
  ReadOnlyView(const ReadOnlyView&) = delete;
  ReadOnlyView& operator=(const ReadOnlyView&) = delete;

  /// Where to read `dir` read-only: the mount point, or `dir` itself in the fallback.
  const std::string& path() const noexcept { return path_; }
  /// True for the read-only bind mount; false for the permission fallback.
  bool bind_mounted() const noexcept { return mounted_; }
  /// How the view was made, for test output.
  std::string describe() const;

  /// Runs `reader` where path() is read-only (here on a mount; in a child without root in
  /// the fallback) and returns what it returns: "" when all its checks passed, else what
  /// failed. A reader that throws or a child that dies is reported the same way.
  std::string run_reader(const std::function<std::string()>& reader) const;

 private:
  std::string dir_;
  std::string path_;
  bool mounted_ = false;
  std::string mount_error_;
};

}  // namespace mlflow::testing
