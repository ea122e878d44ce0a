// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp run -- CMD ...`: a run around a command. CMD sees MLFLOW_RUN_ID,
// MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_ID, so mlflow-cpp or Python mlflow inside it logs
// into the run; the run ends FINISHED when CMD exits 0, else FAILED, and the tool exits with
// CMD's status (128 + signal when CMD was killed, as shells report it).

#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "mlflow/fluent.hpp"
#include "output.hpp"
#include "run_start.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct RunCommandArgs {
  std::string experiment_id;
  std::string experiment_name;
  std::string run_name;
  std::vector<std::string> tags;
  bool system_metrics = false;
  std::vector<std::string> command;
};

volatile sig_atomic_t g_child = 0;

// Signals meant for the job (Ctrl-C, a batch system's SIGTERM) go to CMD; the run then ends
// from CMD's status.
void forward_signal(int signal) {
  if (g_child > 0) ::kill(static_cast<pid_t>(g_child), signal);
}

int exec_and_wait(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0) return kExitCommandNotRun;
  if (child == 0) {
    ::execvp(argv[0], argv.data());
    std::cerr << "mlflow-cpp: error: cannot run '" << command[0] << "'\n";
    ::_exit(kExitCommandNotRun);
  }
  g_child = child;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, forward_signal);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return kExitFailure;
  }
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, SIG_DFL);
  g_child = 0;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

void run_command(Context& context, const RunCommandArgs& args) {
  if (args.command.empty()) throw UsageError("Missing the command: mlflow-cpp run -- CMD ...");
  RunStart start;
  start.experiment_id =
      resolve_experiment(context, args.experiment_id, args.experiment_name, std::string("0"));
  start.tags = parse_key_values(args.tags, "--tag");
  if (!args.run_name.empty()) start.run_name = args.run_name;
  // Inside another `mlflow-cpp run`, the new run is its child.
  if (const char* outer = std::getenv("MLFLOW_RUN_ID"); outer != nullptr && *outer != '\0') {
    start.parent_run_id = std::string(outer);
  }
  start.log_system_metrics = args.system_metrics;
  mlflow::ActiveRun run = start_run(context, start);
  const std::string run_id = run.run_id();
  ::setenv("MLFLOW_RUN_ID", run_id.c_str(), 1);
  ::setenv("MLFLOW_EXPERIMENT_ID", run.info().experiment_id.c_str(), 1);
  ::unsetenv("MLFLOW_EXPERIMENT_NAME");
  ::setenv("MLFLOW_TRACKING_URI",
           (context.options.tracking_uri.empty() ? mlflow::get_tracking_uri()
                                                 : context.options.tracking_uri)
               .c_str(),
           1);
  std::cerr << "mlflow-cpp: run " << run_id << " started\n";
  const int status = exec_and_wait(args.command);
  const auto end_status = status == 0 ? mlflow::RunStatus::kFinished : mlflow::RunStatus::kFailed;
  run.end(end_status);
  std::cerr << "mlflow-cpp: run " << run_id << " ended " << mlflow::to_string(end_status)
            << " (exit status " << status << ")\n";
  if (context.options.json) {
    emit(context,
         JsonValue::object({{"run_id", run_id},
                            {"status", mlflow::to_string(end_status)},
                            {"exit_status", status}}),
         "");
  }
  command_exit_status() = status;
}

}  // namespace

void add_run_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<RunCommandArgs>();
  auto* run = app.add_subcommand(
      "run", "Run a command inside a new run (ends FINISHED or FAILED from its exit status)");
  add_experiment_options(*run, args->experiment_id, args->experiment_name);
  run->add_option("--run-name", args->run_name, "Run name (default: a generated one)");
  add_tag_option(*run, args->tags);
  run->add_flag("--system-metrics", args->system_metrics,
                "Sample CPU/memory/GPU metrics into the run while CMD runs");
  run->add_option("command", args->command, "The command and its arguments (after --)");
  run->footer(
      "CMD gets MLFLOW_RUN_ID, MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_ID; the tool exits "
      "with CMD's status.\nExample:\n  mlflow-cpp run -n sweep --run-name lr0.1 -- ./train "
      "--lr 0.1");
  run->callback([&context, args] { run_command(context, *args); });
}

}  // namespace mlflow_cli
