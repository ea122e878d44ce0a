// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Shared helpers of the test programs.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace mlflow::testing {

/// The tracking URI of the real MLflow server started by the CTest fixture
/// (scripts/test-server.sh). Fails the current test loudly (never skips) when there is none.
std::string server_uri();
/// The python of the pinned MLflow venv (for cross-checks). Fails loudly when absent.
std::string mlflow_python();
/// The repository root.
std::string source_dir();
/// A name unique across tests and runs: "<prefix>-<pid>-<counter>-<random>".
std::string unique_name(const std::string& prefix);
/// A fresh empty temporary directory, removed with its contents when this process exits
/// (MLFLOW_TEST_KEEP_TMP=1 keeps it).
std::string make_temp_dir(const std::string& prefix);
/// This test program's own path (/proc/self/exe), for tests that run it again as a child.
std::string self_executable();

/// Runs a command through /bin/sh; returns exit status and captured stdout.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult run_command(const std::string& command);

/// Sets environment variables for the scope of the object, restoring them after.
/// The variables `names`, each unset: what a ScopedEnv takes to clear them for a test.
std::map<std::string, std::optional<std::string>> unset_vars(
    std::initializer_list<const char*> names);

class ScopedEnv {
 public:
  explicit ScopedEnv(std::map<std::string, std::optional<std::string>> vars);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace mlflow::testing
