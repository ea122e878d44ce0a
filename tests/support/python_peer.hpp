// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The one way tests run a Python peer: a script under tests/interop run by the pinned MLflow
// Python, so that cross-checks against Python's own reading and writing stay real.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mlflow::testing {

/// `word` as one /bin/sh word (single-quoted, embedded quotes escaped).
std::string shell_quote(const std::string& word);

/// The command line that runs tests/interop/<script> under the pinned Python with `args`, each
/// quoted as one word. Append redirections to it as needed.
std::string python_peer_command(const std::string& script, const std::vector<std::string>& args);

/// Runs tests/interop/<script> under the pinned Python in `work_dir` with `raw_args` (shell
/// words as written) and parses its stdout as JSON. Its stderr goes to a log in `work_dir`; when
/// the script fails, the test fails with the script's output and that log, and null is
/// returned.
nlohmann::json run_python_peer_json(const std::string& work_dir, const std::string& script,
                                    const std::string& raw_args);

}  // namespace mlflow::testing
