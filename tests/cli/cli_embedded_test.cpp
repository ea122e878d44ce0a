// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// The mlflow-cpp tool on the embedded store: every command run as a subprocess against a
// temporary SQLite file, its --json output parsed back and compared with what MlflowClient
// reads from the same file, and the exit code of each error class (docs/cli.md).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli/cli_runner.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/trace_export.hpp"
#include "mlflow/tracing.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace mlflow::testing {
namespace {

using ::testing::HasSubstr;

class CliEmbedded : public ::testing::Test {
 protected:
  std::string dir = make_temp_dir("mlflow-cli");
  std::string uri = "sqlite:///" + dir + "/mlflow.db";

  CliResult cli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                const std::vector<std::string>& env = {}) {
    return run_cli(uri, args, stdin_text, env, dir);
  }
  // A command that must succeed; its stdout.
  std::string ok(const std::vector<std::string>& args, const std::string& stdin_text = "",
                 const std::vector<std::string>& env = {}) {
    const CliResult r = cli(args, stdin_text, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  JsonValue ok_json(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.push_back("--json");
    const CliResult r = cli(args, stdin_text);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json();
  }
  std::string new_run(const std::string& experiment_id = "0") {
    std::string id = ok({"runs", "create", "-x", experiment_id});
    while (!id.empty() && id.back() == '\n') id.pop_back();
    return id;
  }
  MlflowClient client() { return MlflowClient(uri); }
};

TEST_F(CliEmbedded, ExperimentsCreateSearchGetRenameDeleteRestore) {
  const JsonValue created = ok_json({"experiments", "create", "-n", "exp-a", "-t", "team=hpc"});
  const std::string id = created.at("experiment_id").as_string();
  const Experiment stored = client().get_experiment(id);
  EXPECT_EQ(stored.name, "exp-a");
  EXPECT_EQ(stored.tags.at("team"), "hpc");

  const JsonValue got = ok_json({"experiments", "get", "-n", "exp-a"});
  EXPECT_EQ(got.at("experiment_id").as_string(), id);
  EXPECT_EQ(got.at("artifact_location").as_string(), stored.artifact_location);
  EXPECT_EQ(got.at("lifecycle_stage").as_string(), "active");
  EXPECT_EQ(got.at("creation_time").as_int(), *stored.creation_time);
  EXPECT_EQ(got.at("tags").at("team").as_string(), "hpc");
  EXPECT_THAT(ok({"experiments", "get", "-x", id}), HasSubstr("exp-a"));

  const JsonValue listed = ok_json({"experiments", "list"});
  ASSERT_EQ(listed.size(), 2u);  // Default and exp-a
  EXPECT_THAT(ok({"experiments", "search"}), HasSubstr("exp-a"));
  EXPECT_EQ(ok_json({"experiments", "search", "--max-results", "1"}).size(), 1u);

  ok({"experiments", "rename", "-x", id, "--new-name", "exp-b"});
  EXPECT_EQ(client().get_experiment(id).name, "exp-b");
  ok({"experiments", "delete", "-x", id});
  EXPECT_EQ(client().get_experiment(id).lifecycle_stage, "deleted");
  const JsonValue deleted = ok_json({"experiments", "search", "--view", "deleted_only"});
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted.at(0).at("experiment_id").as_string(), id);
  ok({"experiments", "restore", "-x", id});
  EXPECT_EQ(client().get_experiment(id).lifecycle_stage, "active");
}

TEST_F(CliEmbedded, ExperimentErrorsHaveTheirExitCodes) {
  ok({"experiments", "create", "-n", "taken"});
  EXPECT_EQ(cli({"experiments", "create", "-n", "taken"}).exit_code, 5);
  const CliResult missing = cli({"experiments", "get", "-n", "nope"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("Experiment with name 'nope' does not exist."));
  EXPECT_EQ(cli({"experiments", "get", "-x", "12345"}).exit_code, 3);
  EXPECT_EQ(cli({"experiments", "create", "-n", ""}).exit_code, 4);
  // Refused as the Python CLI refuses them: usage errors.
  EXPECT_EQ(cli({"experiments", "get", "-x", "0", "-n", "Default"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "get"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "search", "--max-results", "-5"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "create"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "create", "-n", "x", "-t", "novalue"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "create", "-n", "x", "-t", "a=1", "-t", "a=2"}).exit_code, 2);
  EXPECT_EQ(cli({"experiments", "--bogus"}).exit_code, 2);
  EXPECT_EQ(cli({"no-such-command"}).exit_code, 2);
  // Nothing was created by the refused calls.
  EXPECT_FALSE(client().get_experiment_by_name("x").has_value());
}

TEST_F(CliEmbedded, RunsCreateGetSearchEndDeleteRestore) {
  const std::string exp = client().create_experiment("runs-exp");
  const JsonValue created = ok_json({"runs", "create", "-n", "runs-exp", "--run-name", "base", "-t",
                                     "lr=0.1", "--description", "first try"});
  const std::string run_id = created.at("info").at("run_id").as_string();
  const mlflow::Run run = client().get_run(run_id);
  EXPECT_EQ(run.info.experiment_id, exp);
  EXPECT_EQ(run.info.run_name, "base");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_EQ(run.data.tags.at("lr"), "0.1");
  EXPECT_EQ(run.data.tags.at("mlflow.note.content"), "first try");
  EXPECT_EQ(run.data.tags.count("mlflow.user"), 1u);

  client().log_metric(run_id, "loss", 0.25);
  client().log_param(run_id, "batch", "32");
  const JsonValue got = ok_json({"runs", "get", "-r", run_id});
  EXPECT_EQ(got.at("info").at("run_id").as_string(), run_id);
  EXPECT_EQ(got.at("info").at("status").as_string(), "RUNNING");
  EXPECT_EQ(got.at("info").at("start_time").as_int(), run.info.start_time);
  EXPECT_EQ(got.at("info").at("artifact_uri").as_string(), run.info.artifact_uri);
  EXPECT_EQ(got.at("data").at("metrics").at("loss").as_double(), 0.25);
  EXPECT_EQ(got.at("data").at("params").at("batch").as_string(), "32");
  EXPECT_EQ(ok_json({"runs", "describe", "-r", run_id}), got);  // always JSON, same document
  EXPECT_THAT(ok({"runs", "get", "-r", run_id}), HasSubstr("params.batch"));

  const std::string child =
      ok_json({"runs", "create", "-x", exp, "--parent-run-id", run_id, "--status", "failed"})
          .at("info")
          .at("run_id")
          .as_string();
  const mlflow::Run ended_child = client().get_run(child);
  EXPECT_EQ(ended_child.info.status, RunStatus::kFailed);
  EXPECT_TRUE(ended_child.info.end_time.has_value());
  EXPECT_EQ(ended_child.data.tags.at("mlflow.parentRunId"), run_id);

  const JsonValue searched =
      ok_json({"runs", "search", "-x", exp, "--filter", "attributes.status = 'RUNNING'"});
  ASSERT_EQ(searched.size(), 1u);
  EXPECT_EQ(searched.at(0).at("info").at("run_id").as_string(), run_id);
  EXPECT_EQ(ok_json({"runs", "list", "-x", exp}).size(), 2u);
  EXPECT_EQ(ok_json({"runs", "search", "-x", exp, "--max-results", "1"}).size(), 1u);

  ok({"runs", "set-status", "-r", run_id, "KILLED"});
  EXPECT_EQ(client().get_run(run_id).info.status, RunStatus::kKilled);
  const JsonValue ended = ok_json({"runs", "end", "-r", run_id});
  EXPECT_EQ(ended.at("status").as_string(), "FINISHED");
  EXPECT_EQ(client().get_run(run_id).info.status, RunStatus::kFinished);
  EXPECT_TRUE(client().get_run(run_id).info.end_time.has_value());

  ok({"runs", "delete", "-r", run_id});
  EXPECT_EQ(client().get_run(run_id).info.lifecycle_stage, "deleted");
  EXPECT_EQ(ok_json({"runs", "search", "-x", exp, "--view", "deleted_only"}).size(), 1u);
  ok({"runs", "restore", "-r", run_id});
  EXPECT_EQ(client().get_run(run_id).info.lifecycle_stage, "active");
}

TEST_F(CliEmbedded, RunErrorsHaveTheirExitCodes) {
  EXPECT_EQ(cli({"runs", "get", "-r", "0123456789abcdef0123456789abcdef"}).exit_code, 3);
  EXPECT_EQ(cli({"runs", "create", "-x", "0", "-n", "Default"}).exit_code, 2);
  EXPECT_EQ(cli({"runs", "create"}).exit_code, 2);  // no experiment given, none in the env
  EXPECT_EQ(cli({"runs", "create", "-x", "0", "--status", "RUNNING"}).exit_code, 2);
  EXPECT_EQ(cli({"runs", "create", "-x", "0", "-t", "dup=1", "-t", "dup=2"}).exit_code, 2);
  EXPECT_EQ(cli({"runs", "create", "-x", "424242"}).exit_code, 3);
  EXPECT_EQ(cli({"runs", "get"}).exit_code, 2);  // no --run-id, no MLFLOW_RUN_ID
  EXPECT_EQ(client().search_runs({"0"}).size(), 0u);
  // The environment picks the experiment, as in Python's CLI.
  const std::string exp = client().create_experiment("from-env");
  const CliResult from_env = cli({"runs", "create"}, "", {"MLFLOW_EXPERIMENT_ID=" + exp});
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(client().search_runs({exp}).size(), 1u);
  const std::string run_id = new_run();
  ok({"runs", "delete", "-r", run_id});
  EXPECT_EQ(cli({"runs", "delete", "-r", run_id}).exit_code, 0);  // as the store: idempotent
  ok({"runs", "restore", "-r", run_id});
  ok({"runs", "end", "-r", run_id});
}

TEST_F(CliEmbedded, LogMetricParamTagAndTheirRefusals) {
  const std::string run_id = new_run();
  ok({"log", "metric", "-r", run_id, "loss", "0.5", "--step", "3", "--timestamp", "1700000000000"});
  ok({"log", "metric", "loss", "nan", "-s", "4"}, "", {"MLFLOW_RUN_ID=" + run_id});
  ok({"log", "param", "-r", run_id, "lr", "0.01"});
  ok({"log", "tag", "-r", run_id, "stage", "tuning"});
  const auto history = client().get_metric_history(run_id, "loss");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].value, 0.5);
  EXPECT_EQ(history[0].step, 3);
  EXPECT_EQ(history[0].timestamp, 1700000000000);
  EXPECT_TRUE(std::isnan(history[1].value));
  const JsonValue points = ok_json({"runs", "history", "-r", run_id, "loss"});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points.at(0).at("step").as_int(), 3);
  const mlflow::Run run = client().get_run(run_id);
  EXPECT_EQ(run.data.params.at("lr"), "0.01");
  EXPECT_EQ(run.data.tags.at("stage"), "tuning");

  const CliResult not_number = cli({"log", "metric", "-r", run_id, "loss", "abc"});
  EXPECT_EQ(not_number.exit_code, 4);
  EXPECT_THAT(not_number.err, HasSubstr("Got invalid value abc for metric 'loss'"));
  // MLflow refuses to change a logged param.
  EXPECT_EQ(cli({"log", "param", "-r", run_id, "lr", "0.02"}).exit_code, 4);
  EXPECT_EQ(cli({"log", "metric", "-r", "0123456789abcdef0123456789abcdef", "x", "1"}).exit_code,
            3);
  EXPECT_EQ(cli({"log", "metric", "x", "1"}).exit_code, 2);
  EXPECT_EQ(cli({"log", "metric", "-r", run_id, "x"}).exit_code, 2);
  EXPECT_EQ(client().get_run(run_id).data.params.at("lr"), "0.01");
  EXPECT_EQ(client().get_metric_history(run_id, "loss").size(), 2u);
}

