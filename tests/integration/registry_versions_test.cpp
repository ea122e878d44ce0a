// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Model versions, stages, aliases, version search and register_model against the real MLflow
// 3.18 server and the embedded store, with the same test bodies.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/registry_store.hpp"
#include "support/backend_access.hpp"
#include "support/store_kind.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::registry_store_of;
using testing::StoreKind;
using testing::ThrowsMlflow;
using testing::unique_name;
using ::testing::UnorderedElementsAre;

class RegistryVersions : public ::testing::TestWithParam<StoreKind> {
 protected:
  MlflowClient client() { return mlflow::testing::client_for(GetParam(), "registry-versions"); }
};

// A source the server accepts without a run (no local path).
std::string src(const std::string& tail) { return "s3://bucket/models/" + tail; }

std::vector<std::string> versions_of(const std::vector<ModelVersion>& mvs) {
  std::vector<std::string> out;
  for (const auto& m : mvs) out.push_back(m.name + "/" + m.version);
  return out;
}

TEST_P(RegistryVersions, CreateGetUpdateDelete) {
  MlflowClient c = client();
  const std::string name = unique_name("mv");
  c.create_registered_model(name);
  CreateModelVersionOptions o;
  o.tags = {{"k", "v"}};
  o.description = "v1 desc";
  o.run_link = "http://example.com/run";
  const ModelVersion v1 = c.create_model_version(name, src("a"), o);
  EXPECT_EQ(v1.name, name);
  EXPECT_EQ(v1.version, "1");
  EXPECT_EQ(v1.current_stage, ModelVersionStage::kNone);
  EXPECT_EQ(v1.status, ModelVersionStatus::kReady);
  EXPECT_EQ(v1.source, src("a"));
  EXPECT_EQ(v1.description, "v1 desc");
  EXPECT_EQ(v1.run_link, "http://example.com/run");
  EXPECT_EQ(v1.tags.at("k"), "v");
  EXPECT_GT(v1.creation_timestamp, 0);
  EXPECT_EQ(c.create_model_version(name, src("b")).version, "2");

  ModelVersion got = c.get_model_version(name, "1");
  EXPECT_EQ(got.source, src("a"));
  EXPECT_EQ(got.tags.at("k"), "v");
  EXPECT_EQ(c.get_model_version_download_uri(name, "1"), src("a"));
  EXPECT_EQ(c.update_model_version(name, "1", std::string("new")).description, "new");
  EXPECT_EQ(c.get_model_version(name, "1").description, "new");

  c.set_model_version_tag(name, "1", "k", "v2");
  c.set_model_version_tag(name, "1", "x", "y");
  c.delete_model_version_tag(name, "1", "x");
  got = c.get_model_version(name, "1");
  EXPECT_EQ(got.tags.size(), 1u);
  EXPECT_EQ(got.tags.at("k"), "v2");

  // The registered model lists the newest version per stage.
  const auto rm = c.get_registered_model(name);
  ASSERT_EQ(rm.latest_versions.size(), 1u);
  EXPECT_EQ(rm.latest_versions[0].version, "2");

  c.delete_model_version(name, "2");
  EXPECT_THROW(c.get_model_version(name, "2"), NotFound);
  EXPECT_THROW(c.delete_model_version(name, "2"), NotFound);
  // Version numbers are never reused.
  EXPECT_EQ(c.create_model_version(name, src("c")).version, "3");
}

TEST_P(RegistryVersions, Errors) {
  MlflowClient c = client();
  const std::string name = unique_name("mv-err");
  EXPECT_THROW(c.create_model_version(name, src("a")), NotFound);
  c.create_registered_model(name);
  c.create_model_version(name, src("a"));
  try {
    c.get_model_version(name, "7");
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_THAT(e.what(), HasSubstr("Model Version (name=" + name + ", version=7) not found"));
  }
  EXPECT_THROW(c.get_model_version(name, "one"), InvalidArgument);
  EXPECT_THROW(c.update_model_version(name, "7", std::string("d")), NotFound);
  EXPECT_THROW(c.set_model_version_tag(name, "7", "k", "v"), NotFound);
  EXPECT_THROW(c.delete_model_version_tag(name, "7", "k"), NotFound);
  EXPECT_THROW(c.get_model_version_download_uri(name, "7"), NotFound);
  EXPECT_THROW(c.transition_model_version_stage(name, "1", "Live"), InvalidArgument);
  EXPECT_THROW(c.transition_model_version_stage(name, "7", "Staging"), NotFound);
  EXPECT_THROW(c.set_model_version_tag(name, "1", "", "v"), InvalidArgument);
  CreateModelVersionOptions prompt;
  prompt.tags = {{"mlflow.prompt.is_prompt", "true"}};
  EXPECT_THROW(c.create_model_version(name, src("p"), prompt), InvalidArgument);
  EXPECT_THROW(c.create_model_version(name, ""), InvalidArgument);
  // Source checks of the server: absolute, no relative references, local paths only inside
  // the given run's artifact directory.
  EXPECT_THROW(c.create_model_version(name, "s3://bucket"), InvalidArgument);
  EXPECT_THROW(c.create_model_version(name, "s3://bucket/a/../b"), InvalidArgument);
  EXPECT_THROW(c.create_model_version(name, "s3://bucket/a/%2e%2e/b"), InvalidArgument);
  EXPECT_THROW(c.create_model_version(name, "/tmp/model"), InvalidArgument);
  EXPECT_THROW(c.create_model_version(name, "file:///tmp/model"), InvalidArgument);
  CreateModelVersionOptions other_run;
  other_run.run_id = "0123456789abcdef0123456789abcdef";
  EXPECT_THROW(c.create_model_version(name, "runs:/another/model", other_run), InvalidArgument);
}

