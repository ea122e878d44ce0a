// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp prompts ...`: register, load, format, search (the prompt registry).

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

struct PromptArgs {
  std::string name;
  std::string template_text;
  std::string template_file;
  std::string chat_file;
  std::string commit_message;
  std::vector<std::string> tags;
  std::vector<std::string> variables;
  int version = 0;
  bool allow_partial = false;
  std::string filter;
};

std::vector<mlflow::ChatMessage> read_chat(const std::string& path) {
  const JsonValue json = JsonValue::parse(read_input(path));
  if (!json.is_array()) {
    throw mlflow::InvalidArgument(mlflow::ErrorCode::kInvalidParameterValue,
                                  "--chat-file must hold a JSON list of {\"role\", \"content\"}.");
  }
  std::vector<mlflow::ChatMessage> messages;
  for (const auto& item : json.as_array()) {
    const JsonValue* role = item.is_object() ? item.find("role") : nullptr;
    const JsonValue* content = item.is_object() ? item.find("content") : nullptr;
    if (role == nullptr || content == nullptr || !role->is_string() || !content->is_string()) {
      throw mlflow::InvalidArgument(mlflow::ErrorCode::kInvalidParameterValue,
                                    "Each chat message needs string \"role\" and \"content\".");
    }
    messages.push_back({role->as_string(), content->as_string()});
  }
  return messages;
}

void register_prompt(Context& context, const PromptArgs& args) {
  const int sources =
      !args.template_text.empty() + !args.template_file.empty() + !args.chat_file.empty();
  if (sources != 1) {
    throw UsageError("Give exactly one of --template, --template-file or --chat-file.");
  }
  mlflow::RegisterPromptOptions options;
  if (!args.commit_message.empty()) options.commit_message = args.commit_message;
  options.tags = parse_key_values(args.tags, "--tag");
  auto& client = context.client();
  const mlflow::PromptVersion version =
      !args.chat_file.empty()
          ? client.register_prompt(args.name, read_chat(args.chat_file), options)
          : client.register_prompt(
                args.name,
                args.template_text.empty() ? read_input(args.template_file) : args.template_text,
                options);
  emit(context, prompt_version_json(version), version.uri());
}

mlflow::PromptVersion load(Context& context, const PromptArgs& args) {
  mlflow::LoadPromptOptions options;
  if (args.version > 0) options.version = args.version;
  return *context.client().load_prompt(args.name, options);
}

void format(Context& context, const PromptArgs& args) {
  const auto prompt = load(context, args);
  mlflow::PromptValues values;
  for (const auto& [key, value] : parse_key_values(args.variables, "--var")) values[key] = value;
  mlflow::FormatOptions options;
  options.allow_partial = args.allow_partial;
  if (prompt.is_text_prompt()) {
    const std::string text = prompt.format_as_text(values, options);
    emit(context, JsonValue::object({{"text", text}}), text);
    return;
  }
  JsonValue messages = JsonValue::array();
  std::string text;
  for (const auto& m : prompt.format_as_messages(values, options)) {
    messages.push_back(JsonValue::object({{"role", m.role}, {"content", m.content}}));
    text += (text.empty() ? "" : "\n") + m.role + ": " + m.content;
  }
  emit(context, JsonValue::object({{"messages", messages}}), text);
}

}  // namespace

void add_prompts_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "prompts", "The prompt registry: register, load, format");
  auto args = std::make_shared<PromptArgs>();

  auto* reg = add_command(*group, "register", "Register a new version of a prompt",
                          "mlflow-cpp prompts register summarize --template "
                          "'Summarize {{text}} in {{n}} words' -m first");
  reg->add_option("name", args->name, "Prompt name")->required();
  reg->add_option("--template", args->template_text, "Text template, {{variable}} placeholders");
  reg->add_option("--template-file", args->template_file, "Text template from a file (- = stdin)");
  reg->add_option("--chat-file", args->chat_file,
                  "Chat template: a JSON list of {\"role\",\"content\"} (- = stdin)");
  reg->add_option("-m,--commit-message", args->commit_message, "Commit message");
  add_tag_option(*reg, args->tags);
  reg->callback([&context, args] { register_prompt(context, *args); });

  auto* load_cmd = add_command(*group, "load", "Show a prompt version",
                               "mlflow-cpp prompts load prompts:/summarize@production --json");
  load_cmd->add_option("name", args->name, "Name, prompts:/name/3 or prompts:/name@alias")
      ->required();
  load_cmd->add_option("--version", args->version, "Version (default: the latest)");
  load_cmd->callback([&context, args] {
    const auto version = load(context, *args);
    emit(context, prompt_version_json(version), fields_table(prompt_version_json(version)));
  });

  auto* format_cmd =
      add_command(*group, "format", "Fill a prompt's variables; prints the text",
                  "mlflow-cpp prompts format summarize -v text=\"$(cat a.txt)\" -v n=50");
  format_cmd->add_option("name", args->name, "Name, prompts:/name/3 or prompts:/name@alias")
      ->required();
  format_cmd->add_option("--version", args->version, "Version (default: the latest)");
  format_cmd->add_option("-v,--var", args->variables, "Variable key=value (repeatable)");
  format_cmd->add_flag("--allow-partial", args->allow_partial,
                       "Leave missing variables as they are");
  format_cmd->callback([&context, args] { format(context, *args); });

  auto* search = add_command(*group, "search", "Search prompts (alias: list)",
                             "mlflow-cpp prompts search --json");
  search->alias("list");
  search->add_option("--filter", args->filter, "e.g. \"name LIKE 'sum%'\"");
  search->callback([&context, args] {
    mlflow::SearchPromptsOptions options;
    options.filter_string = args->filter;
    const auto prompts = context.client().search_prompts_all(options).to_vector();
    Table table({"Name", "Description", "Created"});
    for (const auto& p : prompts) {
      table.add({p.name, p.description.value_or(""), format_time_ms(p.creation_timestamp)});
    }
    emit(context, json_array(prompts, prompt_json), table);
  });
}

}  // namespace mlflow_cli
