// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp sync SRC DST`: mlflow::sync from the shell (docs/cli.md, ADR 0025). A progress
// line on stderr while it runs, only when stderr is a terminal.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "mlflow/sync.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

struct SyncArgs {
  std::string source;
  std::string destination;
  std::vector<std::string> experiments;
  std::string state;
  int parallel = 4;
  bool dry_run = false;
};

JsonValue summary_json(const mlflow::SyncSummary& s) {
  JsonValue conflicts = JsonValue::array();
  for (const auto& c : s.conflicts) {
    conflicts.push_back(JsonValue::object(
        {{"kind", c.kind}, {"name", c.name}, {"detail", c.detail}, {"resolution", c.resolution}}));
  }
  return JsonValue::object({{"dry_run", s.dry_run},
                            {"experiments_created", s.experiments_created},
                            {"runs_seen", s.runs_seen},
                            {"runs_created", s.runs_created},
                            {"runs_updated", s.runs_updated},
                            {"runs_terminated", s.runs_terminated},
                            {"params", s.params},
                            {"tags", s.tags},
                            {"metric_points", s.metric_points},
                            {"dataset_inputs", s.dataset_inputs},
                            {"artifact_files", s.artifact_files},
                            {"artifact_bytes", s.artifact_bytes},
                            {"writes", s.writes},
                            {"conflicts", conflicts}});
}

Table summary_table(const mlflow::SyncSummary& s) {
  Table table({s.dry_run ? "Would copy" : "Copied", "Count"});
  const std::pair<const char*, std::int64_t> rows[] = {
      {"experiments created", s.experiments_created},
      {"runs created", s.runs_created},
      {"runs updated", s.runs_updated},
      {"runs ended", s.runs_terminated},
      {"params", s.params},
      {"tags", s.tags},
      {"metric points", s.metric_points},
      {"dataset inputs", s.dataset_inputs},
      {"artifact files", s.artifact_files},
      {"artifact bytes", s.artifact_bytes},
      {"conflicts", static_cast<std::int64_t>(s.conflicts.size())}};
  for (const auto& [what, count] : rows) table.add({what, std::to_string(count)});
  return table;
}

void print_conflicts(const mlflow::SyncSummary& s) {
  if (s.conflicts.empty()) return;
  Table table({"Conflict", "Name", "Detail", "Resolution"});
  for (const auto& c : s.conflicts) table.add({c.kind, c.name, c.detail, c.resolution});
  std::cerr << table.render();
}

}  // namespace

void add_sync_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<SyncArgs>();
  auto* sync = app.add_subcommand(
      "sync", "Copy experiments and runs from SRC to DST; a second sync copies nothing twice");
  sync->add_option("source", args->source, "Source tracking URI (e.g. sqlite:///job.db)")
      ->required();
  sync->add_option("destination", args->destination, "Destination tracking URI")->required();
  sync->add_option("-e,--experiment", args->experiments,
                   "Experiment name to copy (repeatable; default: all active experiments)");
  sync->add_flag("--dry-run", args->dry_run, "Count what would be copied; write nothing");
  sync->add_option("--state", args->state,
                   "State file of metric high-water marks (default: one per URI pair under "
                   "~/.cache/mlflow-cpp/sync)");
  sync->add_option("--parallel", args->parallel, "Artifact files uploaded at once")
      ->check(CLI::Range(1, 64));
  sync->footer(
      "Example:\n  mlflow-cpp sync sqlite:///job.db http://login-node:5000 --json\n"
      "Conflicts (same name, different content) are printed on stderr (in \"conflicts\" with\n"
      "--json); the exit code stays 0 when everything else was copied.");
  sync->callback([&context, args] {
    mlflow::SyncOptions options;
    options.experiment_names = args->experiments;
    options.dry_run = args->dry_run;
    options.state_path = args->state;
    options.max_parallel_files = args->parallel;
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    if (terminal) {
      options.progress = [](const mlflow::SyncProgress& p) {
        std::cerr << "\rruns " << p.runs_done << "/" << p.runs_total << ", " << p.writes
                  << " writes" << std::flush;
      };
    }
    const auto summary = mlflow::sync(args->source, args->destination, options);
    if (terminal) std::cerr << '\n';
    if (!context.options.json) print_conflicts(summary);
    emit(context, summary_json(summary), summary_table(summary));
  });
}

}  // namespace mlflow_cli
