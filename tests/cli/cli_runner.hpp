// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Runs the built mlflow-cpp tool as a subprocess, as a shell script would.

#include <string>
#include <vector>

#include "mlflow/json_value.hpp"

namespace mlflow::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  /// stdout parsed as JSON (fails the test and returns null when it is not JSON).
  JsonValue json() const;
};

/// `mlflow-cpp --tracking-uri <uri> <args...>` (no --tracking-uri when `uri` is empty), with
/// `stdin_text` on standard input and `env` ("NAME=value" words) added to its environment,
/// run in `cwd` (where an embedded store puts its default artifact root, ./mlruns).
CliResult run_cli(const std::string& uri, const std::vector<std::string>& args,
                  const std::string& stdin_text = "", const std::vector<std::string>& env = {},
                  const std::string& cwd = "");

/// The path of the built tool.
std::string cli_path();

}  // namespace mlflow::testing
