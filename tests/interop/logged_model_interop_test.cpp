// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Interop: a model logged by C++ with MlflowClient::log_model (an ONNX file) is read by
// Python MLflow 3.18: mlflow.models.Model.load("models:/<id>") parses its MLmodel,
// search_logged_models finds it, and mlflow.register_model("models:/<id>") registers it.
// Run on the real server and on a file of the embedded store that Python opens directly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "mlflow/mlflow.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace {
namespace fs = std::filesystem;
using mlflow::MlflowClient;
using nlohmann::json;

// A tiny file shaped like an ONNX ModelProto (ir_version, producer, opset); Model.load reads
// only the MLmodel metadata, never the model bytes.
fs::path write_tiny_onnx(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path p = dir / "model.onnx";
  std::ofstream out(p, std::ios::binary);
  const unsigned char bytes[] = {0x08, 0x08, 0x12, 0x0a, 'm', 'l',  'f',  'l',  'o',
                                 'w',  '-',  'c',  'p',  'p', 0x42, 0x02, 0x10, 0x11};
  out.write(reinterpret_cast<const char*>(bytes), sizeof(bytes));
  return p;
}

json run_python(const std::string& tracking_uri, const std::string& exp,
                const std::string& model_id, const std::string& registered_name,
                const std::string& cpp_name) {
  const std::string cmd = mlflow::testing::python_peer_command(
      "logged_model_interop.py", {tracking_uri, exp, model_id, registered_name, cpp_name});
  const auto result = mlflow::testing::run_command(cmd);
  EXPECT_EQ(result.exit_code, 0) << cmd << "\n" << result.output;
  const auto at = result.output.rfind("RESULT ");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no RESULT line from " << cmd << "\n" << result.output;
    return json::object();
  }
  const auto end = result.output.find('\n', at);
  return json::parse(result.output.substr(at + 7, end == std::string::npos ? end : end - at - 7));
}

