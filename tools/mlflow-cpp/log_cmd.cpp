// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp log ...`: metric, param, tag, batch (JSON Lines or CSV, a file or - for stdin).

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "args.hpp"
#include "batch_input.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct LogArgs {
  std::string run_id;
  std::string key;
  std::string value;
  long long step = 0;
  long long timestamp = -1;
  std::string input;
  std::string format = "auto";
};

double metric_value(const std::string& key, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
    throw mlflow::InvalidArgument(mlflow::ErrorCode::kInvalidParameterValue,
                                  "Got invalid value " + text + " for metric '" + key +
                                      "' (value must be a number, e.g. 0.5, 1e-3, nan, inf).");
  }
  return value;
}

void add_key_value(CLI::App& command, LogArgs& args) {
  add_run_id_option(command, args.run_id);
  command.add_option("key", args.key, "Key")->required();
  command.add_option("value", args.value, "Value")->required();
}

void log_batch(Context& context, const LogArgs& args) {
  const std::string run_id = run_id_or_env(args.run_id);
  const std::string text = read_input(args.input);
  BatchFormat format = BatchFormat::kAuto;
  if (args.format == "csv") format = BatchFormat::kCsv;
  if (args.format == "jsonl") format = BatchFormat::kJsonLines;
  if (format == BatchFormat::kAuto) format = detect_batch_format(args.input, text);
  const Batch batch = parse_batch(text, format, now_ms());
  context.client().log_batch(run_id, batch.metrics, batch.params, batch.tags);
  const JsonValue json = JsonValue::object({{"run_id", run_id},
                                            {"metrics", batch.metrics.size()},
                                            {"params", batch.params.size()},
                                            {"tags", batch.tags.size()}});
  emit(context, json,
       "Logged " + std::to_string(batch.metrics.size()) + " metric points, " +
           std::to_string(batch.params.size()) + " params, " + std::to_string(batch.tags.size()) +
           " tags to run " + run_id + ".");
}

}  // namespace

void add_log_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "log", "Log metrics, params and tags to a run");
  auto args = std::make_shared<LogArgs>();

  auto* metric = add_command(*group, "metric", "Log one metric point",
                             "mlflow-cpp log metric -r $RUN loss 0.25 --step 10");
  add_key_value(*metric, *args);
  metric->add_option("-s,--step", args->step, "Step (default 0)");
  metric->add_option("--timestamp", args->timestamp, "Milliseconds since the epoch (default now)");
  metric->callback([&context, args] {
    const std::string run_id = run_id_or_env(args->run_id);
    const double value = metric_value(args->key, args->value);
    mlflow::LogMetricOptions options;
    options.step = args->step;
    if (args->timestamp >= 0) options.timestamp = args->timestamp;
    context.client().log_metric(run_id, args->key, value, options);
    emit(context,
         JsonValue::object(
             {{"run_id", run_id}, {"key", args->key}, {"value", value}, {"step", args->step}}),
         "Logged metric " + args->key + "=" + format_number(value) + " at step " +
             std::to_string(args->step) + ".");
  });

  // param and tag: one key and text value each, told apart only by the call and the words.
  for (const bool is_param : {true, false}) {
    auto* command = is_param ? add_command(*group, "param", "Log one param (params never change)",
                                           "mlflow-cpp log param -r $RUN learning_rate 0.01")
                             : add_command(*group, "tag", "Set one tag",
                                           "mlflow-cpp log tag -r $RUN stage tuning");
    add_key_value(*command, *args);
    command->callback([&context, args, is_param] {
      const std::string run_id = run_id_or_env(args->run_id);
      if (is_param) {
        context.client().log_param(run_id, args->key, args->value);
      } else {
        context.client().set_tag(run_id, args->key, args->value);
      }
      emit(context,
           JsonValue::object({{"run_id", run_id}, {"key", args->key}, {"value", args->value}}),
           std::string(is_param ? "Logged param " : "Set tag ") + args->key + "=" + args->value +
               ".");
    });
  }

  auto* batch = group->add_subcommand(
      "batch", "Log many metrics/params/tags from JSON Lines or CSV (a file, or - for stdin)");
  add_run_id_option(*batch, args->run_id);
  batch->add_option("input", args->input, "File, or - for stdin")->required();
  batch->add_option("--format", args->format, "auto (default: by name or content), jsonl or csv")
      ->check(CLI::IsMember({"auto", "jsonl", "csv"}));
  batch->footer(
      "Input: JSON Lines {\"key\":\"loss\",\"value\":0.5,\"step\":1[,\"timestamp\":ms]}\n"
      "  ({\"type\":\"param\"|\"tag\",\"key\":..,\"value\":\"..\"}), or CSV with a header:\n"
      "  key,value[,step][,timestamp][,type]  or wide  step,loss,accuracy\n"
      "Example:\n  ./simulate | mlflow-cpp log batch -r $RUN --format csv -");
  batch->callback([&context, args] { log_batch(context, *args); });
}

}  // namespace mlflow_cli
