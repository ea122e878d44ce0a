// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// mlflow-cpp: MLflow from the shell (docs/cli.md). Errors go to stderr as one line
// "mlflow-cpp: error: ..." and end the process with the code of their class (exit_codes.hpp).

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/version.hpp"

namespace mlflow_cli {

int& command_exit_status() {
  static int status = kExitOk;
  return status;
}

namespace {

int fail(int code, const std::string& message) {
  std::cerr << "mlflow-cpp: error: " << message << '\n';
  return code;
}

int run_cli(int argc, char** argv) {
  Context context;
  CLI::App app{"mlflow-cpp: MLflow tracking, registry, prompts and traces from the shell.",
               "mlflow-cpp"};
  // Global options are accepted after the subcommand too (`runs get ID --json`).
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("mlflow-cpp ") + mlflow::kVersion + " (MLflow " +
                                        mlflow::kPinnedMlflowVersion + ")");
  app.add_option("--tracking-uri", context.options.tracking_uri,
                 "Tracking URI: http(s)://host:port or sqlite:///path.db (default: "
                 "$MLFLOW_TRACKING_URI, else sqlite:///./mlflow.db)");
  app.add_flag("--json", context.options.json, "Print JSON for scripts instead of tables");
  app.footer(
      "Example:\n  mlflow-cpp --tracking-uri sqlite:///mlflow.db experiments create -n demo\n"
      "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 invalid parameter, 5 already "
      "exists,\n  6 permission denied, 7 server unreachable/transient, 8 invalid state, 9 not "
      "implemented.");

  add_experiments_commands(app, context);
  add_runs_commands(app, context);
  add_log_commands(app, context);
  add_artifacts_commands(app, context);
  add_run_command(app, context);
  add_models_commands(app, context);
  add_prompts_commands(app, context);
  add_traces_commands(app, context);
  add_doctor_commands(app, context);
  add_sync_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const UsageError& e) {
    return fail(kExitUsage, e.what());
  } catch (const mlflow::MlflowException& e) {
    return fail(exit_code_for(e.error_code()),
                std::string(e.what()) + " [" + mlflow::error_code_name(e.error_code()) + "]");
  } catch (const std::exception& e) {
    return fail(kExitFailure, e.what());
  }
  return command_exit_status();
}

}  // namespace
}  // namespace mlflow_cli

int main(int argc, char** argv) { return mlflow_cli::run_cli(argc, argv); }
