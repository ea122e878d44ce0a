// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Experiment calls of MlflowClient against the real MLflow 3.18 server.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

MlflowClient server_client() { return MlflowClient(testing::server_uri()); }

std::string to_upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> names_of(const std::vector<Experiment>& experiments) {
  std::vector<std::string> out;
  for (const auto& e : experiments) out.push_back(e.name);
  return out;
}

bool contains_id(const std::vector<Experiment>& experiments, const std::string& id) {
  return std::any_of(experiments.begin(), experiments.end(),
                     [&](const Experiment& e) { return e.experiment_id == id; });
}

TEST(TrackingExperiments, CreateWithArtifactLocationAndTagsThenGet) {
  MlflowClient client = server_client();
  const std::string name = testing::unique_name("exp-create");
  CreateExperimentOptions options;
  options.artifact_location = "/tmp/mlflow-cpp-integ/" + name + "/artifacts";
  options.tags = {{"team", "core"}, {"purpose", "integration test"}};
  const std::string id = client.create_experiment(name, options);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;

  const Experiment e = client.get_experiment(id);
  EXPECT_EQ(e.experiment_id, id);
  EXPECT_EQ(e.name, name);
  EXPECT_EQ(e.artifact_location, *options.artifact_location);
  EXPECT_EQ(e.lifecycle_stage, "active");
  ASSERT_TRUE(e.creation_time.has_value());
  ASSERT_TRUE(e.last_update_time.has_value());
  EXPECT_GT(*e.creation_time, 1600000000000);
  EXPECT_EQ(e.tags.at("team"), "core");
  EXPECT_EQ(e.tags.at("purpose"), "integration test");

  const auto by_name = client.get_experiment_by_name(name);
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->experiment_id, id);
  EXPECT_EQ(by_name->artifact_location, *options.artifact_location);
  EXPECT_EQ(by_name->tags, e.tags);
}

TEST(TrackingExperiments, DefaultArtifactLocationIsProxiedUri) {
  MlflowClient client = server_client();
  const std::string id = client.create_experiment(testing::unique_name("exp-default-loc"));
  const Experiment e = client.get_experiment(id);
  // The test server proxies artifacts (mlflow server defaults): mlflow-artifacts:/<id>.
  EXPECT_EQ(e.artifact_location, "mlflow-artifacts:/" + id);
  EXPECT_TRUE(e.tags.empty());
}

TEST(TrackingExperiments, GetExperimentByNameAbsentIsNullopt) {
  MlflowClient client = server_client();
  EXPECT_FALSE(
      client.get_experiment_by_name(testing::unique_name("no-such-experiment")).has_value());

  // Exact, case-sensitive match.
  const std::string name = testing::unique_name("exp-CaseSensitive");
  client.create_experiment(name);
  const std::string upper = to_upper(name);
  ASSERT_NE(upper, name);
  EXPECT_FALSE(client.get_experiment_by_name(upper).has_value());
  EXPECT_TRUE(client.get_experiment_by_name(name).has_value());
}

TEST(TrackingExperiments, DefaultExperimentExists) {
  MlflowClient client = server_client();
  const Experiment e = client.get_experiment("0");
  EXPECT_EQ(e.experiment_id, "0");
  EXPECT_EQ(e.name, "Default");
  const auto by_name = client.get_experiment_by_name("Default");
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->experiment_id, "0");
}

TEST(TrackingExperiments, Rename) {
  MlflowClient client = server_client();
  const std::string old_name = testing::unique_name("exp-rename-old");
  const std::string new_name = testing::unique_name("exp-rename-new");
  const std::string id = client.create_experiment(old_name);
  client.rename_experiment(id, new_name);
  EXPECT_EQ(client.get_experiment(id).name, new_name);
  EXPECT_FALSE(client.get_experiment_by_name(old_name).has_value());
  const auto renamed = client.get_experiment_by_name(new_name);
  ASSERT_TRUE(renamed.has_value());
  EXPECT_EQ(renamed->experiment_id, id);
}

