// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp models ...`: registered models (create, get, search, set-alias) and their
// versions (`models versions create|get|search`).

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

struct ModelArgs {
  std::string name;
  std::string version;
  std::string alias;
  std::string source;
  std::string run_id;
  std::string description;
  std::vector<std::string> tags;
  std::string filter;
  int max_results = 100;
};

Table versions_table(const std::vector<mlflow::ModelVersion>& versions) {
  Table table({"Name", "Version", "Stage", "Status", "Aliases", "Source"});
  for (const auto& v : versions) {
    std::string aliases;
    for (const auto& alias : v.aliases) aliases += (aliases.empty() ? "" : ",") + alias;
    table.add({v.name, v.version, mlflow::to_string(v.current_stage), mlflow::to_string(v.status),
               aliases, v.source});
  }
  return table;
}

void add_versions_commands(CLI::App& models, Context& context,
                           const std::shared_ptr<ModelArgs>& args) {
  auto* group = add_group(models, "versions", "Create, get and search model versions");

  auto* create = add_command(*group, "create", "Create a version of a registered model",
                             "mlflow-cpp models versions create my-model "
                             "mlflow-artifacts:/1/$RUN/artifacts/model -r $RUN");
  create->add_option("name", args->name, "Registered model name")->required();
  create->add_option("source", args->source, "Where the model files are (URI or path)")->required();
  create->add_option("-r,--run-id", args->run_id, "The run that produced it");
  create->add_option("--description", args->description, "Description");
  add_tag_option(*create, args->tags);
  create->callback([&context, args] {
    mlflow::CreateModelVersionOptions options;
    if (!args->run_id.empty()) options.run_id = args->run_id;
    if (!args->description.empty()) options.description = args->description;
    options.tags = parse_key_values(args->tags, "--tag");
    const auto version = context.client().create_model_version(args->name, args->source, options);
    emit(context, model_version_json(version), version.version);
  });

  auto* get = add_command(*group, "get", "Show a version by number or alias",
                          "mlflow-cpp models versions get my-model --alias champion --json");
  get->add_option("name", args->name, "Registered model name")->required();
  auto* number = get->add_option("version", args->version, "Version number");
  auto* alias = get->add_option("-a,--alias", args->alias, "Alias instead of a number");
  number->excludes(alias);
  get->callback([&context, args] {
    if (args->version.empty() == args->alias.empty()) {
      throw UsageError("Give exactly one of a version number or --alias.");
    }
    const auto version = args->alias.empty()
                             ? context.client().get_model_version(args->name, args->version)
                             : context.client().get_model_version_by_alias(args->name, args->alias);
    emit(context, model_version_json(version), fields_table(model_version_json(version)));
  });

  auto* search = add_command(*group, "search", "Search model versions",
                             "mlflow-cpp models versions search --filter \"name = 'my-model'\"");
  search->add_option("--filter", args->filter, "e.g. \"name = 'my-model'\"");
  search->add_option("--max-results", args->max_results, "At most this many per page");
  search->callback([&context, args] {
    mlflow::SearchModelVersionsOptions options;
    options.filter_string = args->filter;
    const auto versions = context.client().search_model_versions_all(options).to_vector();
    emit(context, json_array(versions, model_version_json), versions_table(versions));
  });
}

}  // namespace

void add_models_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "models", "The model registry: models, versions, aliases");
  auto args = std::make_shared<ModelArgs>();

  auto* create = add_command(*group, "create", "Create a registered model",
                             "mlflow-cpp models create my-model --description \"ResNet on HPC\"");
  create->add_option("name", args->name, "Name (unique)")->required();
  create->add_option("--description", args->description, "Description");
  add_tag_option(*create, args->tags);
  create->callback([&context, args] {
    mlflow::CreateRegisteredModelOptions options;
    if (!args->description.empty()) options.description = args->description;
    options.tags = parse_key_values(args->tags, "--tag");
    const auto model = context.client().create_registered_model(args->name, options);
    emit(context, registered_model_json(model), "Created registered model '" + model.name + "'.");
  });

  auto* get = add_command(*group, "get", "Show a registered model",
                          "mlflow-cpp models get my-model --json");
  get->add_option("name", args->name, "Name")->required();
  get->callback([&context, args] {
    const auto model = context.client().get_registered_model(args->name);
    emit(context, registered_model_json(model), fields_table(registered_model_json(model)));
  });

  auto* search = add_command(*group, "search", "Search registered models (alias: list)",
                             "mlflow-cpp models search --filter \"name LIKE 'res%'\"");
  search->alias("list");
  search->add_option("--filter", args->filter, "e.g. \"name LIKE 'res%'\"");
  search->callback([&context, args] {
    mlflow::SearchRegisteredModelsOptions options;
    options.filter_string = args->filter;
    const auto models = context.client().search_registered_models_all(options).to_vector();
    Table table({"Name", "Latest versions", "Description"});
    for (const auto& m : models) {
      std::string latest;
      for (const auto& v : m.latest_versions) latest += (latest.empty() ? "" : ",") + v.version;
      table.add({m.name, latest, m.description.value_or("")});
    }
    emit(context, json_array(models, registered_model_json), table);
  });

  auto* set_alias = add_command(*group, "set-alias", "Point an alias at a version",
                                "mlflow-cpp models set-alias my-model champion 3");
  set_alias->add_option("name", args->name, "Registered model name")->required();
  set_alias->add_option("alias", args->alias, "Alias, e.g. champion")->required();
  set_alias->add_option("version", args->version, "Version number")->required();
  set_alias->callback([&context, args] {
    context.client().set_registered_model_alias(args->name, args->alias, args->version);
    emit(context,
         JsonValue::object(
             {{"name", args->name}, {"alias", args->alias}, {"version", args->version}}),
         "Alias '" + args->alias + "' of '" + args->name + "' points at version " + args->version +
             ".");
  });

  add_versions_commands(*group, context, args);
}

}  // namespace mlflow_cli