TEST_P(RegistryVersions, StagesAndArchiving) {
  MlflowClient c = client();
  const std::string name = unique_name("mv-stage");
  c.create_registered_model(name);
  for (int i = 0; i < 4; ++i) c.create_model_version(name, src(std::to_string(i)));
  EXPECT_EQ(c.transition_model_version_stage(name, "1", "production").current_stage,
            ModelVersionStage::kProduction);
  c.transition_model_version_stage(name, "2", "Staging");
  // Without archiving, two versions may share a stage.
  c.transition_model_version_stage(name, "3", "Production");
  EXPECT_EQ(c.get_model_version(name, "1").current_stage, ModelVersionStage::kProduction);
  // With archiving, the others in the target stage move to Archived.
  c.transition_model_version_stage(name, "4", "Production", true);
  EXPECT_EQ(c.get_model_version(name, "1").current_stage, ModelVersionStage::kArchived);
  EXPECT_EQ(c.get_model_version(name, "3").current_stage, ModelVersionStage::kArchived);
  EXPECT_EQ(c.get_model_version(name, "2").current_stage, ModelVersionStage::kStaging);

  std::vector<std::string> latest;
  for (const auto& mv : c.get_latest_versions(name)) {
    latest.push_back(std::string(to_string(mv.current_stage)) + ":" + mv.version);
  }
  EXPECT_THAT(latest, UnorderedElementsAre("Archived:3", "Staging:2", "Production:4"));
  EXPECT_THAT(versions_of(c.get_latest_versions(name, {"production"})), ElementsAre(name + "/4"));
  EXPECT_THAT(versions_of(c.get_latest_versions(name, {"None"})), ElementsAre());
  EXPECT_THROW(c.get_latest_versions(name, {"Live"}), InvalidArgument);
  EXPECT_THROW(c.get_latest_versions(name + "-missing"), NotFound);
  // Archiving is only for the active stages: INTERNAL_ERROR, as both Python stores answer,
  // refused before the request (the server's HTTP 500 would be retried).
  EXPECT_THAT([&] { c.transition_model_version_stage(name, "2", "Archived", true); },
              ThrowsMlflow(ErrorCode::kInternalError));
}

TEST_P(RegistryVersions, Aliases) {
  MlflowClient c = client();
  const std::string name = unique_name("mv-alias");
  c.create_registered_model(name);
  for (int i = 0; i < 3; ++i) c.create_model_version(name, src(std::to_string(i)));
  c.set_registered_model_alias(name, "champion", "1");
  c.set_registered_model_alias(name, "challenger", "2");
  ModelVersion champ = c.get_model_version_by_alias(name, "champion");
  EXPECT_EQ(champ.version, "1");
  EXPECT_THAT(champ.aliases, ElementsAre("champion"));
  EXPECT_THAT(c.get_model_version(name, "2").aliases, ElementsAre("challenger"));
  auto rm = c.get_registered_model(name);
  EXPECT_EQ(rm.aliases.at("champion"), "1");
  EXPECT_EQ(rm.aliases.at("challenger"), "2");
  // Moving an alias.
  c.set_registered_model_alias(name, "champion", "3");
  EXPECT_EQ(c.get_model_version_by_alias(name, "champion").version, "3");
  EXPECT_EQ(c.get_model_version_by_alias(name, "LATEST").version, "3");
  c.delete_registered_model_alias(name, "champion");
  try {
    c.get_model_version_by_alias(name, "champion");
    FAIL();
  } catch (const InvalidArgument& e) {
    // The server answers INVALID_PARAMETER_VALUE (400), not 404, for a missing alias.
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
    EXPECT_THAT(e.what(), HasSubstr("Registered model alias champion not found."));
  }
  // Deleting a version removes its aliases.
  c.delete_model_version(name, "2");
  EXPECT_EQ(c.get_registered_model(name).aliases.count("challenger"), 0u);
  EXPECT_THROW(c.set_registered_model_alias(name, "latest", "1"), InvalidArgument);
  EXPECT_THROW(c.set_registered_model_alias(name, "v3", "1"), InvalidArgument);
  EXPECT_THROW(c.set_registered_model_alias(name, "bad alias", "1"), InvalidArgument);
  EXPECT_THROW(c.set_registered_model_alias(name, "ok", "9"), NotFound);
  EXPECT_THROW(c.set_registered_model_alias(name, "ok", "x"), InvalidArgument);
  EXPECT_THROW(c.get_model_version_by_alias(name + "-missing", "a"), NotFound);
  const std::string empty = unique_name("mv-empty");
  c.create_registered_model(empty);
  EXPECT_THROW(c.get_model_version_by_alias(empty, "latest"), NotFound);
}