// `embedded`: Python's SQL registry returns versions as ints, a server's proto as strings;
// the mlflow.modelVersions entry holds what the registry returned.
void log_and_check(MlflowClient& client, const std::string& tracking_uri, bool embedded) {
  const std::string exp = client.create_experiment(mlflow::testing::unique_name("lm-interop"));
  mlflow::CreateRunOptions ro;
  const std::string run = client.create_run(exp, ro).info.run_id;
  client.log_param(run, "lr", "0.01");
  client.log_metric(run, "accuracy", 0.93, {std::nullopt, 3});
  client.log_metric(run, "accuracy", 0.5, {std::nullopt, 1});

  const fs::path onnx = write_tiny_onnx(fs::path(mlflow::testing::make_temp_dir("lm-onnx")));
  mlflow::LogModelOptions o;
  o.name = "tiny-onnx";
  o.step = 3;
  o.onnx_version = "1.17.0";
  o.tags = {{"framework", "onnx"}};
  o.signature = mlflow::ModelSignature{
      mlflow::Schema(std::vector<mlflow::TensorSpec>{{"float32", {-1, 2}, "input"}}),
      mlflow::Schema(std::vector<mlflow::TensorSpec>{{"float32", {-1, 1}, "output"}})};
  const mlflow::LoggedModel model = client.log_model(run, onnx.string(), o);
  EXPECT_EQ(model.status, mlflow::LoggedModelStatus::kReady);
  EXPECT_EQ(model.source_run_id, run);
  EXPECT_EQ(model.params.at("lr"), "0.01");

  // C++ sees the files, the run output and the metric of step 3 linked to the model.
  std::vector<std::string> files;
  for (const auto& f : client.list_logged_model_artifacts(model.model_id)) files.push_back(f.path);
  EXPECT_EQ(files, (std::vector<std::string>{"MLmodel", "model.onnx"}));
  const mlflow::Run r = client.get_run(run);
  ASSERT_EQ(r.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(r.outputs.model_outputs[0].model_id, model.model_id);
  EXPECT_EQ(r.outputs.model_outputs[0].step, 3);
  const mlflow::LoggedModel again = client.get_logged_model(model.model_id);
  ASSERT_EQ(again.metrics.size(), 1u);
  EXPECT_EQ(again.metrics[0].key, "accuracy");
  EXPECT_EQ(again.metrics[0].step, 3);

  // C++ registers it through models:/ as Python's register_model does.
  const std::string cpp_name = mlflow::testing::unique_name("lm-cpp-registered");
  const mlflow::ModelVersion mv = client.register_model(model.model_uri(), cpp_name);
  EXPECT_EQ(mv.version, "1");
  EXPECT_EQ(mv.source, "models:/" + model.model_id);
  EXPECT_EQ(mv.run_id, run);

  const std::string registered = mlflow::testing::unique_name("lm-registered");
  const json py = run_python(tracking_uri, exp, model.model_id, registered, cpp_name);
  EXPECT_EQ(py["cpp_version"]["source"], "models:/" + model.model_id);
  EXPECT_EQ(py["cpp_version"]["run_id"], run);
  EXPECT_EQ(py["cpp_version"]["loaded_model_id"], model.model_id);
  ASSERT_TRUE(py.contains("mlmodel")) << py.dump(2);
  const json& mlmodel = py["mlmodel"];
  EXPECT_EQ(mlmodel["model_id"], model.model_id);
  EXPECT_EQ(mlmodel["model_uuid"], model.model_id);
  EXPECT_EQ(mlmodel["run_id"], run);
  EXPECT_EQ(mlmodel["artifact_path"], model.artifact_location);
  EXPECT_EQ(mlmodel["mlflow_version"], "3.18.0");
  EXPECT_EQ(mlmodel["flavors"]["onnx"]["data"], "model.onnx");
  EXPECT_EQ(mlmodel["flavors"]["onnx"]["onnx_version"], "1.17.0");
  EXPECT_FALSE(mlmodel["utc_time_created"].get<std::string>().empty());
  EXPECT_EQ(mlmodel["model_size_bytes"], 18);  // the .onnx file's bytes
  // Python's Model.signature equals the ModelSignature Python builds for the same tensors,
  // and serialises to the very text C++ wrote.
  EXPECT_TRUE(mlmodel["signature_equals_python"].get<bool>()) << mlmodel.dump(2);
  EXPECT_EQ(mlmodel["signature"]["inputs"], o.signature->inputs->to_json());
  EXPECT_EQ(mlmodel["signature"]["outputs"], o.signature->outputs->to_json());

  EXPECT_EQ(py["model"]["name"], "tiny-onnx");
  EXPECT_EQ(py["model"]["status"], "READY");
  EXPECT_EQ(py["model"]["source_run_id"], run);
  EXPECT_EQ(py["model"]["artifact_location"], model.artifact_location);
  EXPECT_EQ(py["model"]["params"]["lr"], "0.01");
  EXPECT_EQ(py["model"]["tags"]["framework"], "onnx");
  EXPECT_EQ(py["model"]["metrics"], json::array({"accuracy=0.93@3"}));
  EXPECT_EQ(py["found"], json::array({model.model_id}));
  EXPECT_EQ(py["by_metric"], json::array({model.model_id}));
  EXPECT_EQ(py["run_outputs"], json::array({{{"model_id", model.model_id}, {"step", 3}}}));

  // Registered through models:/<id>: the version's source is the URI, its run the model's
  // source run (MLflow's SQL registry keeps no model_id column, so the version reads None),
  // and the logged model records the registration in its mlflow.modelVersions tag.
  EXPECT_EQ(py["version"]["name"], registered);
  EXPECT_EQ(py["version"]["version"], "1");
  EXPECT_TRUE(py["version"]["model_id"].is_null());
  EXPECT_EQ(py["version"]["run_id"], run);
  EXPECT_EQ(py["version"]["source"], "models:/" + model.model_id);
  const auto tags = client.get_logged_model(model.model_id).tags;
  ASSERT_EQ(tags.count("mlflow.modelVersions"), 1u);
  const json links = json::parse(tags.at("mlflow.modelVersions"));
  ASSERT_FALSE(links.empty());
  // C++'s registration came first (the server's handler adds an entry of its own too).
  EXPECT_EQ(links[0]["name"], cpp_name) << links.dump();
  bool cpp_link = false;
  const json cpp_version = embedded ? json(1) : json("1");
  for (const json& link : links)
    cpp_link = cpp_link || link == json({{"name", cpp_name}, {"version", cpp_version}});
  EXPECT_TRUE(cpp_link) << links.dump();
  bool python_link = false;
  for (const json& link : links) {
    EXPECT_TRUE(link["name"] == registered || link["name"] == cpp_name) << link.dump();
    EXPECT_TRUE(link["version"] == "1" || link["version"] == 1) << link.dump();
    python_link = python_link || link["name"] == registered;
  }
  EXPECT_TRUE(python_link) << links.dump();
}

TEST(LoggedModelInterop, PythonLoadsSearchesAndRegistersOnTheServer) {
  MlflowClient client(mlflow::testing::server_uri());
  log_and_check(client, mlflow::testing::server_uri(), false);
}

TEST(LoggedModelInterop, PythonLoadsSearchesAndRegistersOnTheEmbeddedFile) {
  const std::string dir = mlflow::testing::make_temp_dir("lm-embedded");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  MlflowClient client(uri);
  log_and_check(client, uri, true);
}

}  // namespace
