// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// The main job, end to end: the training demo (examples/train_demo, what `make demo` runs) in a
// fresh directory with an empty environment (no PATH: no Python, no server, no MLFLOW_*
// settings), then the real `mlflow server` 3.18 started on the database it left there. Through
// the server's REST API: the run, its params (in the order logged), tags and dataset, the metric
// histories the UI's charts read, the system metrics, the logged model (the MLflow 3 way: a run
// output, the last epoch's metrics, its files listed and downloaded over HTTP the way the UI
// does, its signature loaded by Python's Model.load; tests/interop/demo_interop.py), the model
// version registered from models:/<model_id>, and the prompt, linked to the experiment.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "mlflow/mlflow.hpp"
#include "sqlite/db.hpp"
#include "support/files.hpp"
#include "support/python_peer.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using mlflow::testing::file_bytes;
using mlflow::testing::shell_quote;

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
  ASSERT_TRUE(std::regex_search(demo_run.output, match,
                                std::regex(R"(\n  logged model +models:/(m-[0-9a-f]{32}) )")))
      << demo_run.output;
  const std::string model_id = match[1];
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
  {  // Stored in the order the demo logged them (what the UI lists).
    internal::sqlite::Connection db((dir / "mlflow.db").string(),
                                    internal::sqlite::OpenMode::kReadOnly);
    auto q = db.prepare("SELECT key FROM params WHERE run_uuid = ? ORDER BY rowid");
    q->bind(1, run_id);
    std::vector<std::string> order;
    while (q->step()) order.push_back(q->text(0));
    EXPECT_EQ(order, (std::vector<std::string>{"seed", "samples", "noise", "train_fraction",
                                               "hidden_units", "epochs", "batch_size",
                                               "learning_rate", "momentum", "parameters"}));
  }
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

  // 3. The logged model, as the UI reads it over HTTP: the run's output at the last epoch, the
  // run's params and that epoch's metrics, its files, its MLmodel and signature.
  const auto fetched =
      testing::run_command(testing::python_peer_command(
                               "demo_interop.py", {server.uri(), run_id, model_id, "two-moons-mlp",
                                                   "two-moons-mlp-explainer"}) +
                           " 2>&1");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output << "\n" << server.log();
  const json got = json::parse(fetched.output.substr(fetched.output.rfind("\n{") + 1));
  // The UI's "training run": a run with a model output.
  EXPECT_EQ(got["run"]["outputs"]["model_outputs"],
            json::array({{{"model_id", model_id}, {"step", 59}}}))
      << got["run"].dump();
  EXPECT_EQ(got["run_artifacts"], json::array());  // the model lives with the model
  const json& info = got["model"]["info"];
  EXPECT_EQ(info["name"], "two-moons-mlp");
  EXPECT_EQ(info["status"], "LOGGED_MODEL_READY");
  EXPECT_EQ(info["source_run_id"], run_id);
  EXPECT_EQ(info["experiment_id"], experiment->experiment_id);
  json model_tags = json::object();
  for (const auto& tag : info["tags"]) model_tags[tag["key"].get<std::string>()] = tag["value"];
  EXPECT_EQ(model_tags["mlflow.source.name"], demo.string());  // the UI's "Logged from"
  EXPECT_EQ(model_tags["mlflow.source.type"], "LOCAL");
  EXPECT_EQ(json::parse(model_tags["mlflow.modelVersions"].get<std::string>()),
            json::parse(R"([{"name": "two-moons-mlp", "version": 1}])"));
  json model_params = json::object();
  for (const auto& p : got["model"]["data"]["params"])
    model_params[p["key"].get<std::string>()] = p["value"];
  EXPECT_EQ(model_params.size(), 10u);
  EXPECT_EQ(model_params["epochs"], "60");
  std::map<std::string, double> model_metrics;
  for (const auto& m : got["model"]["data"]["metrics"]) {
    EXPECT_EQ(m["step"], 59) << m.dump();
    EXPECT_EQ(m["run_id"], run_id) << m.dump();
    model_metrics[m["key"].get<std::string>()] = m["value"].get<double>();
  }
  for (const std::string key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}) {
    ASSERT_EQ(model_metrics.count(key), 1u) << key << " not linked to the model";
    EXPECT_EQ(model_metrics[key], run.data.metrics.at(key)) << key;
  }
  std::vector<std::string> listed;
  for (const auto& entry : got["listing"]) listed.push_back(entry["path"]);
  EXPECT_EQ(listed, (std::vector<std::string>{"MLmodel", "README.txt", "weights.json"}));
  const std::string weights_text = got["files"]["weights.json"];
  EXPECT_EQ(weights_text, file_bytes(fs::path(info["artifact_uri"].get<std::string>()) /
                                     "weights.json"));  // same bytes
  const json weights = json::parse(weights_text);
  ASSERT_EQ(weights["layers"].size(), 3u);
  EXPECT_EQ(weights["layers"][0]["shape"], json::array({16, 2}));
  EXPECT_EQ(weights["layers"][2]["weights"].size(), 1u);
  const std::string mlmodel = got["files"]["MLmodel"];
  for (const std::string& field :
       std::vector<std::string>{"\nmodel_id: '" + model_id + "'\n", "\nrun_id: '" + run_id + "'\n",
                                "\nmlflow_version: '3.18.0'\n", "\nutc_time_created: '",
                                "\nsignature:\n", "\n  'weights': 'weights.json'\n"}) {
    EXPECT_NE(mlmodel.find(field), std::string::npos) << field << " missing in\n" << mlmodel;
  }
  EXPECT_NE(got["files"]["README.txt"].get<std::string>().find("weights.json"), std::string::npos);
  // Python's Model.load reads the signature, equal to the one Python builds for x0, x1 -> p.
  EXPECT_TRUE(got["signature"]["equals_python"].get<bool>()) << got["signature"].dump();

  // 4. The registered model version (from models:/<model_id>: the UI's "Source model") and
  // the prompt, linked to the experiment (the experiment's Prompts tab), as the server's REST
  // API returns them.
  const json& registry = got["registry"];
  const json& version = registry["two-moons-mlp"]["version_1"];
  EXPECT_EQ(version["run_id"], run_id);
  EXPECT_EQ(version["source"], "models:/" + model_id);
  EXPECT_EQ(version["status"], "READY");
  EXPECT_EQ(registry["two-moons-mlp"]["model"]["latest_versions"][0]["version"], "1");
  json prompt_tags = json::object();
  for (const auto& tag : registry["two-moons-mlp-explainer"]["model"]["tags"]) {
    prompt_tags[tag["key"].get<std::string>()] = tag["value"];
  }
  EXPECT_EQ(prompt_tags["mlflow.prompt.is_prompt"], "true") << registry.dump(2);
  EXPECT_EQ(prompt_tags["_mlflow_experiment_ids"], "," + experiment->experiment_id + ",")
      << registry.dump(2);
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