TEST_P(RegistryVersions, SearchFiltersOrderAndPages) {
  MlflowClient c = client();
  const std::string a = unique_name("mvs-a");
  const std::string b = a + "-b";
  c.create_registered_model(a);
  c.create_registered_model(b);
  const std::string exp = c.create_experiment(unique_name("mvs-exp"));
  const std::string run1 = c.create_run(exp).info.run_id;
  const std::string run2 = c.create_run(exp).info.run_id;
  CreateModelVersionOptions o;
  o.run_id = run1;
  o.tags = {{"flavor", "onnx"}};
  c.create_model_version(a, src("a1"), o);  // a/1
  o.run_id = run2;
  o.tags = {{"flavor", "torch"}};
  c.create_model_version(a, src("a2"), o);       // a/2
  c.create_model_version(b, src(a + "/b1"), o);  // b/1
  o.tags = {};
  c.create_model_version(a, src("a3"), o);  // a/3

  SearchModelVersionsOptions s;
  s.filter_string = "name = '" + a + "'";
  // Default order: last updated first, then name, then version descending.
  EXPECT_THAT(versions_of(c.search_model_versions(s).items),
              ElementsAre(a + "/3", a + "/2", a + "/1"));
  s.order_by = {"version_number ASC"};
  EXPECT_THAT(versions_of(c.search_model_versions(s).items),
              ElementsAre(a + "/1", a + "/2", a + "/3"));
  s.filter_string = "name = '" + a + "' AND version_number >= 2";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(a + "/2", a + "/3"));
  s.filter_string = "run_id = '" + run2 + "'";
  s.order_by = {"name ASC", "version_number DESC"};
  EXPECT_THAT(versions_of(c.search_model_versions(s).items),
              ElementsAre(a + "/3", a + "/2", b + "/1"));
  s.filter_string = "run_id IN ('" + run1 + "', 'nope')";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(a + "/1"));
  s.filter_string = "name LIKE '" + a + "%' AND tags.flavor = 'torch'";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(a + "/2", b + "/1"));
  s.filter_string = "source_path = '" + src(a + "/b1") + "'";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(b + "/1"));
  s.filter_string = "name ILIKE '" + a + "%' AND tags.flavor LIKE 'o%'";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(a + "/1"));

  // Deleted versions are left out; paging.
  c.delete_model_version(a, "1");
  s.filter_string = "name LIKE '" + a + "%'";
  s.max_results = 2;
  auto p1 = c.search_model_versions(s);
  EXPECT_THAT(versions_of(p1.items), ElementsAre(a + "/3", a + "/2"));
  ASSERT_TRUE(p1.has_next_page());
  s.page_token = p1.token;
  auto p2 = c.search_model_versions(s);
  EXPECT_THAT(versions_of(p2.items), ElementsAre(b + "/1"));
  EXPECT_FALSE(p2.has_next_page());
  s.page_token.clear();
  s.max_results = 1;
  EXPECT_EQ(c.search_model_versions_all(s).to_vector().size(), 3u);

  s.max_results = 100;
  s.filter_string = "version_number = 'abc'";
  EXPECT_THROW(c.search_model_versions(s), InvalidArgument);
  s.filter_string = "version_number LIKE '1'";
  EXPECT_THROW(c.search_model_versions(s), InvalidArgument);
  s.filter_string = "source_path IN ('x')";
  EXPECT_THROW(c.search_model_versions(s), InvalidArgument);
  s.filter_string = "";
  s.order_by = {"run_id"};
  EXPECT_THROW(c.search_model_versions(s), InvalidArgument);
  s.order_by = {};
  s.max_results = 200001;
  EXPECT_THROW(c.search_model_versions(s), InvalidArgument);
}

