// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/test_env.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

namespace mlflow::testing {
namespace {

std::string read_fixture_file(const std::string& name) {
  const char* dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  if (dir == nullptr || *dir == '\0') {
    ADD_FAILURE() << "MLFLOW_TEST_SERVER_DIR is not set: integration tests must run under ctest "
                     "(make test), which starts the real MLflow server first.";
    throw std::runtime_error("no MLflow test server");
  }
  std::ifstream in(std::string(dir) + "/" + name);
  std::string value;
  if (!in || !std::getline(in, value) || value.empty()) {
    ADD_FAILURE() << "The MLflow test server is not running: " << dir << "/" << name
                  << " is missing. See " << dir << "/server.log.";
    throw std::runtime_error("no MLflow test server");
  }
  return value;
}

// The temporary directories this process made, removed when it exits (after every at-exit
// handler the library registers later, since this object is built before main). Children
// forked from a test inherit the list but remove only what they made themselves (pid check),
// so a child's exit never pulls a directory from under its parent. MLFLOW_TEST_KEEP_TMP=1
// keeps them for a post-mortem.
class TempDirRegistry {
 public:
  ~TempDirRegistry() {
    const char* keep = std::getenv("MLFLOW_TEST_KEEP_TMP");
    if (keep != nullptr && *keep != '\0' && std::string(keep) != "0") return;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [pid, path] : dirs_) {
      if (pid != ::getpid()) continue;
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  }
  void add(std::string path) {
    std::lock_guard<std::mutex> lock(mutex_);
    dirs_.emplace_back(::getpid(), std::move(path));
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<pid_t, std::string>> dirs_;
};

TempDirRegistry temp_dirs;

}  // namespace

std::string server_uri() { return read_fixture_file("uri"); }
std::string mlflow_python() { return read_fixture_file("python"); }

std::string source_dir() {
  const char* dir = std::getenv("MLFLOW_CPP_SOURCE_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
#ifdef MLFLOW_CPP_SOURCE_DIR
  return MLFLOW_CPP_SOURCE_DIR;
#else
  return ".";
#endif
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  std::ostringstream out;
  out << prefix << "-" << ::getpid() << "-" << counter++ << "-" << std::hex << salt;
  return out.str();
}

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  temp_dirs.add(tmpl);
  return tmpl;
}

std::string self_executable() {
  char self[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) ADD_FAILURE() << "cannot read /proc/self/exe";
  return self;
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::map<std::string, std::optional<std::string>> unset_vars(
    std::initializer_list<const char*> names) {
  std::map<std::string, std::optional<std::string>> vars;
  for (const char* name : names) vars.emplace(name, std::nullopt);
  return vars;
}

ScopedEnv::ScopedEnv(std::map<std::string, std::optional<std::string>> vars) {
  for (const auto& [name, value] : vars) {
    const char* old = std::getenv(name.c_str());
    saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
}

ScopedEnv::~ScopedEnv() {
  for (const auto& [name, value] : saved_) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
}

}  // namespace mlflow::testing
