// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The model registry between C++ and the pinned Python MLflow: what C++ registers through the
// server is found by Python's MlflowClient().search_model_versions; registry rows C++ writes
// into an embedded database are read by Python's SQL store, and the reverse.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mlflow/mlflow_client.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace {

using mlflow::CreateModelVersionOptions;
using mlflow::CreateRegisteredModelOptions;
using mlflow::MlflowClient;
using mlflow::ModelVersionStage;
using nlohmann::json;

json run_python(const std::string& dir, const std::string& args) {
  return mlflow::testing::run_python_peer_json(dir, "registry_interop.py", args);
}

// Registers a model the way an application would, returning the run it came from.
std::string register_from_cpp(MlflowClient& c, const std::string& name) {
  const std::string exp = c.create_experiment(mlflow::testing::unique_name("reg-interop"));
  const std::string run_id = c.create_run(exp).info.run_id;
  c.log_text(run_id, "artifact_path: model\n", "model/MLmodel");
  CreateRegisteredModelOptions o;
  o.tags = {{"owner", "cpp"}, {"ünicode", "wert ✓"}};
  o.description = "from c++";
  c.create_registered_model(name, o);
  mlflow::RegisterModelOptions r;
  r.tags = {{"k", "v1"}};
  c.register_model("runs:/" + run_id + "/model", name, r);
  CreateModelVersionOptions v2;
  v2.description = "second";
  v2.run_link = "http://x/run";
  c.create_model_version(name, "s3://bucket/cpp/2", v2);
  c.create_model_version(name, "s3://bucket/cpp/3");
  c.delete_model_version(name, "3");
  c.set_registered_model_alias(name, "champion", "2");
  c.transition_model_version_stage(name, "1", "Production");
  c.set_model_version_tag(name, "2", "quality", "good");
  return run_id;
}

void expect_python_sees_cpp_model(MlflowClient& c, const json& py, const std::string& name,
                                  const std::string& run_id) {
  ASSERT_TRUE(py.is_object());
  EXPECT_EQ(py["found_by_search"], json::array({"1", "2"}));
  EXPECT_EQ(py["model"]["description"], "from c++");
  EXPECT_EQ(py["model"]["tags"]["owner"], "cpp");
  EXPECT_EQ(py["model"]["tags"]["ünicode"], "wert ✓");
  EXPECT_EQ(py["model"]["aliases"]["champion"], "2");
  EXPECT_EQ(py["by_alias"]["champion"], "2");
  const json& v1 = py["versions"][0];
  const auto cpp_v1 = c.get_model_version(name, "1");
  EXPECT_EQ(v1["source"], cpp_v1.source);
  EXPECT_EQ(v1["run_id"], run_id);
  EXPECT_EQ(v1["current_stage"], "Production");
  EXPECT_EQ(v1["status"], "READY");
  EXPECT_EQ(v1["tags"]["k"], "v1");
  EXPECT_EQ(v1["creation_timestamp"], cpp_v1.creation_timestamp);
  const json& v2 = py["versions"][1];
  EXPECT_EQ(v2["description"], "second");
  EXPECT_EQ(v2["run_link"], "http://x/run");
  EXPECT_EQ(v2["source"], "s3://bucket/cpp/2");
  EXPECT_EQ(v2["tags"]["quality"], "good");
  EXPECT_EQ(v2["aliases"], json::array({"champion"}));
  EXPECT_EQ(v2["current_stage"], "None");
}

TEST(RegistryInterop, PythonFindsWhatCppRegisteredOnTheServer) {
  const std::string dir = mlflow::testing::make_temp_dir("registry-interop-server");
  MlflowClient c(mlflow::testing::server_uri());
  const std::string name = mlflow::testing::unique_name("cpp-registered");
  const std::string run_id = register_from_cpp(c, name);
  const json py = run_python(dir, "read '" + mlflow::testing::server_uri() + "' '" + name + "'");
  expect_python_sees_cpp_model(c, py, name, run_id);
}

TEST(RegistryInterop, PythonReadsCppRowsInAnEmbeddedDatabase) {
  const std::string dir = mlflow::testing::make_temp_dir("registry-interop-sqlite");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  const std::string name = "cpp-embedded-model";
  std::string run_id;
  {
    MlflowClient c(uri);
    run_id = register_from_cpp(c, name);
  }
  const json py = run_python(dir, "read '" + uri + "' '" + name + "'");
  MlflowClient c(uri);
  expect_python_sees_cpp_model(c, py, name, run_id);
}

TEST(RegistryInterop, CppReadsPythonRowsInAnEmbeddedDatabase) {
  const std::string dir = mlflow::testing::make_temp_dir("registry-interop-py");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  const std::string name = "python-model";
  // Python creates the database (its own migrations), C++ opens it afterwards.
  const json ok = run_python(dir, "write '" + uri + "' '" + name + "'");
  ASSERT_EQ(ok["ok"], true);
  MlflowClient c(uri);
  const auto rm = c.get_registered_model(name);
  EXPECT_EQ(rm.description, "from python");
  EXPECT_EQ(rm.tags.at("owner"), "python");
  EXPECT_EQ(rm.aliases.at("champion"), "2");
  const auto v1 = c.get_model_version(name, "1");
  EXPECT_EQ(v1.source, "s3://bucket/py/1");
  EXPECT_EQ(v1.description, "one");
  EXPECT_EQ(v1.tags.at("k"), "v1");
  EXPECT_EQ(v1.current_stage, ModelVersionStage::kStaging);
  const auto v2 = c.get_model_version_by_alias(name, "champion");
  EXPECT_EQ(v2.version, "2");
  EXPECT_EQ(v2.run_link, "http://x/run");
  EXPECT_EQ(v2.tags.at("quality"), "good");
  mlflow::SearchModelVersionsOptions s;
  s.filter_string = "name = '" + name + "'";
  EXPECT_EQ(c.search_model_versions(s).size(), 2u);
  // And C++ continues where Python left off.
  EXPECT_EQ(c.create_model_version(name, "s3://bucket/cpp/3").version, "3");
}

}  // namespace
