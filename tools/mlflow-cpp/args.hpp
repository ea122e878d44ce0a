// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Command-line values shared by several commands.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "context.hpp"

namespace CLI {
class App;
}

namespace mlflow_cli {

/// `key=value` words as a map; a word without '=' or a repeated key is a UsageError (as the
/// Python CLI refuses them). `what` names the option in the message ("--tag").
std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& words,
                                                    const std::string& what);

/// Where a run-creating command puts its run: `--experiment-id` or `--experiment-name` (at most
/// one), else MLFLOW_EXPERIMENT_ID / MLFLOW_EXPERIMENT_NAME, else `fallback` (std::nullopt: a
/// UsageError). A name that does not exist is created, as Python's set_experiment does.
std::string resolve_experiment(Context& context, const std::string& id, const std::string& name,
                               const std::optional<std::string>& fallback);

/// A command group (`experiments`, `runs`, ...): one of its subcommands is required.
CLI::App* add_group(CLI::App& app, const std::string& name, const std::string& description);

/// A subcommand of `parent` (a group, or the app) with its one-line description and a usage
/// example, shown under "Example:" in its --help.
CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description,
                      const std::string& example);

/// Adds `delete` and `restore` to the group of a soft-deleted entity (experiments, runs), with
/// the examples `example_prefix + "delete" + example_suffix` and likewise; `setup(command,
/// deleted)` adds each one's options and callback (deleted: true for `delete`).
void add_delete_restore(CLI::App& group, const std::string& delete_description,
                        const std::string& restore_description, const std::string& example_prefix,
                        const std::string& example_suffix,
                        const std::function<void(CLI::App& command, bool deleted)>& setup);

/// Adds the repeatable `-t/--tag key=value` option (see parse_key_values).
void add_tag_option(CLI::App& command, std::vector<std::string>& tags);

/// Adds `--filter` (with an example of the grammar) and the repeatable `--order-by`.
void add_filter_options(CLI::App& command, std::string& filter, std::vector<std::string>& order_by,
                        const std::string& filter_example);

/// Adds `--experiment-id/-x` and `--experiment-name/-n` to `command`.
void add_experiment_options(CLI::App& command, std::string& id, std::string& name);

/// Adds `-r/--run-id` to `command` (default: $MLFLOW_RUN_ID, see run_id_or_env).
void add_run_id_option(CLI::App& command, std::string& run_id);
/// `run_id`, else $MLFLOW_RUN_ID (set by `mlflow-cpp run -- CMD`), else a UsageError.
std::string run_id_or_env(const std::string& run_id);

/// The text a command reads from `path` ("-" = stdin).
std::string read_input(const std::string& path);

/// Milliseconds since the epoch, now.
std::int64_t now_ms();

}  // namespace mlflow_cli