TEST_F(CliEmbedded, LogBatchFromStdinAndFiles) {
  const std::string run_id = new_run();
  const std::string jsonl =
      "{\"key\": \"loss\", \"value\": 1.5, \"step\": 0, \"timestamp\": 1000}\n"
      "\n"
      "{\"key\": \"loss\", \"value\": 0.5, \"step\": 1, \"timestamp\": 2000}\n"
      "{\"type\": \"param\", \"key\": \"optimizer\", \"value\": \"adam\"}\n"
      "{\"type\": \"tag\", \"key\": \"node\", \"value\": \"cn042\"}\n";
  const JsonValue counts = ok_json({"log", "batch", "-r", run_id, "-"}, jsonl);
  EXPECT_EQ(counts.at("metrics").as_int(), 2);
  EXPECT_EQ(counts.at("params").as_int(), 1);
  EXPECT_EQ(counts.at("tags").as_int(), 1);
  auto history = client().get_metric_history(run_id, "loss");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].value, 0.5);
  EXPECT_EQ(history[1].timestamp, 2000);
  EXPECT_EQ(client().get_run(run_id).data.params.at("optimizer"), "adam");
  EXPECT_EQ(client().get_run(run_id).data.tags.at("node"), "cn042");

  // Wide CSV from a file: one point per metric column and row; empty cells skipped.
  write_file(dir + "/curve.csv", "step,acc,\"val loss\"\n1,0.5,0.9\n2,0.75,\n");
  ok({"log", "batch", "-r", run_id, dir + "/curve.csv"});
  EXPECT_EQ(client().get_metric_history(run_id, "acc").size(), 2u);
  EXPECT_EQ(client().get_metric_history(run_id, "val loss").size(), 1u);
  EXPECT_EQ(client().get_metric_history(run_id, "acc")[1].step, 2);
  // Long CSV from stdin, format given.
  ok({"log", "batch", "-r", run_id, "--format", "csv", "-"},
     "key,value,step,type\ngrad,0.1,5,\nseed,42,,param\n");
  EXPECT_EQ(client().get_metric_history(run_id, "grad")[0].step, 5);
  EXPECT_EQ(client().get_run(run_id).data.params.at("seed"), "42");

  // A bad line anywhere: exit 4, the line named, nothing of the batch logged.
  const CliResult bad = cli({"log", "batch", "-r", run_id, "-"},
                            "{\"key\": \"z\", \"value\": 1}\n{\"key\": \"z\", \"value\": \"x\"}\n");
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_THAT(bad.err, HasSubstr("line 2"));
  EXPECT_EQ(client().get_metric_history(run_id, "z").size(), 0u);
  const CliResult bad_csv =
      cli({"log", "batch", "-r", run_id, "--format", "csv", "-"}, "step,z\n1,2\n2,3,4\n");
  EXPECT_EQ(bad_csv.exit_code, 4);
  EXPECT_THAT(bad_csv.err, HasSubstr("line 3"));
  EXPECT_EQ(client().get_metric_history(run_id, "z").size(), 0u);
  EXPECT_EQ(cli({"log", "batch", "-r", run_id, dir + "/missing.jsonl"}).exit_code, 4);
  EXPECT_EQ(cli({"log", "batch", "-r", run_id, "--format", "xml", "-"}).exit_code, 2);
}

