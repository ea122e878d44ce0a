// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// The main job, end to end: the training demo (examples/train_demo, what `make demo` runs) in a
// fresh directory with an empty environment (no PATH: no Python, no server, no MLFLOW_*
// settings), then the real `mlflow server` 3.18 started on the database it left there. Through
// the server's REST API: the run, its params, tags and dataset, the metric histories the UI's
// charts read, the system metrics, the artifacts, listed and downloaded over HTTP the way the
// UI does (tests/interop/demo_interop.py, standard library only), the registered model version
// and the prompt.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "mlflow/mlflow.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The demo is built next to this program: <build>/tests/<this> -> <build>/examples/train_demo
// (tests/CMakeLists.txt makes the integration tests depend on it).
fs::path demo_binary() {
  return fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "examples" / "train_demo";
}

TEST(DemoInterop, ServerShowsTheDemosRunChartsAndArtifacts) {
  const fs::path demo = demo_binary();
  ASSERT_TRUE(fs::exists(demo)) << demo << " is missing: build the train_demo target "
                                << "(MLFLOW_CPP_BUILD_EXAMPLES=ON)";
  const fs::path dir = testing::make_temp_dir("demo-interop");

  // 1. The demo, as on a fresh machine: nothing but HOME in the environment.
  const auto run_demo = [&demo](const fs::path& in) {
    return testing::run_command("cd " + shell_quote(in.string()) +
                                " && env -i HOME=" + shell_quote(in.string()) + " " +
                                shell_quote(demo.string()) + " 2>&1");
  };
  const auto demo_run = run_demo(dir);
  ASSERT_EQ(demo_run.exit_code, 0) << demo_run.output;
  // The one command that shows it in the UI.
  EXPECT_NE(demo_run.output.find("mlflow ui --backend-store-uri sqlite:///" +
                                 (dir / "mlflow.db").string() + "\n"),
            std::string::npos)
      << demo_run.output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(demo_run.output, match, std::regex(R"(\n  run +([0-9a-f]{32})\n)")))
      << demo_run.output;
  const std::string run_id = match[1];
  EXPECT_NE(demo_run.output.find("sqlite:///" + (dir / "mlflow.db").string()), std::string::npos)
      << demo_run.output;
  ASSERT_TRUE(fs::exists(dir / "mlflow.db"));
  // Deterministic: a second run elsewhere trains the same model (same printed curve).
  const auto again = run_demo(testing::make_temp_dir("demo-interop-again"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const auto curve = [](const std::string& out) {
    return out.substr(out.find("  epoch"), out.find("\nWhere") - out.find("  epoch"));
  };
  EXPECT_EQ(curve(again.output), curve(demo_run.output));

  // 2. The real server on the file the demo wrote.
  testing::ScopedServer server("", "sqlite:///" + (dir / "mlflow.db").string());
  ASSERT_TRUE(server.started()) << server.output() << "\n" << server.log();
  MlflowClient rest(server.uri());

  const auto experiment = rest.get_experiment_by_name("cpp-train-demo");
  ASSERT_TRUE(experiment.has_value());
  const auto runs = rest.search_runs({experiment->experiment_id});
  ASSERT_EQ(runs.size(), 1u);
  const mlflow::Run run = rest.get_run(run_id);
  EXPECT_EQ(runs.begin()->info.run_id, run_id);
  EXPECT_EQ(run.info.run_name, "two-moons-mlp");
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_GT(run.info.end_time.value_or(0), 0);

  // Params and tags.
  std::set<std::string> param_keys;
  for (const auto& [key, value] : run.data.params) param_keys.insert(key);
  EXPECT_EQ(param_keys, (std::set<std::string>{"batch_size", "epochs", "hidden_units",
                                               "learning_rate", "momentum", "noise", "parameters",
                                               "samples", "seed", "train_fraction"}));
  EXPECT_EQ(run.data.params.at("epochs"), "60");
  EXPECT_EQ(run.data.params.at("seed"), "42");
  EXPECT_EQ(run.data.tags.at("mlflow.source.type"), "LOCAL");
  EXPECT_EQ(run.data.tags.at("mlflow.runName"), "two-moons-mlp");
  EXPECT_EQ(run.data.tags.at("mlflow.source.name"), demo.string());
  EXPECT_NE(run.data.tags.at("mlflow.note.content").find("MLP"), std::string::npos);
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.dataset_inputs[0].dataset.name, "two-moons");

  // The curves: one point per epoch, steps 0..59, and the model learned something.
  for (const std::string key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}) {
    const auto history = rest.get_metric_history(run_id, key);
    ASSERT_EQ(history.size(), 60u) << key;
    for (std::size_t i = 0; i < history.size(); ++i)
      EXPECT_EQ(history[i].step, static_cast<std::int64_t>(i)) << key;
    // What the run page's charts request.
    const auto chart = rest.get_metric_history_bulk_interval({run_id}, key);
    EXPECT_EQ(chart.size(), 60u) << key;
  }
  const auto loss = rest.get_metric_history(run_id, "train_loss");
  EXPECT_LT(loss.back().value, loss.front().value / 2);
  EXPECT_GT(run.data.metrics.at("val_accuracy"), 0.9);

  // System metrics, sampled while the run was active.
  for (const std::string key :
       {"system/cpu_utilization_percentage", "system/system_memory_usage_megabytes",
        "system/system_memory_usage_percentage", "system/disk_usage_percentage",
        "system/disk_usage_megabytes", "system/disk_available_megabytes",
        "system/network_receive_megabytes", "system/network_transmit_megabytes"}) {
    EXPECT_GE(rest.get_metric_history(run_id, key).size(), 1u) << key;
  }

  // 3. Artifacts over HTTP, as the UI lists and downloads them.
  const std::string script = testing::source_dir() + "/tests/interop/demo_interop.py";
  const auto fetched =
      testing::run_command(shell_quote(testing::mlflow_python()) + " " + shell_quote(script) + " " +
                           shell_quote(server.uri()) + " " + shell_quote(run_id) +
                           " two-moons-mlp two-moons-mlp-explainer");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output << "\n" << server.log();
  const json artifacts = json::parse(fetched.output);
  std::vector<std::string> listed;
  for (const auto& entry : artifacts["listing"]) listed.push_back(entry["path"]);
  EXPECT_EQ(listed, (std::vector<std::string>{"model", "model/MLmodel", "model/README.txt",
                                              "model/weights.json"}));
  const std::string weights_text = artifacts["files"]["model/weights.json"];
  EXPECT_EQ(weights_text,
            read(fs::path(run.info.artifact_uri) / "model" / "weights.json"));  // same bytes
  const json weights = json::parse(weights_text);
  ASSERT_EQ(weights["layers"].size(), 3u);
  EXPECT_EQ(weights["layers"][0]["shape"], json::array({16, 2}));
  EXPECT_EQ(weights["layers"][2]["weights"].size(), 1u);
  EXPECT_NE(artifacts["files"]["model/MLmodel"].get<std::string>().find("run_id: " + run_id),
            std::string::npos);
  EXPECT_NE(artifacts["files"]["model/README.txt"].get<std::string>().find("weights.json"),
            std::string::npos);

  // 4. The registered model version and the prompt, as the server's REST API returns them.
  const json& registry = artifacts["registry"];
  const json& version = registry["two-moons-mlp"]["version_1"];
  EXPECT_EQ(version["run_id"], run_id);
  EXPECT_EQ(version["source"], run.info.artifact_uri + "/model");
  EXPECT_EQ(version["status"], "READY");
  EXPECT_EQ(registry["two-moons-mlp"]["model"]["latest_versions"][0]["version"], "1");
  json prompt_tags = json::object();
  for (const auto& tag : registry["two-moons-mlp-explainer"]["model"]["tags"]) {
    prompt_tags[tag["key"].get<std::string>()] = tag["value"];
  }
  EXPECT_EQ(prompt_tags["mlflow.prompt.is_prompt"], "true") << registry.dump(2);
  // And read back as a prompt by the C++ client over REST.
  const auto prompt = rest.load_prompt("prompts:/two-moons-mlp-explainer/1");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_EQ(prompt->variables(), (std::vector<std::string>{"audience", "p", "x0", "x1"}));
  EXPECT_NE(prompt->template_text().find("version 1)"), std::string::npos);
  EXPECT_EQ(prompt->commit_message().value_or(""), "Explains a prediction of two-moons-mlp");
  EXPECT_EQ(prompt->tags().at("model"), "two-moons-mlp");
  EXPECT_EQ(rest.get_model_version("two-moons-mlp", "1").run_id, run_id);
}

}  // namespace
}  // namespace mlflow