TEST_P(RegistryVersions, PromptVersionsAreHiddenUnlessAskedFor) {
  MlflowClient c = client();
  const std::string p = unique_name("mvp");
  c.create_registered_model(p + "-model");
  c.create_model_version(p + "-model", src("m"));
  // Prompts are made by the prompt layer, which talks to the store directly (here: a second
  // backend on the same store).
  const auto store = registry_store_of(c);
  store->create_registered_model(p + "-prompt", {{"mlflow.prompt.is_prompt", "true"}},
                                 std::nullopt);
  mlflow::internal::CreateModelVersionRequest r;
  r.name = p + "-prompt";
  r.source = "dummy-source";
  r.tags = {{"mlflow.prompt.is_prompt", "true"}, {"mlflow.prompt.text", "Hi {{name}}"}};
  store->create_model_version(r);
  SearchModelVersionsOptions s;
  s.filter_string = "name LIKE '" + p + "-%'";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(p + "-model/1"));
  s.filter_string = "name LIKE '" + p + "-%' AND tags.`mlflow.prompt.is_prompt` = 'true'";
  EXPECT_THAT(versions_of(c.search_model_versions(s).items), ElementsAre(p + "-prompt/1"));
}

TEST_P(RegistryVersions, RegisterModelFromRunsUri) {
  MlflowClient c = client();
  const std::string exp = c.create_experiment(unique_name("reg-exp"));
  const auto run = c.create_run(exp);
  const std::string run_id = run.info.run_id;
  c.log_text(run_id, "artifact_path: model\nflavors: {}\n", "model/MLmodel");
  const std::string name = unique_name("reg");
  mlflow::RegisterModelOptions o;
  o.tags = {{"via", "register_model"}};
  const ModelVersion v1 = c.register_model("runs:/" + run_id + "/model", name, o);
  EXPECT_EQ(v1.version, "1");
  EXPECT_EQ(v1.run_id, run_id);
  EXPECT_EQ(v1.source, c.get_run(run_id).info.artifact_uri + "/model");
  EXPECT_EQ(v1.tags.at("via"), "register_model");
  // A second registration adds a version to the existing model.
  EXPECT_EQ(c.register_model("runs:/" + run_id + "/model", name).version, "2");
  // No MLmodel at that path: Python then looks for a logged model of that name made by the
  // run; with none it fails with INTERNAL_ERROR (it means NOT_FOUND, but passes the code's name
  // where its number is expected).
  EXPECT_THAT([&] { c.register_model("runs:/" + run_id + "/nothing", name); },
              ThrowsMlflow(ErrorCode::kInternalError));
  mlflow::CreateLoggedModelOptions lo;
  lo.name = "lm";
  lo.source_run_id = run_id;
  const auto lm = c.create_logged_model(c.get_run(run_id).info.experiment_id, lo);
  const ModelVersion from_logged = c.register_model("runs:/" + run_id + "/lm", name);
  EXPECT_EQ(from_logged.source, "models:/" + lm.model_id);
  EXPECT_EQ(from_logged.run_id, run_id);
  // The logged model lists the registration, in json.dumps' bytes as Python writes them. A
  // server links the version itself (its SQL store's int version), then the client appends the
  // proto's string version, as Python's register_model does over REST.
  const std::string client_entry =
      "{\"name\": \"" + name + "\", \"version\": \"" + from_logged.version + "\"}";
  const std::string server_entry =
      "{\"name\": \"" + name + "\", \"version\": " + from_logged.version + "}";
  // On the embedded store Python's register_model writes the one entry with its SQL store's
  // int version.
  EXPECT_EQ(c.get_logged_model(lm.model_id).tags.at("mlflow.modelVersions"),
            GetParam() == StoreKind::kServer ? "[" + server_entry + ", " + client_entry + "]"
                                             : "[" + server_entry + "]");
  // models:/<model_id> names a logged model (tested in logged_model_interop_test); an unknown
  // one is NotFound, and registry-style models:/ URIs are not resolved.
  EXPECT_THROW(c.register_model("models:/m-123", name), NotFound);
  EXPECT_THROW(c.register_model("models:/" + name + "/1", name), InvalidArgument);
  // Any other URI is the source as given.
  EXPECT_EQ(c.register_model(src("direct"), name).source, src("direct"));
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryVersions, mlflow::testing::kBothStores,
                         mlflow::testing::store_kind_name);

}  // namespace
}  // namespace mlflow