TEST_F(CliEmbedded, ArtifactsLogListDownload) {
  const std::string run_id = new_run();
  std::filesystem::create_directories(dir + "/results/sub");
  write_file(dir + "/results/a.txt", "alpha");
  write_file(dir + "/results/sub/b.txt", "beta");
  write_file(dir + "/notes.md", "# notes");
  ok({"artifacts", "log", "-r", run_id, dir + "/results", "-p", "out"});
  ok({"artifacts", "log", "-r", run_id, dir + "/notes.md"});
  const JsonValue root = ok_json({"artifacts", "list", "-r", run_id});
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root.at(0).at("path").as_string(), "notes.md");
  EXPECT_EQ(root.at(1).at("path").as_string(), "out");
  EXPECT_TRUE(root.at(1).at("is_dir").as_bool());
  const auto listed = client().list_artifacts(run_id, "out");
  const JsonValue out = ok_json({"artifacts", "list", "-r", run_id, "-p", "out"});
  ASSERT_EQ(out.size(), listed.size());
  EXPECT_EQ(out.at(0).at("path").as_string(), listed[0].path);
  EXPECT_EQ(out.at(0).at("file_size").as_int(), 5);

  const std::string dst = dir + "/download";
  const JsonValue downloaded =
      ok_json({"artifacts", "download", "-r", run_id, "-p", "out", "-d", dst});
  const std::string local = downloaded.at("local_path").as_string();
  EXPECT_EQ(file_bytes(local + "/a.txt"), "alpha");
  EXPECT_EQ(file_bytes(local + "/sub/b.txt"), "beta");
  EXPECT_EQ(cli({"artifacts", "log", "-r", run_id, dir + "/nope"}).exit_code, 2);
  EXPECT_EQ(cli({"artifacts", "log", "-r", run_id, dir + "/notes.md", "-p", "../up"}).exit_code, 4);
}

