// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp journal status PATH` and `mlflow-cpp journal replay PATH`: the journal of
// durable asynchronous logging (ADR 0026, MLFLOW_CPP_ASYNC_JOURNAL). Replay sends what a
// killed process accepted and never stored, to the tracking URI its logger recorded (or
// --tracking-uri when given).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "mlflow/async_journal.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

JsonValue counts_json(const mlflow::AsyncJournalCounts& c) {
  return JsonValue::object({{"metrics", static_cast<std::int64_t>(c.metrics)},
                            {"params", static_cast<std::int64_t>(c.params)},
                            {"tags", static_cast<std::int64_t>(c.tags)},
                            {"total", static_cast<std::int64_t>(c.total())}});
}

std::string counts_text(const mlflow::AsyncJournalCounts& c) {
  return std::to_string(c.total()) + " (" + std::to_string(c.metrics) + " metrics, " +
         std::to_string(c.params) + " params, " + std::to_string(c.tags) + " tags)";
}

void status(Context& context, const std::string& path) {
  const mlflow::AsyncJournalStatus s = mlflow::async_journal_status(path);
  JsonValue uris = JsonValue::array();
  for (const std::string& uri : s.pending_tracking_uris) uris.push_back(uri);
  const JsonValue json =
      JsonValue::object({{"path", path},
                         {"accepted", counts_json(s.accepted)},
                         {"delivered", counts_json(s.delivered)},
                         {"refused", counts_json(s.refused)},
                         {"pending", counts_json(s.pending)},
                         {"sessions", static_cast<std::int64_t>(s.sessions)},
                         {"live_sessions", static_cast<std::int64_t>(s.live_sessions)},
                         {"pending_tracking_uris", uris}});
  Table table({"Entries", "Count"});
  table.add({"accepted", counts_text(s.accepted)});
  table.add({"delivered", counts_text(s.delivered)});
  table.add({"refused", counts_text(s.refused)});
  table.add({"pending", counts_text(s.pending)});
  table.add({"sessions (live)",
             std::to_string(s.sessions) + " (" + std::to_string(s.live_sessions) + ")"});
  for (const std::string& uri : s.pending_tracking_uris) table.add({"pending for", uri});
  emit(context, json, table);
}

void replay(Context& context, const std::string& path, double max_outage_s, bool include_live) {
  mlflow::AsyncJournalReplayOptions options;
  if (!context.options.tracking_uri.empty()) options.tracking_uri = context.options.tracking_uri;
  options.max_outage = std::chrono::milliseconds(static_cast<long long>(max_outage_s * 1000));
  options.include_live = include_live;
  const mlflow::AsyncJournalReplayResult r = mlflow::replay_async_journal(path, options);
  JsonValue errors = JsonValue::array();
  Table table({"Entries", "Count"});
  table.add({"delivered", counts_text(r.delivered)});
  table.add({"refused", counts_text(r.refused)});
  table.add({"left pending", counts_text(r.left)});
  for (const mlflow::AsyncLoggingError& e : r.errors) {
    errors.push_back(JsonValue::object(
        {{"run_id", e.run_id}, {"code", mlflow::error_code_name(e.code)}, {"reason", e.reason}}));
    table.add({"error (run " + e.run_id + ")",
               std::string(mlflow::error_code_name(e.code)) + ": " + e.reason});
  }
  emit(context,
       JsonValue::object({{"path", path},
                          {"delivered", counts_json(r.delivered)},
                          {"refused", counts_json(r.refused)},
                          {"left", counts_json(r.left)},
                          {"errors", errors}}),
       table);
  if (r.left.total() != 0) {
    command_exit_status() = kExitUnavailable;
  } else if (r.refused.total() != 0) {
    command_exit_status() = kExitInvalid;
  }
}

}  // namespace

void add_journal_commands(CLI::App& app, Context& context) {
  auto* journal = app.add_subcommand(
      "journal", "The journal of durable asynchronous logging (MLFLOW_CPP_ASYNC_JOURNAL)");
  journal->require_subcommand(1);

  struct Args {
    std::string path;
    double max_outage_s = 30;
    bool include_live = false;
  };
  auto args = std::make_shared<Args>();
  auto* status_cmd =
      journal->add_subcommand("status", "Count accepted, delivered and pending entries");
  status_cmd->add_option("path", args->path, "The journal file")->required();
  status_cmd->footer("Example:\n  mlflow-cpp journal status /scratch/job42.journal --json");
  status_cmd->callback([&context, args] { status(context, args->path); });

  auto* replay_cmd = journal->add_subcommand(
      "replay", "Send what was accepted and never stored (safe to repeat: MLflow stores it once)");
  replay_cmd->add_option("path", args->path, "The journal file")->required();
  replay_cmd
      ->add_option("--max-outage", args->max_outage_s,
                   "Seconds to keep retrying an unreachable store (default 30)")
      ->check(CLI::NonNegativeNumber);
  replay_cmd->add_flag("--include-live", args->include_live,
                       "Also send entries of loggers still running on this host");
  replay_cmd->footer(
      "Example:\n  mlflow-cpp journal replay /scratch/job42.journal\n"
      "Sends to the tracking URI each logger recorded, or to --tracking-uri when given.\n"
      "Exit 7 when entries are left pending (store unreachable), 4 when the store refused some.");
  replay_cmd->callback(
      [&context, args] { replay(context, args->path, args->max_outage_s, args->include_live); });
}

}  // namespace mlflow_cli