TEST(TrackingExperiments, DeleteMarksRunsDeletedAndRestoreBringsThemBack) {
  MlflowClient client = server_client();
  const std::string name = testing::unique_name("exp-delete");
  const std::string id = client.create_experiment(name);
  const std::string run1 = client.create_run(id).info.run_id;
  const std::string run2 = client.create_run(id).info.run_id;

  client.delete_experiment(id);
  const Experiment deleted = client.get_experiment(id);  // deleted experiments are returned
  EXPECT_EQ(deleted.lifecycle_stage, "deleted");
  const auto by_name = client.get_experiment_by_name(name);
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->lifecycle_stage, "deleted");
  EXPECT_EQ(client.get_run(run1).info.lifecycle_stage, "deleted");
  EXPECT_EQ(client.get_run(run2).info.lifecycle_stage, "deleted");

  SearchExperimentsOptions filter;
  filter.filter_string = "name = '" + name + "'";
  filter.view_type = ViewType::kActiveOnly;
  EXPECT_FALSE(contains_id(client.search_experiments(filter).items, id));
  filter.view_type = ViewType::kDeletedOnly;
  EXPECT_TRUE(contains_id(client.search_experiments(filter).items, id));
  filter.view_type = ViewType::kAll;
  EXPECT_TRUE(contains_id(client.search_experiments(filter).items, id));

  mlflow::SearchRunsOptions runs_opts;
  runs_opts.run_view_type = ViewType::kDeletedOnly;
  EXPECT_EQ(client.search_runs({id}, runs_opts).size(), 2u);
  runs_opts.run_view_type = ViewType::kActiveOnly;
  EXPECT_EQ(client.search_runs({id}, runs_opts).size(), 0u);

  client.restore_experiment(id);
  EXPECT_EQ(client.get_experiment(id).lifecycle_stage, "active");
  EXPECT_EQ(client.get_run(run1).info.lifecycle_stage, "active");
  EXPECT_EQ(client.get_run(run2).info.lifecycle_stage, "active");
  filter.view_type = ViewType::kActiveOnly;
  EXPECT_TRUE(contains_id(client.search_experiments(filter).items, id));
  filter.view_type = ViewType::kDeletedOnly;
  EXPECT_FALSE(contains_id(client.search_experiments(filter).items, id));
  runs_opts.run_view_type = ViewType::kActiveOnly;
  EXPECT_EQ(client.search_runs({id}, runs_opts).size(), 2u);
}

TEST(TrackingExperiments, SetAndDeleteExperimentTag) {
  MlflowClient client = server_client();
  const std::string id = client.create_experiment(testing::unique_name("exp-tags"));
  client.set_experiment_tag(id, "k", "v1");
  client.set_experiment_tag(id, "other", "x");
  EXPECT_EQ(client.get_experiment(id).tags.at("k"), "v1");
  client.set_experiment_tag(id, "k", "v2");  // upsert
  Experiment e = client.get_experiment(id);
  EXPECT_EQ(e.tags.at("k"), "v2");
  EXPECT_EQ(e.tags.at("other"), "x");

  client.delete_experiment_tag(id, "k");
  e = client.get_experiment(id);
  EXPECT_EQ(e.tags.count("k"), 0u);
  EXPECT_EQ(e.tags.at("other"), "x");
  EXPECT_THROW(client.delete_experiment_tag(id, "k"), mlflow::NotFound);
}

class TrackingSearchExperiments : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = testing::unique_name("sexp");
    // Names sort as a0 < a1 < ... ; tags split them into two groups.
    for (int i = 0; i < 5; ++i) {
      CreateExperimentOptions options;
      options.tags = {{"group", i % 2 == 0 ? "even" : "odd"}, {"prefix", prefix_}};
      const std::string name = prefix_ + "-a" + std::to_string(i);
      ids_.push_back(client_.create_experiment(name, options));
      names_.push_back(name);
    }
  }

  SearchExperimentsOptions with_prefix() const {
    SearchExperimentsOptions o;
    o.filter_string = "name LIKE '" + prefix_ + "-%'";
    return o;
  }

  MlflowClient client_ = server_client();
  std::string prefix_;
  std::vector<std::string> ids_;
  std::vector<std::string> names_;
};

