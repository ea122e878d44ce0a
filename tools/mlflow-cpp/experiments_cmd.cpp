// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp experiments ...`: create, search (list), get, rename, delete, restore.

#include <CLI/CLI.hpp>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "entity_json.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct ExperimentArgs {
  std::string id;
  std::string name;
  std::string new_name;
  std::string artifact_location;
  std::vector<std::string> tags;
  std::string view = "active_only";
  long long max_results = -1;
  std::string filter;
  std::vector<std::string> order_by;
};

void add_id_option(CLI::App& command, std::string& id) {
  command.add_option("-x,--experiment-id", id, "Experiment id")->required();
}

void search(Context& context, const ExperimentArgs& args) {
  if (args.max_results < -1) throw UsageError("max-results must be a non-negative integer");
  mlflow::SearchExperimentsOptions options;
  options.view_type = mlflow::view_type_from_string(args.view);
  options.filter_string = args.filter;
  options.order_by = args.order_by;
  std::vector<mlflow::Experiment> found;
  for (const auto& experiment : context.client().search_experiments_all(options)) {
    if (args.max_results >= 0 && static_cast<long long>(found.size()) >= args.max_results) break;
    found.push_back(experiment);
  }
  Table table({"Experiment Id", "Name", "Artifact Location"});
  for (const auto& e : found) table.add({e.experiment_id, e.name, e.artifact_location});
  emit(context, json_array(found, experiment_json), table);
}

void get(Context& context, const ExperimentArgs& args) {
  if (args.id.empty() == args.name.empty()) {
    throw UsageError("Must specify exactly one of --experiment-id or --experiment-name.");
  }
  auto& client = context.client();
  mlflow::Experiment experiment;
  if (!args.id.empty()) {
    experiment = client.get_experiment(args.id);
  } else {
    auto by_name = client.get_experiment_by_name(args.name);
    if (!by_name) {
      throw mlflow::NotFound(mlflow::ErrorCode::kResourceDoesNotExist,
                             "Experiment with name '" + args.name + "' does not exist.");
    }
    experiment = *by_name;
  }
  JsonValue json = experiment_json(experiment);
  Table table = fields_table(json);
  emit(context, json, table);
}

}  // namespace

void add_experiments_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "experiments", "Create, search and manage experiments");
  auto args = std::make_shared<ExperimentArgs>();

  auto* create = add_command(*group, "create", "Create an experiment; prints its id",
                             "EXP=$(mlflow-cpp experiments create -n my-experiment -t team=hpc)");
  create->add_option("-n,--experiment-name", args->name, "Name (unique)")->required();
  create->add_option("-l,--artifact-location", args->artifact_location,
                     "Where its runs store artifacts (default: the store decides)");
  add_tag_option(*create, args->tags);
  create->callback([&context, args] {
    mlflow::CreateExperimentOptions options;
    if (!args->artifact_location.empty()) options.artifact_location = args->artifact_location;
    options.tags = parse_key_values(args->tags, "--tag");
    const std::string id = context.client().create_experiment(args->name, options);
    emit(context, JsonValue::object({{"experiment_id", id}, {"name", args->name}}), id);
  });

  auto* search_cmd = add_command(*group, "search", "List experiments (alias: list)",
                                 "mlflow-cpp experiments search --view all --json");
  search_cmd->alias("list");
  search_cmd->add_option("-v,--view", args->view, "active_only (default), deleted_only or all");
  search_cmd->add_option("--max-results", args->max_results, "At most this many (default: all)");
  add_filter_options(*search_cmd, args->filter, args->order_by, "\"name LIKE 'exp%'\"");
  search_cmd->callback([&context, args] { search(context, *args); });

  auto* get_cmd = add_command(*group, "get", "Show one experiment by id or name",
                              "mlflow-cpp experiments get -n my-experiment --json");
  get_cmd->add_option("-x,--experiment-id", args->id, "Experiment id");
  get_cmd->add_option("-n,--experiment-name", args->name, "Experiment name");
  get_cmd->callback([&context, args] { get(context, *args); });

  auto* rename = add_command(*group, "rename", "Rename an experiment",
                             "mlflow-cpp experiments rename -x 1 --new-name better-name");
  add_id_option(*rename, args->id);
  rename->add_option("--new-name", args->new_name, "New name")->required();
  rename->callback([&context, args] {
    context.client().rename_experiment(args->id, args->new_name);
    emit(context, JsonValue::object({{"experiment_id", args->id}, {"name", args->new_name}}),
         "Experiment " + args->id + " renamed to '" + args->new_name + "'.");
  });

  add_delete_restore(*group, "Delete an experiment (and mark its runs deleted)",
                     "Restore a deleted experiment", "mlflow-cpp experiments ", " -x 1",
                     [&context, args](CLI::App& command, bool deleted) {
                       add_id_option(command, args->id);
                       command.callback([&context, args, deleted] {
                         if (deleted) {
                           context.client().delete_experiment(args->id);
                         } else {
                           context.client().restore_experiment(args->id);
                         }
                         emit_lifecycle(context, "experiment_id", args->id, deleted,
                                        "Experiment with id " + args->id);
                       });
                     });
}

}  // namespace mlflow_cli
