// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/read_only_view.hpp"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>

namespace mlflow::testing {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kNobody = 65534;

std::string errno_text() { return std::strerror(errno); }

void set_writable(const std::string& dir, bool writable) {
  ::chmod(dir.c_str(), writable ? 0755 : 0555);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) ::chmod(entry.path().c_str(), writable ? 0644 : 0444);
  }
}

}  // namespace

ReadOnlyView::ReadOnlyView(const std::string& dir) : dir_(dir) {
  const std::string target = dir + ".ro";
  fs::create_directories(target);
  // A bind mount is writable until remounted read-only (two steps, as mount(8) does it).
  // MLFLOW_TEST_READ_ONLY_BY_PERMISSIONS=1 takes the fallback on a machine that could mount.
  const char* force_fallback = std::getenv("MLFLOW_TEST_READ_ONLY_BY_PERMISSIONS");
  if (force_fallback != nullptr && std::string(force_fallback) == "1") {
    mount_error_ = "mounting skipped (MLFLOW_TEST_READ_ONLY_BY_PERMISSIONS=1)";
  } else if (::mount(dir.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    mount_error_ = "bind mount refused: " + errno_text();
  } else if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) !=
             0) {
    mount_error_ = "read-only remount refused: " + errno_text();
    ::umount(target.c_str());
  } else {
    mounted_ = true;
    path_ = target;
    return;
  }
  fs::remove(target);
  path_ = dir;
  set_writable(dir, false);
  // The reader without root must be able to reach the directory (mkdtemp makes 0700).
  ::chmod(fs::path(dir).parent_path().c_str(), 0755);
}

ReadOnlyView::~ReadOnlyView() {
  if (mounted_) {
    ::umount(path_.c_str());
    std::error_code ec;
    fs::remove(path_, ec);
  } else {
    set_writable(dir_, true);
  }
}

std::string ReadOnlyView::describe() const {
  if (mounted_) return "read-only bind mount of " + dir_ + " at " + path_;
  return "no write permission on " + dir_ + " and its files, read by uid " +
         std::to_string(::geteuid() == 0 ? kNobody : ::geteuid()) + " (" + mount_error_ + ")";
}

std::string ReadOnlyView::run_reader(const std::function<std::string()>& reader) const {
  auto guarded = [&]() -> std::string {
    try {
      return reader();
    } catch (const std::exception& e) {
      return std::string("reader threw: ") + e.what();
    }
  };
  if (mounted_ || ::geteuid() != 0) return guarded();
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed: " + errno_text();
  const pid_t child = ::fork();
  if (child < 0) return "fork failed: " + errno_text();
  if (child == 0) {
    ::close(fds[0]);
    std::string result;
    if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
      result = "could not give up root: " + errno_text();
    } else {
      result = guarded();
    }
    const ssize_t written = ::write(fds[1], result.data(), result.size());
    ::_exit(written == static_cast<ssize_t>(result.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string result;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) result.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result += " (reader process ended with status " + std::to_string(status) + ")";
  }
  return result;
}

}  // namespace mlflow::testing
