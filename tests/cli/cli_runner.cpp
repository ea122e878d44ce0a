// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "cli/cli_runner.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/files.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow::testing {

std::string cli_path() { return MLFLOW_CPP_CLI; }

JsonValue CliResult::json() const {
  try {
    return JsonValue::parse(out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON (" << e.what() << "): " << out << "\nstderr: " << err;
    return JsonValue();
  }
}

CliResult run_cli(const std::string& uri, const std::vector<std::string>& args,
                  const std::string& stdin_text, const std::vector<std::string>& env,
                  const std::string& cwd) {
  const std::string dir = make_temp_dir("mlflow-cli-call");
  write_file(dir + "/stdin", stdin_text);
  std::string command = cwd.empty() ? "" : "cd " + shell_quote(cwd) + " && ";
  command += "env";
  for (const auto& word : env) command += " " + shell_quote(word);
  command += " " + shell_quote(cli_path());
  if (!uri.empty()) command += " --tracking-uri " + shell_quote(uri);
  for (const auto& word : args) command += " " + shell_quote(word);
  command += " <" + shell_quote(dir + "/stdin") + " 2>" + shell_quote(dir + "/stderr");
  const CommandResult result = run_command(command);
  CliResult cli{result.exit_code, result.output, file_bytes(dir + "/stderr")};
  std::filesystem::remove_all(dir);
  return cli;
}

}  // namespace mlflow::testing
