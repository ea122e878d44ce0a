// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp traces ...`: search, get (GenAI traces recorded by mlflow-cpp or Python).

#include <CLI/CLI.hpp>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "entity_json.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

struct TraceArgs {
  std::string trace_id;
  std::vector<std::string> experiment_ids;
  std::string filter;
  std::vector<std::string> order_by;
  std::string run_id;
  int max_results = 100;
};

std::string trace_name(const mlflow::TraceInfo& info) {
  const auto it = info.tags.find(mlflow::TraceTagKey::kTraceName);
  return it == info.tags.end() ? "" : it->second;
}

}  // namespace

void add_traces_commands(CLI::App& app, Context& context) {
  auto* group = add_group(app, "traces", "Search and show GenAI traces");
  auto args = std::make_shared<TraceArgs>();

  auto* search = add_command(*group, "search", "Search the traces of experiments",
                             "mlflow-cpp traces search -x 1 --filter \"trace.status = 'ERROR'\"");
  search->add_option("-x,--experiment-id", args->experiment_ids,
                     "Experiment id (repeatable; default: $MLFLOW_EXPERIMENT_ID)");
  add_filter_options(*search, args->filter, args->order_by, "\"trace.status = 'OK'\"");
  search->add_option("-r,--run-id", args->run_id, "Only the traces of this run");
  search->add_option("--max-results", args->max_results, "At most this many (default 100)");
  search->callback([&context, args] {
    mlflow::SearchTracesOptions options;
    options.experiment_ids = args->experiment_ids;
    if (options.experiment_ids.empty()) {
      options.experiment_ids.push_back(resolve_experiment(context, "", "", std::nullopt));
    }
    options.filter_string = args->filter;
    options.order_by = args->order_by;
    options.max_results = args->max_results;
    if (!args->run_id.empty()) options.run_id = args->run_id;
    options.include_spans = false;
    const auto page = context.client().search_traces(options);
    std::vector<mlflow::TraceInfo> infos;
    for (const auto& trace : page) infos.push_back(trace.info);
    Table table({"Trace Id", "Name", "State", "Request Time", "Duration (ms)"});
    for (const auto& i : infos) {
      table.add({i.trace_id, trace_name(i), mlflow::to_string(i.state),
                 format_time_ms(i.request_time),
                 i.execution_duration ? std::to_string(*i.execution_duration) : ""});
    }
    emit(context, json_array(infos, trace_info_json), table);
  });

  auto* get = add_command(*group, "get", "Show a trace with its spans",
                          "mlflow-cpp traces get tr-0123abcd --json");
  get->add_option("trace_id", args->trace_id, "Trace id (tr-...)")->required();
  get->callback([&context, args] {
    const auto trace = context.client().get_trace(args->trace_id);
    Table table({"Span", "Parent", "Name", "Status", "Duration (ms)"});
    for (const auto& s : trace.data.spans) {
      table.add(
          {s.span_id, s.parent_id.value_or(""), s.name, mlflow::to_string(s.status.status_code),
           s.end_time_ns ? std::to_string((*s.end_time_ns - s.start_time_ns) / 1000000) : ""});
    }
    emit(context, trace_json(trace), table);
  });
}

}  // namespace mlflow_cli