TEST_F(CliEmbedded, RunWrapsACommandAndEndsFromItsExitStatus) {
  const std::string exp = client().create_experiment("wrapped");
  // The child logs through the tool itself, reading the variables `run` sets.
  const std::string script =
      "\"$0\" log metric step_loss 0.125 && \"$0\" log param who child && "
      "echo \"$MLFLOW_TRACKING_URI|$MLFLOW_EXPERIMENT_ID\" > env.txt";
  const CliResult good =
      cli({"run", "-x", exp, "--run-name", "wrapped-ok", "--", "sh", "-c", script, cli_path()});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  auto runs = client().search_runs({exp});
  ASSERT_EQ(runs.size(), 1u);
  const mlflow::Run finished = runs[0];
  EXPECT_EQ(finished.info.status, RunStatus::kFinished);
  EXPECT_EQ(finished.info.run_name, "wrapped-ok");
  EXPECT_EQ(finished.data.metrics.at("step_loss"), 0.125);
  EXPECT_EQ(finished.data.params.at("who"), "child");
  EXPECT_EQ(file_bytes(dir + "/env.txt"), uri + "|" + exp + "\n");

  const CliResult failed = cli({"run", "-x", exp, "--json", "--", "sh", "-c", "exit 3"});
  EXPECT_EQ(failed.exit_code, 3);
  const std::string failed_id = failed.json().at("run_id").as_string();
  EXPECT_EQ(client().get_run(failed_id).info.status, RunStatus::kFailed);
  EXPECT_TRUE(client().get_run(failed_id).info.end_time.has_value());

  const CliResult killed = cli({"run", "-x", exp, "--", "sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(killed.exit_code, 128 + 15);
  const CliResult missing = cli({"run", "-x", exp, "--", "/no/such/program"});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_EQ(cli({"run", "-x", exp}).exit_code, 2);
  for (const auto& run : client().search_runs({exp})) {
    EXPECT_TRUE(is_terminated(run.info.status)) << run.info.run_id;
  }
}

TEST_F(CliEmbedded, ModelsAndVersions) {
  const std::string run_id = new_run();
  const JsonValue model =
      ok_json({"models", "create", "cli-model", "--description", "d", "-t", "k=v"});
  EXPECT_EQ(model.at("name").as_string(), "cli-model");
  EXPECT_EQ(client().get_registered_model("cli-model").description,
            std::optional<std::string>("d"));
  const JsonValue v1 = ok_json({"models", "versions", "create", "cli-model", "s3://bucket/m1", "-r",
                                run_id, "-t", "stage=dev"});
  EXPECT_EQ(v1.at("version").as_string(), "1");
  EXPECT_EQ(v1.at("run_id").as_string(), run_id);
  ok({"models", "versions", "create", "cli-model", "s3://bucket/m2"});
  ok({"models", "set-alias", "cli-model", "champion", "1"});
  EXPECT_EQ(client().get_model_version_by_alias("cli-model", "champion").version, "1");
  const JsonValue by_alias =
      ok_json({"models", "versions", "get", "cli-model", "--alias", "champion"});
  EXPECT_EQ(by_alias.at("source").as_string(), "s3://bucket/m1");
  EXPECT_EQ(by_alias.at("tags").at("stage").as_string(), "dev");
  const JsonValue v2 = ok_json({"models", "versions", "get", "cli-model", "2"});
  EXPECT_EQ(v2.at("source").as_string(), "s3://bucket/m2");
  const JsonValue got = ok_json({"models", "get", "cli-model"});
  EXPECT_EQ(got.at("aliases").at("champion").as_string(), "1");
  EXPECT_EQ(ok_json({"models", "search", "--filter", "name = 'cli-model'"}).size(), 1u);
  EXPECT_EQ(ok_json({"models", "versions", "search", "--filter", "name = 'cli-model'"}).size(), 2u);

  EXPECT_EQ(cli({"models", "create", "cli-model"}).exit_code, 5);
  EXPECT_EQ(cli({"models", "get", "no-model"}).exit_code, 3);
  EXPECT_EQ(cli({"models", "versions", "get", "cli-model", "9"}).exit_code, 3);
  EXPECT_EQ(cli({"models", "versions", "get", "cli-model"}).exit_code, 2);
  EXPECT_EQ(cli({"models", "set-alias", "cli-model", "latest", "1"}).exit_code, 4);
}

TEST_F(CliEmbedded, PromptsRegisterLoadFormat) {
  const JsonValue v1 = ok_json({"prompts", "register", "greet", "--template",
                                "Hello {{name}}, you are {{age}}.", "-m", "first"});
  EXPECT_EQ(v1.at("version").as_int(), 1);
  EXPECT_EQ(v1.at("uri").as_string(), "prompts:/greet/1");
  write_file(
      dir + "/chat.json",
      R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi {{name}}"}])");
  ok({"prompts", "register", "greet", "--chat-file", dir + "/chat.json"});
  const auto stored = client().load_prompt("prompts:/greet/1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->template_text(), "Hello {{name}}, you are {{age}}.");
  EXPECT_EQ(stored->commit_message(), std::optional<std::string>("first"));

  const JsonValue loaded = ok_json({"prompts", "load", "greet", "--version", "1"});
  EXPECT_EQ(loaded.at("template").as_string(), stored->template_text());
  EXPECT_EQ(loaded.at("variables"), JsonValue(std::vector<std::string>{"age", "name"}));
  EXPECT_EQ(ok({"prompts", "format", "prompts:/greet/1", "-v", "name=Ada", "-v", "age=36"}),
            "Hello Ada, you are 36.\n");
  const JsonValue chat = ok_json({"prompts", "format", "greet", "-v", "name=Ada"});
  EXPECT_EQ(chat.at("messages").at(1).at("content").as_string(), "Hi Ada");
  EXPECT_EQ(ok_json({"prompts", "search"}).size(), 1u);

  EXPECT_EQ(cli({"prompts", "load", "nope"}).exit_code, 3);
  EXPECT_EQ(cli({"prompts", "register", "greet"}).exit_code, 2);
  EXPECT_NE(cli({"prompts", "format", "prompts:/greet/1", "-v", "name=Ada"}).exit_code, 0);
  EXPECT_EQ(ok({"prompts", "format", "prompts:/greet/1", "-v", "name=Ada", "--allow-partial"}),
            "Hello Ada, you are {{age}}.\n");
}

TEST_F(CliEmbedded, TracesSearchAndGet) {
  set_tracking_uri(uri);
  std::string trace_id;
  {
    ActiveSpan root = start_span("agent", SpanType::kAgent);
    { ActiveSpan llm = start_span("generate", SpanType::kLlm); }
    trace_id = root.trace_id();
  }
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(30)));
  set_tracking_uri("");
  const JsonValue found = ok_json({"traces", "search", "-x", "0"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.at(0).at("trace_id").as_string(), trace_id);
  EXPECT_EQ(found.at(0).at("state").as_string(), "OK");
  const JsonValue trace = ok_json({"traces", "get", trace_id});
  const Trace stored = client().get_trace(trace_id);
  ASSERT_EQ(trace.at("data").at("spans").size(), stored.data.spans.size());
  EXPECT_EQ(trace.at("data").at("spans").at(1).at("parent_id").as_string(),
            *stored.data.spans[1].parent_id);
  EXPECT_THAT(ok({"traces", "get", trace_id}), HasSubstr("generate"));
  EXPECT_EQ(cli({"traces", "get", "tr-00000000000000000000000000000000"}).exit_code, 3);
}

TEST_F(CliEmbedded, DoctorAndServerInfo) {
  const JsonValue doctor = ok_json({"doctor"});
  EXPECT_TRUE(doctor.at("reachable").as_bool());
  EXPECT_EQ(doctor.at("store").as_string(), "embedded");
  EXPECT_EQ(doctor.at("tracking_uri").as_string(), uri);
  const JsonValue info = ok_json({"server-info"});
  EXPECT_EQ(info.at("store").as_string(), "embedded");
  EXPECT_EQ(info.at("protocol_version").as_string(), "3.18.0");
  // Secrets in MLflow's variables are masked, never printed.
  const CliResult secret = cli({"doctor", "--json"}, "", {"MLFLOW_TRACKING_TOKEN=hunter2"});
  EXPECT_EQ(secret.exit_code, 0);
  EXPECT_THAT(secret.out, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_EQ(secret.json().at("environment").at("MLFLOW_TRACKING_TOKEN").as_string(), "***");
}

// Server-side error classes, from a loopback fake server (a real one cannot be made to refuse
// permission or to be overloaded on demand).
TEST(CliExitCodes, EachServerErrorClassHasItsCode) {
  FaultProxy fake;
  const std::vector<std::string> no_retries = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES=0"};
  const auto code_for = [&](int status, const std::string& error_code) {
    fake.set_default(FaultAction::respond(
        status, "{\"error_code\": \"" + error_code + "\", \"message\": \"refused\"}"));
    return run_cli(fake.url(), {"experiments", "get", "-x", "1"}, "", no_retries).exit_code;
  };
  EXPECT_EQ(code_for(403, "PERMISSION_DENIED"), 6);
  EXPECT_EQ(code_for(401, "UNAUTHENTICATED"), 6);
  EXPECT_EQ(code_for(404, "RESOURCE_DOES_NOT_EXIST"), 3);
  EXPECT_EQ(code_for(400, "INVALID_PARAMETER_VALUE"), 4);
  EXPECT_EQ(code_for(400, "RESOURCE_ALREADY_EXISTS"), 5);
  EXPECT_EQ(code_for(400, "INVALID_STATE"), 8);
  EXPECT_EQ(code_for(503, "TEMPORARILY_UNAVAILABLE"), 7);
  EXPECT_EQ(code_for(500, "INTERNAL_ERROR"), 1);
  // Nothing listens: unreachable is class 7 too, for doctor as for any command.
  const int port = fake.port();
  fake.go_down();
  const std::string down = "http://127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(run_cli(down, {"experiments", "search"}, "", no_retries).exit_code, 7);
  const CliResult doctor = run_cli(down, {"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 7);
  EXPECT_FALSE(doctor.json().at("reachable").as_bool());
  EXPECT_EQ(run_cli(down, {"server-info"}).exit_code, 7);
  fake.come_back();
}

// Every command answers --help with an example and exit 0.
TEST(CliHelp, EveryCommandHasHelpWithAnExample) {
  const std::vector<std::vector<std::string>> commands = {{},
                                                          {"experiments", "create"},
                                                          {"experiments", "search"},
                                                          {"experiments", "get"},
                                                          {"experiments", "rename"},
                                                          {"experiments", "delete"},
                                                          {"experiments", "restore"},
                                                          {"runs", "create"},
                                                          {"runs", "get"},
                                                          {"runs", "describe"},
                                                          {"runs", "search"},
                                                          {"runs", "history"},
                                                          {"runs", "end"},
                                                          {"runs", "set-status"},
                                                          {"runs", "delete"},
                                                          {"runs", "restore"},
                                                          {"log", "metric"},
                                                          {"log", "param"},
                                                          {"log", "tag"},
                                                          {"log", "batch"},
                                                          {"artifacts", "log"},
                                                          {"artifacts", "list"},
                                                          {"artifacts", "download"},
                                                          {"run"},
                                                          {"models", "create"},
                                                          {"models", "get"},
                                                          {"models", "search"},
                                                          {"models", "set-alias"},
                                                          {"models", "versions", "create"},
                                                          {"models", "versions", "get"},
                                                          {"models", "versions", "search"},
                                                          {"prompts", "register"},
                                                          {"prompts", "load"},
                                                          {"prompts", "format"},
                                                          {"prompts", "search"},
                                                          {"traces", "search"},
                                                          {"traces", "get"},
                                                          {"doctor"},
                                                          {"server-info"}};
  for (auto args : commands) {
    args.push_back("--help");
    const CliResult r = run_cli("", args);
    EXPECT_EQ(r.exit_code, 0) << ::testing::PrintToString(args);
    EXPECT_THAT(r.out, HasSubstr("Example")) << ::testing::PrintToString(args);
  }
  const CliResult version = run_cli("", {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("3.18.0"));
}

// ---- journal status / replay (durable asynchronous logging, ADR 0026) ----------------------

// A journal as a process killed before it stored anything leaves it (its pid is gone).
std::string killed_process_journal(const std::string& uri, const std::string& run_id) {
  const std::string entry = "{\"s\":\"s1\",\"r\":\"" + run_id + "\",\"k\":\"m\",\"key\":\"loss\",";
  return "{\"format\":\"mlflow-cpp-async-journal\",\"version\":1}\n"
         "{\"session\":\"s1\",\"uri\":\"" +
         uri + "\",\"host\":\"elsewhere\",\"pid\":1}\n" + entry +
         "\"l\":0,\"n\":1,\"v\":0.5,\"ts\":1000,\"step\":0}\n" + entry +
         "\"l\":0,\"n\":2,\"v\":0.25,\"ts\":1001,\"step\":1}\n";
}

TEST_F(CliEmbedded, JournalStatusAndReplayDeliverWhatAKilledProcessLeft) {
  const std::string run_id = new_run();
  const std::string journal = dir + "/async.journal";
  write_file(journal, killed_process_journal(uri, run_id));
  const JsonValue before = ok_json({"journal", "status", journal});
  EXPECT_EQ(before.at("pending").at("metrics").as_int(), 2);
  EXPECT_EQ(before.at("live_sessions").as_int(), 0);

  const JsonValue replayed = ok_json({"journal", "replay", journal});
  EXPECT_EQ(replayed.at("delivered").at("total").as_int(), 2);
  EXPECT_EQ(client().get_metric_history(run_id, "loss").size(), 2u);
  EXPECT_EQ(ok_json({"journal", "status", journal}).at("pending").at("total").as_int(), 0);
  EXPECT_THAT(ok({"journal", "status", journal}), HasSubstr("delivered"));

  // A run the store does not have: refused for good (exit 4), not sent again.
  const std::string other = dir + "/other.journal";
  write_file(other, killed_process_journal(uri, "0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(cli({"journal", "replay", other}).exit_code, 4);
  EXPECT_EQ(ok_json({"journal", "status", other}).at("refused").at("total").as_int(), 2);
  EXPECT_EQ(ok_json({"journal", "replay", other}).at("delivered").at("total").as_int(), 0);

  // Not a journal: exit 4, the file unchanged.
  const std::string csv = dir + "/points.csv";
  write_file(csv, "step,loss\n");
  const CliResult foreign = cli({"journal", "replay", csv});
  EXPECT_EQ(foreign.exit_code, 4);
  EXPECT_THAT(foreign.err, HasSubstr("not a usable mlflow-cpp asynchronous logging journal"));
  EXPECT_EQ(file_bytes(csv), "step,loss\n");
  EXPECT_EQ(cli({"journal", "status"}).exit_code, 2);
}

}  // namespace
}  // namespace mlflow::testing
