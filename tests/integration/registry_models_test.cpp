// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Model registry calls of MlflowClient against the real MLflow 3.18 server and the embedded
// store, with the same test bodies: registered models, tags, errors, search with filters,
// ordering and paging, and the prompt exclusion.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/registry_store.hpp"
#include "support/backend_access.hpp"
#include "support/store_kind.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::registry_store_of;
using testing::StoreKind;
using testing::unique_name;

class RegistryModels : public ::testing::TestWithParam<StoreKind> {
 protected:
  MlflowClient client() { return mlflow::testing::client_for(GetParam(), "registry-models"); }
};

std::vector<std::string> names_of(const std::vector<RegisteredModel>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m.name);
  return out;
}

TEST_P(RegistryModels, CreateGetUpdateRenameDelete) {
  MlflowClient c = client();
  const std::string name = unique_name("rm");
  CreateRegisteredModelOptions o;
  o.tags = {{"team", "vision"}, {"stage.note", "a b"}};
  o.description = "first";
  const RegisteredModel created = c.create_registered_model(name, o);
  EXPECT_EQ(created.name, name);
  EXPECT_EQ(created.description, "first");
  EXPECT_GT(created.creation_timestamp, 0);
  EXPECT_EQ(created.creation_timestamp, created.last_updated_timestamp);
  EXPECT_EQ(created.tags.at("team"), "vision");

  RegisteredModel got = c.get_registered_model(name);
  EXPECT_EQ(got.tags.size(), 2u);
  EXPECT_TRUE(got.latest_versions.empty());
  EXPECT_TRUE(got.aliases.empty());

  EXPECT_EQ(c.update_registered_model(name, std::string("second")).description, "second");
  EXPECT_EQ(c.get_registered_model(name).description, "second");
  // Cleared: SQL NULL on the embedded store (Python's None), "" from the server (which Python
  // reads as "" too).
  EXPECT_EQ(c.update_registered_model(name, std::nullopt).description,
            GetParam() == StoreKind::kServer ? std::optional<std::string>("") : std::nullopt);

  c.set_registered_model_tag(name, "team", "nlp");
  c.set_registered_model_tag(name, "extra", "1");
  c.delete_registered_model_tag(name, "extra");
  c.delete_registered_model_tag(name, "never-set");  // absent tags are not an error
  got = c.get_registered_model(name);
  EXPECT_EQ(got.tags.at("team"), "nlp");
  EXPECT_EQ(got.tags.count("extra"), 0u);

  const std::string renamed = name + "-renamed";
  EXPECT_EQ(c.rename_registered_model(name, renamed).name, renamed);
  EXPECT_THROW(c.get_registered_model(name), NotFound);
  EXPECT_EQ(c.get_registered_model(renamed).tags.at("team"), "nlp");

  c.delete_registered_model(renamed);
  EXPECT_THROW(c.get_registered_model(renamed), NotFound);
  // The name is free again after a delete.
  EXPECT_EQ(c.create_registered_model(renamed).name, renamed);
}

TEST_P(RegistryModels, ErrorsCarryTheServersCodesAndMessages) {
  MlflowClient c = client();
  const std::string name = unique_name("rm-err");
  c.create_registered_model(name);
  try {
    c.create_registered_model(name);
    FAIL() << "duplicate accepted";
  } catch (const AlreadyExists& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceAlreadyExists);
    EXPECT_THAT(e.what(), HasSubstr("Registered Model (name=" + name + ") already exists"));
  }
  try {
    c.get_registered_model(name + "-missing");
    FAIL() << "unknown model found";
  } catch (const NotFound& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_THAT(e.what(), HasSubstr("Registered Model with name=" + name + "-missing not found"));
  }
  EXPECT_THROW(c.update_registered_model(name + "-missing", std::string("d")), NotFound);
  EXPECT_THROW(c.delete_registered_model(name + "-missing"), NotFound);
  EXPECT_THROW(c.set_registered_model_tag(name + "-missing", "k", "v"), NotFound);
  EXPECT_THROW(c.rename_registered_model(name + "-missing", name + "-x"), NotFound);
  const std::string other = unique_name("rm-err2");
  c.create_registered_model(other);
  EXPECT_THROW(c.rename_registered_model(other, name), AlreadyExists);

  EXPECT_THROW(c.create_registered_model(""), InvalidArgument);
  EXPECT_THROW(c.create_registered_model("a/b"), InvalidArgument);
  EXPECT_THROW(c.create_registered_model("a:b"), InvalidArgument);
  EXPECT_THROW(c.create_registered_model(".."), InvalidArgument);
  EXPECT_THROW(c.set_registered_model_tag(name, "bad key!", "v"), InvalidArgument);
  EXPECT_THROW(c.set_registered_model_tag(name, "k", std::string(100001, 'x')), InvalidArgument);
  CreateRegisteredModelOptions prompt;
  prompt.tags = {{"mlflow.prompt.is_prompt", "true"}};
  EXPECT_THROW(c.create_registered_model(unique_name("p"), prompt), InvalidArgument);
  SearchRegisteredModelsOptions too_many;
  too_many.max_results = 1001;
  EXPECT_THROW(c.search_registered_models(too_many), InvalidArgument);
}

