// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "args.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "exit_codes.hpp"

namespace mlflow_cli {

std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& words,
                                                    const std::string& what) {
  std::map<std::string, std::string> out;
  for (const auto& word : words) {
    const auto eq = word.find('=');
    if (eq == std::string::npos) {
      throw UsageError("Invalid " + what + " '" + word + "': use key=value.");
    }
    if (!out.emplace(word.substr(0, eq), word.substr(eq + 1)).second) {
      throw UsageError("Duplicate " + what + " key: '" + word.substr(0, eq) + "'.");
    }
  }
  return out;
}

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

std::string resolve_experiment(Context& context, const std::string& id, const std::string& name,
                               const std::optional<std::string>& fallback) {
  std::string chosen_id = id;
  std::string chosen_name = name;
  if (chosen_id.empty() && chosen_name.empty()) {
    chosen_id = env_or_empty("MLFLOW_EXPERIMENT_ID");
    chosen_name = env_or_empty("MLFLOW_EXPERIMENT_NAME");
  }
  if (!chosen_id.empty() && !chosen_name.empty()) {
    throw UsageError("Must specify exactly one of --experiment-id or --experiment-name.");
  }
  if (!chosen_id.empty()) return chosen_id;
  if (!chosen_name.empty()) {
    auto& client = context.client();
    if (auto experiment = client.get_experiment_by_name(chosen_name)) {
      return experiment->experiment_id;
    }
    return client.create_experiment(chosen_name);
  }
  if (fallback) return *fallback;
  throw UsageError("Must specify exactly one of --experiment-id or --experiment-name.");
}

CLI::App* add_group(CLI::App& app, const std::string& name, const std::string& description) {
  CLI::App* group = app.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description,
                      const std::string& example) {
  CLI::App* command = parent.add_subcommand(name, description);
  command->footer("Example:\n  " + example);
  return command;
}

void add_delete_restore(CLI::App& group, const std::string& delete_description,
                        const std::string& restore_description, const std::string& example_prefix,
                        const std::string& example_suffix,
                        const std::function<void(CLI::App& command, bool deleted)>& setup) {
  for (const bool deleted : {true, false}) {
    const std::string verb = deleted ? "delete" : "restore";
    setup(*add_command(group, verb, deleted ? delete_description : restore_description,
                       example_prefix + verb + example_suffix),
          deleted);
  }
}

void add_tag_option(CLI::App& command, std::vector<std::string>& tags) {
  command.add_option("-t,--tag", tags, "Tag key=value (repeatable)");
}

void add_filter_options(CLI::App& command, std::string& filter, std::vector<std::string>& order_by,
                        const std::string& filter_example) {
  command.add_option("--filter", filter, "MLflow filter, e.g. " + filter_example);
  command.add_option("--order-by", order_by, "Order clause (repeatable)");
}

void add_experiment_options(CLI::App& command, std::string& id, std::string& name) {
  command.add_option("-x,--experiment-id", id, "Experiment id (default: $MLFLOW_EXPERIMENT_ID)");
  command.add_option("-n,--experiment-name", name,
                     "Experiment name, created when missing (default: $MLFLOW_EXPERIMENT_NAME)");
}

void add_run_id_option(CLI::App& command, std::string& run_id) {
  command.add_option("-r,--run-id", run_id, "Run id (default: $MLFLOW_RUN_ID)");
}

std::string run_id_or_env(const std::string& run_id) {
  if (!run_id.empty()) return run_id;
  std::string from_env = env_or_empty("MLFLOW_RUN_ID");
  if (from_env.empty()) throw UsageError("Missing --run-id (and MLFLOW_RUN_ID is not set).");
  return from_env;
}

std::string read_input(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw mlflow::InvalidArgument(mlflow::ErrorCode::kInvalidParameterValue,
                                  "Cannot read the input file '" + path + "'.");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mlflow_cli
