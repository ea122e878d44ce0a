// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent artifact functions on both stores, with one test body: the real MLflow 3.18 server
// (proxied mlflow-artifacts: URIs) and the embedded store (a local artifact directory).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "support/files.hpp"
#include "support/fluent_runs.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;

using mlflow::testing::file_bytes;
using mlflow::testing::write_file;

std::vector<std::string> paths(const std::vector<FileInfo>& infos) {
  std::vector<std::string> out;
  for (const auto& f : infos) out.push_back(f.path + (f.is_dir ? "/" : ""));
  return out;
}

class FluentArtifactsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    dir_ = testing::make_temp_dir("fluent-artifacts");
    if (GetParam() == "server") {
      set_tracking_uri(testing::server_uri());
    } else {
      // Artifacts go to <cwd>/mlruns/<experiment>/<run id>/artifacts (MLflow's default).
      set_tracking_uri("sqlite:///" + dir_ + "/mlflow.db");
    }
    set_experiment(testing::unique_name("fluent-artifacts"));
  }
  void TearDown() override {
    while (active_run()) end_run();
    internal::reset_fluent_state();
  }

  testing::ScopedEnv env_{testing::unset_vars(
      {"MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID", "MLFLOW_REGISTRY_URI"})};
  std::string dir_;
};

TEST_P(FluentArtifactsTest, LogsToTheActiveRunAndDownloadsTheSameBytes) {
  const fs::path src = fs::path(dir_) / "src";
  write_file(src / "single.txt", "one file\n");
  write_file(src / "tree" / "a.txt", "a\n");
  write_file(src / "tree" / "sub" / "b.bin", std::string("\0\1\2\xff", 4));

  ActiveRun run = start_run();
  log_artifact((src / "single.txt").string());
  log_artifact((src / "single.txt").string(), "files");
  log_artifacts((src / "tree").string(), "tree");
  log_text(u8"héllo\n", "notes/readme.txt");
  log_dict(R"({"w": [0.5, -1], "b": 2})", "model/weights.json");
  EXPECT_THROW(log_dict("{not json", "bad.json"), InvalidArgument);
  EXPECT_THROW(log_text("x", "../escape.txt"), InvalidArgument);

  MlflowClient client = default_client();
  const std::string id = run.run_id();
  EXPECT_EQ(paths(client.list_artifacts(id)),
            (std::vector<std::string>{"files/", "model/", "notes/", "single.txt", "tree/"}));
  EXPECT_EQ(paths(client.list_artifacts(id, "tree/sub")),
            std::vector<std::string>{"tree/sub/b.bin"});
  const fs::path out = fs::path(dir_) / "out";
  client.download_artifacts(id, "", out.string());
  EXPECT_EQ(file_bytes(out / "single.txt"), "one file\n");
  EXPECT_EQ(file_bytes(out / "files" / "single.txt"), "one file\n");
  EXPECT_EQ(file_bytes(out / "tree" / "sub" / "b.bin"), std::string("\0\1\2\xff", 4));
  EXPECT_EQ(file_bytes(out / "notes" / "readme.txt"), u8"héllo\n");
  EXPECT_EQ(file_bytes(out / "model" / "weights.json"),
            "{\n  \"w\": [\n    0.5,\n    -1\n  ],\n  \"b\": 2\n}");

  // get_artifact_uri: the run's artifact root, and Python's append_to_uri_path below it.
  const std::string root = client.get_run(id).info.artifact_uri;
  EXPECT_EQ(get_artifact_uri(), root);
  EXPECT_EQ(get_artifact_uri("model/weights.json"), root + "/model/weights.json");
  EXPECT_EQ(get_artifact_uri("/model"), root + "/model");
  EXPECT_EQ(get_artifact_uri(""), root + "/");
  if (GetParam() == "server") {
    EXPECT_EQ(root.rfind("mlflow-artifacts:", 0), 0u) << root;
  } else {
    EXPECT_EQ(file_bytes(fs::path(root.rfind("file://", 0) == 0 ? root.substr(7) : root) / "model" /
                         "weights.json"),
              file_bytes(out / "model" / "weights.json"));
  }
  run.end();
  EXPECT_FALSE(active_run());
}

TEST_P(FluentArtifactsTest, ExplicitRunIdAndAutoStartedRun) {
  const std::string first = testing::run_that_finished();
  // With a run id: that run (ended or not), no run is started.
  log_text("late", "late.txt", first);
  EXPECT_FALSE(active_run());
  EXPECT_EQ(paths(default_client().list_artifacts(first)), std::vector<std::string>{"late.txt"});
  EXPECT_THROW(log_text("x", "x.txt", std::string("0123456789abcdef0123456789abcdef")), NotFound);

  // Without an active run: one is started and stays active (Python's _get_or_start_run).
  const std::string uri = get_artifact_uri();
  ASSERT_TRUE(active_run());
  EXPECT_NE(active_run()->info.run_id, first);
  EXPECT_EQ(uri, active_run()->info.artifact_uri);
  log_text("auto", "auto.txt");
  EXPECT_EQ(paths(default_client().list_artifacts(active_run()->info.run_id)),
            std::vector<std::string>{"auto.txt"});
  end_run();
}