TEST_P(RegistryModels, SearchFiltersOrderAndPages) {
  MlflowClient c = client();
  const std::string p = unique_name("rms");
  for (const char* suffix : {"-b", "-a", "-c", "-d"}) {
    CreateRegisteredModelOptions o;
    o.tags = {{"group", suffix[1] == 'd' ? "other" : "main"}, {"mlflow.k", suffix}};
    c.create_registered_model(p + suffix, o);
  }
  SearchRegisteredModelsOptions o;
  o.filter_string = "name LIKE '" + p + "-%'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items),
              ElementsAre(p + "-a", p + "-b", p + "-c", p + "-d"));
  o.order_by = {"name DESC"};
  EXPECT_THAT(names_of(c.search_registered_models(o).items),
              ElementsAre(p + "-d", p + "-c", p + "-b", p + "-a"));
  o.order_by = {"last_updated_timestamp DESC"};
  c.set_registered_model_tag(p + "-b", "touched", "1");  // tags do not bump last_updated
  c.update_registered_model(p + "-a", std::string("bumped"));
  EXPECT_EQ(c.search_registered_models(o).items.front().name, p + "-a");

  o.order_by = {};
  o.filter_string = "name LIKE '" + p + "-%' AND tags.group = 'main'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items),
              ElementsAre(p + "-a", p + "-b", p + "-c"));
  o.filter_string = "name ILIKE '" + p + "-%' AND tags.`mlflow.k` != '-a' AND tag.group = 'main'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items), ElementsAre(p + "-b", p + "-c"));
  o.filter_string = "name = '" + p + "-c'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items), ElementsAre(p + "-c"));
  o.filter_string = "name != '" + p + "-c' AND name LIKE '" + p + "%'";
  EXPECT_EQ(c.search_registered_models(o).size(), 3u);

  // Paging: 4 models, 3 per page.
  o.filter_string = "name LIKE '" + p + "-%'";
  o.max_results = 3;
  auto page1 = c.search_registered_models(o);
  ASSERT_EQ(page1.size(), 3u);
  ASSERT_TRUE(page1.has_next_page());
  o.page_token = page1.token;
  auto page2 = c.search_registered_models(o);
  EXPECT_THAT(names_of(page2.items), ElementsAre(p + "-d"));
  EXPECT_FALSE(page2.has_next_page());
  o.page_token.clear();
  o.max_results = 1;
  EXPECT_THAT(names_of(c.search_registered_models_all(o).to_vector()),
              ElementsAre(p + "-a", p + "-b", p + "-c", p + "-d"));

  o.max_results = 100;
  o.filter_string = "name = '" + p + "-a' OR name = 'x'";
  EXPECT_THROW(c.search_registered_models(o), InvalidArgument);
  o.filter_string = "run_id = 'x'";
  EXPECT_THROW(c.search_registered_models(o), InvalidArgument);
  o.filter_string = "tags.group > 'main'";
  EXPECT_THROW(c.search_registered_models(o), InvalidArgument);
  o.filter_string = "";
  o.order_by = {"creation_timestamp DESC"};
  EXPECT_THROW(c.search_registered_models(o), InvalidArgument);
  o.order_by = {"bogus"};
  EXPECT_THROW(c.search_registered_models(o), InvalidArgument);
}

