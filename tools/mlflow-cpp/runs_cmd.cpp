// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp runs ...`: create, get, describe, search (list), end, set-status, delete, restore.

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "entity_json.hpp"
#include "exit_codes.hpp"
#include "mlflow/fluent.hpp"
#include "output.hpp"
#include "run_start.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct RunArgs {
  std::string run_id;
  std::string experiment_id;
  std::string experiment_name;
  std::string run_name;
  std::string description;
  std::vector<std::string> tags;
  std::string parent_run_id;
  std::string status;
  std::vector<std::string> experiment_ids;
  std::string filter;
  std::vector<std::string> order_by;
  std::string view = "active_only";
  long long max_results = -1;
  std::string metric_key;
};

// CLI11's ignore_case accepts "failed" but passes it on as typed.
std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void create(Context& context, const RunArgs& args) {
  RunStart start;
  start.experiment_id =
      resolve_experiment(context, args.experiment_id, args.experiment_name, std::nullopt);
  start.tags = parse_key_values(args.tags, "--tag");
  if (!args.run_name.empty()) start.run_name = args.run_name;
  if (!args.description.empty()) start.description = args.description;
  if (!args.parent_run_id.empty()) start.parent_run_id = args.parent_run_id;
  mlflow::Run created = create_run(context, start);
  if (!args.status.empty()) {
    mlflow::SetTerminatedOptions options;
    options.status = mlflow::run_status_from_string(upper(args.status));
    context.client().set_terminated(created.info.run_id, options);
    created = context.client().get_run(created.info.run_id);
  }
  emit(context, run_json(created), created.info.run_id);
}

void search(Context& context, const RunArgs& args) {
  if (args.max_results < -1) throw UsageError("max-results must be a non-negative integer");
  std::vector<std::string> experiments = args.experiment_ids;
  if (!args.experiment_name.empty()) {
    if (!experiments.empty()) {
      throw UsageError("Must specify exactly one of --experiment-id or --experiment-name.");
    }
    const auto experiment = context.client().get_experiment_by_name(args.experiment_name);
    if (!experiment) {
      throw mlflow::NotFound(mlflow::ErrorCode::kResourceDoesNotExist,
                             "Experiment with name '" + args.experiment_name + "' does not exist.");
    }
    experiments.push_back(experiment->experiment_id);
  } else if (experiments.empty()) {
    experiments.push_back(resolve_experiment(context, "", "", std::nullopt));
  }
  mlflow::SearchRunsOptions options;
  options.filter_string = args.filter;
  options.order_by = args.order_by;
  options.run_view_type = mlflow::view_type_from_string(args.view);
  std::vector<mlflow::Run> found;
  for (const auto& run : context.client().search_runs_all(experiments, options)) {
    if (args.max_results >= 0 && static_cast<long long>(found.size()) >= args.max_results) break;
    found.push_back(run);
  }
  Table table({"Date", "Name", "ID", "Status"});
  for (const auto& r : found) {
    table.add({format_time_ms(r.info.start_time), r.info.run_name, r.info.run_id,
               mlflow::to_string(r.info.status)});
  }
  emit(context, json_array(found, run_json), table);
}

void get(Context& context, const RunArgs& args) {
  const mlflow::Run run = context.client().get_run(run_id_or_env(args.run_id));
  Table table = fields_table(run_info_json(run.info));
  for (const auto& [key, value] : run.data.params) table.add({"params." + key, value});
  for (const auto& [key, value] : run.data.metrics)
    table.add({"metrics." + key, format_number(value)});
  for (const auto& [key, value] : run.data.tags) table.add({"tags." + key, value});
  emit(context, run_json(run), table);
}

}  // namespace

