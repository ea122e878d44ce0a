// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// One function per command group (one file each); main.cpp calls them in help order.

#include "context.hpp"

namespace CLI {
class App;
}

namespace mlflow_cli {

void add_experiments_commands(CLI::App& app, Context& context);
void add_runs_commands(CLI::App& app, Context& context);
void add_log_commands(CLI::App& app, Context& context);
void add_artifacts_commands(CLI::App& app, Context& context);
void add_run_command(CLI::App& app, Context& context);
void add_models_commands(CLI::App& app, Context& context);
void add_prompts_commands(CLI::App& app, Context& context);
void add_traces_commands(CLI::App& app, Context& context);
void add_doctor_commands(CLI::App& app, Context& context);
void add_sync_command(CLI::App& app, Context& context);

/// The exit status a command asks for beyond success (`run -- CMD` returns CMD's).
int& command_exit_status();

}  // namespace mlflow_cli