TEST_F(TrackingSearchExperiments, FilterAndDefaultOrder) {
  const auto page = client_.search_experiments(with_prefix());
  EXPECT_FALSE(page.has_next_page());
  // Default order: creation_time DESC, experiment_id ASC. Created in sequence, so the ids
  // (increasing integers) of the same creation millisecond come ascending.
  ASSERT_EQ(page.size(), 5u);
  EXPECT_THAT(names_of(page.items), UnorderedElementsAreArray(names_));
  for (std::size_t i = 1; i < page.size(); ++i) {
    const auto& a = page[i - 1];
    const auto& b = page[i];
    ASSERT_TRUE(a.creation_time && b.creation_time);
    const bool ordered = *a.creation_time > *b.creation_time ||
                         (*a.creation_time == *b.creation_time &&
                          std::stoll(a.experiment_id) < std::stoll(b.experiment_id));
    EXPECT_TRUE(ordered) << a.experiment_id << " before " << b.experiment_id;
  }
}

TEST_F(TrackingSearchExperiments, OrderByNameAndPaging) {
  SearchExperimentsOptions o = with_prefix();
  o.order_by = {"name ASC"};
  o.max_results = 2;
  const auto p1 = client_.search_experiments(o);
  ASSERT_EQ(p1.size(), 2u);
  ASSERT_TRUE(p1.has_next_page());
  o.page_token = p1.token;
  const auto p2 = client_.search_experiments(o);
  ASSERT_EQ(p2.size(), 2u);
  ASSERT_TRUE(p2.has_next_page());
  o.page_token = p2.token;
  const auto p3 = client_.search_experiments(o);
  ASSERT_EQ(p3.size(), 1u);
  EXPECT_FALSE(p3.has_next_page());
  std::vector<std::string> got = names_of(p1.items);
  for (const auto& e : p2) got.push_back(e.name);
  for (const auto& e : p3) got.push_back(e.name);
  EXPECT_THAT(got, ElementsAreArray(names_));

  SearchExperimentsOptions desc = with_prefix();
  desc.order_by = {"name DESC"};
  std::vector<std::string> reversed(names_.rbegin(), names_.rend());
  EXPECT_THAT(names_of(client_.search_experiments(desc).items), ElementsAreArray(reversed));
}

TEST_F(TrackingSearchExperiments, SearchAllFollowsEveryPage) {
  SearchExperimentsOptions o = with_prefix();
  o.order_by = {"name ASC"};
  o.max_results = 2;
  const std::vector<Experiment> all = client_.search_experiments_all(o).to_vector();
  EXPECT_THAT(names_of(all), ElementsAreArray(names_));

  std::vector<std::string> iterated;
  for (const Experiment& e : client_.search_experiments_all(o)) iterated.push_back(e.name);
  EXPECT_THAT(iterated, ElementsAreArray(names_));
}

TEST_F(TrackingSearchExperiments, FilterOnTagsAndIlike) {
  SearchExperimentsOptions o;
  o.filter_string = "tags.prefix = '" + prefix_ + "' AND tags.group = 'odd'";
  o.order_by = {"name ASC"};
  EXPECT_THAT(names_of(client_.search_experiments(o).items),
              ElementsAreArray({names_[1], names_[3]}));

  const std::string upper = to_upper(prefix_);
  SearchExperimentsOptions ilike;
  ilike.filter_string = "name ILIKE '" + upper + "-A%'";
  ilike.order_by = {"name ASC"};
  EXPECT_THAT(names_of(client_.search_experiments(ilike).items), ElementsAreArray(names_));
  SearchExperimentsOptions like;  // LIKE is case-sensitive on the SQLite-backed server
  like.filter_string = "name LIKE '" + upper + "-A%'";
  EXPECT_TRUE(client_.search_experiments(like).empty());
}

TEST_F(TrackingSearchExperiments, ViewTypesAfterDelete) {
  client_.delete_experiment(ids_[2]);
  SearchExperimentsOptions o = with_prefix();
  o.order_by = {"name ASC"};
  o.view_type = ViewType::kActiveOnly;
  EXPECT_THAT(names_of(client_.search_experiments(o).items),
              ElementsAreArray({names_[0], names_[1], names_[3], names_[4]}));
  o.view_type = ViewType::kDeletedOnly;
  EXPECT_THAT(names_of(client_.search_experiments(o).items), ElementsAreArray({names_[2]}));
  o.view_type = ViewType::kAll;
  EXPECT_THAT(names_of(client_.search_experiments(o).items), ElementsAreArray(names_));
  client_.restore_experiment(ids_[2]);
  o.view_type = ViewType::kActiveOnly;
  EXPECT_THAT(names_of(client_.search_experiments(o).items), ElementsAreArray(names_));
}

}  // namespace
}  // namespace mlflow