TEST_P(FluentArtifactsTest, RegistryUriFollowsTheTrackingUri) {
  EXPECT_EQ(get_registry_uri(), get_tracking_uri());
  set_registry_uri("sqlite:///" + dir_ + "/registry.db");
  EXPECT_EQ(get_registry_uri(), "sqlite:///" + dir_ + "/registry.db");
  EXPECT_NE(get_registry_uri(), get_tracking_uri());
  // The fluent API's client registers there, not in the tracking store.
  const std::string name = testing::unique_name("fluent-registry");
  default_client().create_registered_model(name);
  EXPECT_EQ(MlflowClient(get_registry_uri()).get_registered_model(name).name, name);
  EXPECT_THROW(MlflowClient(get_tracking_uri()).get_registered_model(name), NotFound);
  set_registry_uri("");
  EXPECT_EQ(get_registry_uri(), get_tracking_uri());
  EXPECT_THROW(default_client().get_registered_model(name), NotFound);
}

TEST_P(FluentArtifactsTest, TablesImagesModelsRegistryAndPrompts) {
  ActiveRun run = start_run();
  const std::string id = run.run_id();
  MlflowClient client = default_client();

  // log_table twice appends, as Python does; load_table reads the rows back.
  log_table(R"({"a": [1, 2], "b": ["x", "y"]})", "tables/t.json");
  log_table(R"({"a": [3], "b": ["z"]})", "tables/t.json");
  const std::string table = client.load_table(run.info().experiment_id, "tables/t.json", {id});
  EXPECT_NE(table.find("\"z\""), std::string::npos) << table;
  EXPECT_NE(table.find("\"x\""), std::string::npos) << table;

  // log_image: a plain PNG and a keyed, stepped image (with its thumbnail).
  Image image;
  image.width = 2;
  image.height = 2;
  image.channels = 3;
  image.pixels = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  log_image(image, "plots/img.png");
  LogImageOptions keyed;
  keyed.key = "samples";
  keyed.step = 3;
  log_image(image, keyed);
  EXPECT_EQ(paths(client.list_artifacts(id, "plots")), std::vector<std::string>{"plots/img.png"});
  const std::vector<FileInfo> images = client.list_artifacts(id, "images");
  ASSERT_EQ(images.size(), 2u) << ::testing::PrintToString(paths(images));
  EXPECT_NE(images[0].path.find("samples+step+3+"), std::string::npos) << images[0].path;
  EXPECT_EQ(client.get_run(id).data.tags.at("mlflow.loggedImages"), "True");

  // log_model on the active run, then the fluent registry functions.
  const fs::path model_file = fs::path(dir_) / "model.onnx";
  write_file(model_file, std::string("\x08\x07onnx", 6));
  const LoggedModel model = log_model(model_file.string());
  EXPECT_EQ(model.source_run_id.value_or(""), id);
  const std::string name = testing::unique_name("fluent-model");
  const ModelVersion version = register_model("models:/" + model.model_id, name);
  EXPECT_EQ(version.version, "1");
  set_model_version_tag(name, "1", "stage", "candidate");
  SearchModelVersionsOptions versions;
  versions.filter_string = "name = '" + name + "'";
  const std::vector<ModelVersion> found = search_model_versions(versions);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tags.at("stage"), "candidate");
  SearchRegisteredModelsOptions models;
  models.filter_string = "name = '" + name + "'";
  ASSERT_EQ(search_registered_models(models).size(), 1u);

  // Prompts: register, alias, load (by alias and by name), search, delete the alias.
  const std::string prompt = testing::unique_name("fluent-prompt");
  const PromptVersion v1 = register_prompt(prompt, "Hello {{ name }}!");
  EXPECT_EQ(v1.version(), 1);
  set_prompt_alias(prompt, "prod", 1);
  LoadPromptOptions no_cache;
  no_cache.cache_ttl_seconds = 0;
  const std::optional<PromptVersion> loaded = load_prompt("prompts:/" + prompt + "@prod", no_cache);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->format_as_text({{"name", PromptValue("C++")}}), "Hello C++!");
  EXPECT_EQ(load_prompt(prompt, no_cache)->template_text(), "Hello {{ name }}!");
  SearchPromptsOptions search;
  search.filter_string = "name = '" + prompt + "'";
  EXPECT_EQ(search_prompts(search).size(), 1u);
  delete_prompt_alias(prompt, "prod");
  LoadPromptOptions missing = no_cache;
  missing.allow_missing = true;
  EXPECT_FALSE(load_prompt("prompts:/" + prompt + "@prod", missing));
}

INSTANTIATE_TEST_SUITE_P(BothStores, FluentArtifactsTest, ::testing::Values("embedded", "server"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mlflow