void add_runs_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "runs", "Create, search and manage runs");
  auto args = std::make_shared<RunArgs>();

  auto* create_cmd = add_command(
      *group, "create", "Start a run (left RUNNING unless --status ends it); prints its id",
      "RUN=$(mlflow-cpp runs create -n my-experiment --run-name baseline -t lr=0.1)");
  add_experiment_options(*create_cmd, args->experiment_id, args->experiment_name);
  create_cmd->add_option("--run-name", args->run_name, "Run name (default: a generated one)");
  create_cmd->add_option("--description", args->description, "Stored as mlflow.note.content");
  add_tag_option(*create_cmd, args->tags);
  create_cmd->add_option("--parent-run-id", args->parent_run_id, "Create it as a child run");
  create_cmd->add_option("--status", args->status, "End it at once: FINISHED, FAILED or KILLED")
      ->check(CLI::IsMember({"FINISHED", "FAILED", "KILLED"}, CLI::ignore_case));
  create_cmd->callback([&context, args] { create(context, *args); });

  auto* get_cmd = add_command(*group, "get", "Show a run: info, params, metrics, tags",
                              "mlflow-cpp runs get -r $RUN --json");
  add_run_id_option(*get_cmd, args->run_id);
  get_cmd->callback([&context, args] { get(context, *args); });

  auto* describe =
      add_command(*group, "describe", "Print a run as JSON (Python's `mlflow runs describe`)",
                  "mlflow-cpp runs describe -r $RUN | jq .data.metrics");
  add_run_id_option(*describe, args->run_id);
  describe->callback([&context, args] {
    context.options.json = true;
    get(context, *args);
  });

  auto* search_cmd =
      add_command(*group, "search", "List the runs of experiments (alias: list)",
                  "mlflow-cpp runs search -x 1 --filter \"params.lr = '0.1'\" --json");
  search_cmd->alias("list");
  search_cmd->add_option("-x,--experiment-id", args->experiment_ids,
                         "Experiment id (repeatable; default: $MLFLOW_EXPERIMENT_ID)");
  search_cmd->add_option("-n,--experiment-name", args->experiment_name, "Experiment name");
  add_filter_options(*search_cmd, args->filter, args->order_by, "\"metrics.loss < 0.1\"");
  search_cmd->add_option("-v,--view", args->view, "active_only (default), deleted_only or all");
  search_cmd->add_option("--max-results", args->max_results, "At most this many (default: all)");
  search_cmd->callback([&context, args] { search(context, *args); });

  auto* history = add_command(*group, "history", "Every point of one metric of a run",
                              "mlflow-cpp runs history -r $RUN loss --json");
  add_run_id_option(*history, args->run_id);
  history->add_option("key", args->metric_key, "Metric key")->required();
  history->callback([&context, args] {
    const auto points =
        context.client().get_metric_history(run_id_or_env(args->run_id), args->metric_key);
    Table table({"Step", "Value", "Timestamp"});
    for (const auto& m : points) {
      table.add({std::to_string(m.step), format_number(m.value), std::to_string(m.timestamp)});
    }
    emit(context, json_array(points, metric_json), table);
  });

  auto* end = add_command(*group, "end", "End a run: status (FINISHED) and end time",
                          "mlflow-cpp runs end -r $RUN --status FAILED");
  add_run_id_option(*end, args->run_id);
  end->add_option("--status", args->status, "FINISHED (default), FAILED or KILLED")
      ->check(CLI::IsMember({"FINISHED", "FAILED", "KILLED"}, CLI::ignore_case));
  end->callback([&context, args] {
    const std::string run_id = run_id_or_env(args->run_id);
    mlflow::SetTerminatedOptions options;
    if (!args->status.empty()) options.status = mlflow::run_status_from_string(upper(args->status));
    context.client().set_terminated(run_id, options);
    emit(context, run_info_json(context.client().get_run(run_id).info),
         "Run " + run_id + " ended " + mlflow::to_string(options.status) + ".");
  });

  auto* set_status = add_command(*group, "set-status", "Change a run's status only",
                                 "mlflow-cpp runs set-status -r $RUN KILLED");
  add_run_id_option(*set_status, args->run_id);
  set_status->add_option("status", args->status, "RUNNING, SCHEDULED, FINISHED, FAILED or KILLED")
      ->required()
      ->check(CLI::IsMember({"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"},
                            CLI::ignore_case));
  set_status->callback([&context, args] {
    const std::string run_id = run_id_or_env(args->run_id);
    mlflow::UpdateRunOptions options;
    options.status = mlflow::run_status_from_string(upper(args->status));
    context.client().update_run(run_id, options);
    emit(context, run_info_json(context.client().get_run(run_id).info),
         "Run " + run_id + " is " + mlflow::to_string(*options.status) + ".");
  });

  add_delete_restore(*group, "Mark a run deleted", "Restore a deleted run", "mlflow-cpp runs ",
                     " -r $RUN", [&context, args](CLI::App& command, bool deleted) {
                       add_run_id_option(command, args->run_id);
                       command.callback([&context, args, deleted] {
                         const std::string run_id = run_id_or_env(args->run_id);
                         if (deleted) {
                           context.client().delete_run(run_id);
                         } else {
                           context.client().restore_run(run_id);
                         }
                         emit_lifecycle(context, "run_id", run_id, deleted,
                                        "Run with ID " + run_id);
                       });
                     });
}

}  // namespace mlflow_cli