// Python reads a description never set as None from its SQL store and as "" from the server
// (which also stores "" for a version created without one); one set to "" is "" everywhere.
TEST_P(RegistryModels, DescriptionNeverSetIsToldFromEmpty) {
  MlflowClient c = client();
  const bool server = GetParam() == StoreKind::kServer;
  const std::optional<std::string> unset = server ? std::optional<std::string>("") : std::nullopt;
  const std::string name = unique_name("rmd");
  EXPECT_EQ(c.create_registered_model(name).description, unset);
  EXPECT_EQ(c.get_registered_model(name).description, unset);
  CreateRegisteredModelOptions empty;
  empty.description = "";
  EXPECT_EQ(c.create_registered_model(name + "-e", empty).description,
            std::optional<std::string>(""));
  EXPECT_EQ(c.get_registered_model(name + "-e").description, std::optional<std::string>(""));

  EXPECT_EQ(c.create_model_version(name, "s3://b/1").description, unset);
  EXPECT_EQ(c.get_model_version(name, "1").description, unset);
  mlflow::CreateModelVersionOptions v;
  v.description = "";
  EXPECT_EQ(c.create_model_version(name, "s3://b/2", v).description,
            std::optional<std::string>(""));
  EXPECT_EQ(c.get_model_version(name, "2").description, std::optional<std::string>(""));
  EXPECT_EQ(c.update_model_version(name, "1", std::string("")).description,
            std::optional<std::string>(""));
}

TEST_P(RegistryModels, PromptsAreHiddenUnlessAskedFor) {
  MlflowClient c = client();
  const std::string p = unique_name("rmp");
  c.create_registered_model(p + "-model");
  // Prompts are made by the prompt layer, which talks to the store directly (here: a second
  // backend on the same store).
  const auto store = registry_store_of(c);
  store->create_registered_model(p + "-prompt", {{"mlflow.prompt.is_prompt", "true"}},
                                 std::nullopt);
  SearchRegisteredModelsOptions o;
  o.filter_string = "name LIKE '" + p + "-%'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items), ElementsAre(p + "-model"));
  o.filter_string = "name LIKE '" + p + "-%' AND tags.`mlflow.prompt.is_prompt` = 'true'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items), ElementsAre(p + "-prompt"));
  o.filter_string = "name LIKE '" + p + "-%' AND tags.`mlflow.prompt.is_prompt` = 'false'";
  EXPECT_THAT(names_of(c.search_registered_models(o).items), ElementsAre(p + "-model"));
  // A model and a prompt may not share a name.
  try {
    store->create_registered_model(p + "-model", {{"mlflow.prompt.is_prompt", "true"}},
                                   std::nullopt);
    FAIL() << "prompt over a model accepted";
  } catch (const AlreadyExists& e) {
    EXPECT_THAT(e.what(), HasSubstr("already taken by a registered model"));
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryModels, mlflow::testing::kBothStores,
                         mlflow::testing::store_kind_name);

}  // namespace

namespace {

// MLFLOW_REGISTRY_URI sends the registry elsewhere than tracking, as in Python.
TEST(RegistryUri, EnvironmentPicksTheRegistryStore) {
  const std::string dir = mlflow::testing::make_temp_dir("registry-uri");
  const std::string tracking = "sqlite:///" + dir + "/tracking.db";
  const std::string name = unique_name("elsewhere");
  {
    mlflow::testing::ScopedEnv env({{"MLFLOW_REGISTRY_URI", mlflow::testing::server_uri()}});
    MlflowClient c(tracking);
    c.create_registered_model(name);
  }
  EXPECT_EQ(MlflowClient(mlflow::testing::server_uri()).get_registered_model(name).name, name);
  EXPECT_THROW(MlflowClient(tracking).get_registered_model(name), NotFound);
  {
    mlflow::testing::ScopedEnv env({{"MLFLOW_REGISTRY_URI", "sqlite:///" + dir + "/registry.db"}});
    MlflowClient c(tracking);
    c.create_registered_model(name);
  }
  EXPECT_EQ(MlflowClient("sqlite:///" + dir + "/registry.db").get_registered_model(name).name,
            name);
  EXPECT_THROW(MlflowClient(tracking).get_registered_model(name), NotFound);
  {
    // An unsupported registry URI does not break tracking; registry calls report it.
    mlflow::testing::ScopedEnv env({{"MLFLOW_REGISTRY_URI", std::string("databricks-uc")}});
    MlflowClient c(tracking);
    EXPECT_FALSE(c.create_experiment(unique_name("still-tracking")).empty());
    try {
      c.get_registered_model(name);
      FAIL() << "registry call on an unsupported URI succeeded";
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("MLFLOW_REGISTRY_URI"));
      EXPECT_THAT(e.what(), HasSubstr("databricks-uc"));
    }
  }
}

}  // namespace
}  // namespace mlflow
