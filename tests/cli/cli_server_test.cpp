// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// The mlflow-cpp tool against the real MLflow 3.18 server of the ctest fixture: every command
// group once, --json output compared with what MlflowClient and Python's MlflowClient read,
// the exit codes the real server's refusals get, and `run -- CMD` with a Python child.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "cli/cli_runner.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/trace_export.hpp"
#include "mlflow/tracing.hpp"
#include "support/files.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow::testing {
namespace {

using ::testing::HasSubstr;

class CliServer : public ::testing::Test {
 protected:
  std::string uri = server_uri();
  std::string dir = make_temp_dir("mlflow-cli-server");

  CliResult cli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                const std::vector<std::string>& env = {}) {
    return run_cli(uri, args, stdin_text, env, dir);
  }
  JsonValue ok_json(std::vector<std::string> args, const std::string& stdin_text = "",
                    const std::vector<std::string>& env = {}) {
    args.push_back("--json");
    const CliResult r = cli(args, stdin_text, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json();
  }
  MlflowClient client() { return MlflowClient(uri); }
};

TEST_F(CliServer, ExperimentsAndRunsMatchWhatPythonReads) {
  const std::string name = unique_name("cli-exp");
  const std::string exp =
      ok_json({"experiments", "create", "-n", name}).at("experiment_id").as_string();
  EXPECT_EQ(ok_json({"experiments", "get", "-x", exp}).at("name").as_string(), name);
  EXPECT_EQ(client().get_experiment(exp).name, name);
  ok_json({"experiments", "rename", "-x", exp, "--new-name", name + "-b"});
  EXPECT_EQ(client().get_experiment(exp).name, name + "-b");

  const std::string run_id =
      ok_json({"runs", "create", "-x", exp, "--run-name", "srv", "-t", "k=v"})
          .at("info")
          .at("run_id")
          .as_string();
  ok_json({"log", "param", "-r", run_id, "lr", "0.1"});
  ok_json({"log", "tag", "-r", run_id, "node", "cn01"});
  ok_json({"log", "metric", "-r", run_id, "loss", "2.5", "--step", "0", "--timestamp", "1000"});
  std::string jsonl;
  for (int step = 1; step <= 50; ++step) {
    jsonl += "{\"key\": \"loss\", \"value\": " + std::to_string(2.5 / (step + 1)) +
             ", \"step\": " + std::to_string(step) +
             ", \"timestamp\": " + std::to_string(1000 + step) + "}\n";
  }
  EXPECT_EQ(ok_json({"log", "batch", "-r", run_id, "-"}, jsonl).at("metrics").as_int(), 50);
  ok_json({"runs", "end", "-r", run_id});

  const JsonValue described = ok_json({"runs", "describe", "-r", run_id});
  const nlohmann::json python =
      run_python_peer_json(dir, "cli_run_dict.py", shell_quote(uri) + " " + run_id + " loss");
  ASSERT_FALSE(python.is_null());
  const JsonValue py = JsonValue::parse(python.dump());
  // The run as Python prints it (`mlflow runs describe`): info and data equal field by field.
  EXPECT_EQ(described.at("info"), py.at("run").at("info")) << described.at("info").dump() << "\n"
                                                           << py.at("run").at("info").dump();
  EXPECT_EQ(described.at("data"), py.at("run").at("data")) << described.at("data").dump() << "\n"
                                                           << py.at("run").at("data").dump();
  EXPECT_EQ(ok_json({"runs", "history", "-r", run_id, "loss"}), py.at("history"));
  EXPECT_EQ(py.at("history").size(), 51u);

  const JsonValue searched =
      ok_json({"runs", "search", "-x", exp, "--filter", "params.lr = '0.1'"});
  ASSERT_EQ(searched.size(), 1u);
  EXPECT_EQ(searched.at(0).at("info").at("run_id").as_string(), run_id);
  ok_json({"runs", "delete", "-r", run_id});
  EXPECT_EQ(client().get_run(run_id).info.lifecycle_stage, "deleted");
  ok_json({"runs", "restore", "-r", run_id});
  ok_json({"experiments", "delete", "-x", exp});
  EXPECT_EQ(client().get_experiment(exp).lifecycle_stage, "deleted");
  ok_json({"experiments", "restore", "-x", exp});
}

TEST_F(CliServer, RefusalsOfTheRealServerHaveTheirExitCodes) {
  const std::string name = unique_name("cli-dup");
  ASSERT_EQ(cli({"experiments", "create", "-n", name}).exit_code, 0);
  EXPECT_EQ(cli({"experiments", "create", "-n", name}).exit_code, 5);
  EXPECT_EQ(cli({"experiments", "get", "-x", "987654321"}).exit_code, 3);
  EXPECT_EQ(cli({"runs", "get", "-r", "0123456789abcdef0123456789abcdef"}).exit_code, 3);
  const std::string run_id = client().create_run("0").info.run_id;
  ASSERT_EQ(cli({"log", "param", "-r", run_id, "p", "1"}).exit_code, 0);
  const CliResult changed = cli({"log", "param", "-r", run_id, "p", "2"});
  EXPECT_EQ(changed.exit_code, 4);
  EXPECT_THAT(changed.err, HasSubstr("INVALID_PARAMETER_VALUE"));
  EXPECT_EQ(cli({"models", "get", unique_name("no-model")}).exit_code, 3);
}

TEST_F(CliServer, ArtifactsThroughTheServer) {
  const std::string run_id = client().create_run("0").info.run_id;
  std::filesystem::create_directories(dir + "/out/sub");
  write_file(dir + "/out/a.txt", "alpha");
  write_file(dir + "/out/sub/b.bin", std::string(70000, 'b'));
  ASSERT_EQ(cli({"artifacts", "log", "-r", run_id, dir + "/out", "-p", "results"}).exit_code, 0);
  const JsonValue listed = ok_json({"artifacts", "list", "-r", run_id, "-p", "results"});
  const auto stored = client().list_artifacts(run_id, "results");
  ASSERT_EQ(listed.size(), stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(listed.at(i).at("path").as_string(), stored[i].path);
  }
  const std::string local =
      ok_json({"artifacts", "download", "-r", run_id, "-p", "results", "-d", dir + "/dl"})
          .at("local_path")
          .as_string();
  EXPECT_EQ(file_bytes(local + "/a.txt"), "alpha");
  EXPECT_EQ(file_bytes(local + "/sub/b.bin"), std::string(70000, 'b'));
}

TEST_F(CliServer, RunWithAPythonChildLoggingIntoTheRun) {
  const std::string exp = client().create_experiment(unique_name("cli-run"));
  const CliResult r = cli({"run", "-x", exp, "--json", "--", mlflow_python(), "-c",
                           "import mlflow, os; mlflow.log_metric('py_metric', 7.0); "
                           "print(os.environ['MLFLOW_EXPERIMENT_ID'])"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // stdout: the child's line, then the tool's JSON document.
  const std::string out = r.out;
  ASSERT_THAT(out, HasSubstr(exp + "\n"));
  const JsonValue summary = JsonValue::parse(out.substr(out.find('{')));
  const mlflow::Run run = client().get_run(summary.at("run_id").as_string());
  EXPECT_EQ(run.info.experiment_id, exp);
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_EQ(run.data.metrics.at("py_metric"), 7.0);
  EXPECT_EQ(client().search_runs({exp}).size(), 1u);  // the child logged into it, no new run

  const CliResult failed = cli({"run", "-x", exp, "--", "false"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(client().search_runs({exp}, {"attributes.status = 'FAILED'"}).size(), 1u);
}

TEST_F(CliServer, ModelsPromptsTracesDoctor) {
  const std::string model = unique_name("cli-model");
  ASSERT_EQ(cli({"models", "create", model}).exit_code, 0);
  EXPECT_EQ(
      ok_json({"models", "versions", "create", model, "s3://bucket/m"}).at("version").as_string(),
      "1");
  ASSERT_EQ(cli({"models", "set-alias", model, "prod", "1"}).exit_code, 0);
  EXPECT_EQ(
      ok_json({"models", "versions", "get", model, "--alias", "prod"}).at("source").as_string(),
      client().get_model_version(model, "1").source);
  EXPECT_EQ(ok_json({"models", "search", "--filter", "name = '" + model + "'"}).size(), 1u);

  const std::string prompt = unique_name("cli_prompt");
  ASSERT_EQ(cli({"prompts", "register", prompt, "--template", "Hi {{who}}"}).exit_code, 0);
  EXPECT_EQ(cli({"prompts", "format", prompt, "-v", "who=server"}).out, "Hi server\n");
  EXPECT_EQ(ok_json({"prompts", "load", "prompts:/" + prompt + "/1"}).at("template").as_string(),
            client().load_prompt("prompts:/" + prompt + "/1")->template_text());

  const std::string exp = client().create_experiment(unique_name("cli-traces"));
  set_tracking_uri(uri);
  tracing::set_destination(exp);
  std::string trace_id;
  {
    ActiveSpan root = start_span("root");
    trace_id = root.trace_id();
  }
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(30)));
  tracing::set_destination(std::nullopt);
  set_tracking_uri("");
  const JsonValue traces = ok_json({"traces", "search", "-x", exp});
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_EQ(traces.at(0).at("trace_id").as_string(), trace_id);
  EXPECT_EQ(
      ok_json({"traces", "get", trace_id}).at("data").at("spans").at(0).at("name").as_string(),
      "root");

  const JsonValue doctor = ok_json({"doctor"});
  EXPECT_TRUE(doctor.at("reachable").as_bool());
  EXPECT_EQ(doctor.at("store").as_string(), "server");
  EXPECT_TRUE(ok_json({"server-info"}).at("workspaces_enabled").is_bool());
}

}  // namespace
}  // namespace mlflow::testing
