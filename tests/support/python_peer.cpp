// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/python_peer.hpp"

#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/test_env.hpp"

namespace mlflow::testing {

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string python_peer_command(const std::string& script, const std::vector<std::string>& args) {
  std::string command =
      shell_quote(mlflow_python()) + " " + shell_quote(source_dir() + "/tests/interop/" + script);
  for (const auto& arg : args) command += " " + shell_quote(arg);
  return command;
}

nlohmann::json run_python_peer_json(const std::string& work_dir, const std::string& script,
                                    const std::string& raw_args) {
  const std::string log = work_dir + "/python-stderr.log";
  const auto res =
      run_command("cd " + shell_quote(work_dir) + " && " + python_peer_command(script, {}) + " " +
                  raw_args + " 2>" + shell_quote(log));
  if (res.exit_code != 0) {
    ADD_FAILURE() << "python " << raw_args << " failed (" << res.exit_code << "):\n"
                  << res.output << "\n"
                  << file_bytes(log);
    return nlohmann::json();
  }
  return nlohmann::json::parse(res.output);
}

}  // namespace mlflow::testing
