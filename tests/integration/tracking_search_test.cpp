// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// search_runs / search_runs_all against the real MLflow 3.18 server: filters on metrics,
// params, tags, attributes and datasets (comparators, LIKE, ILIKE, IN, IS NULL), order_by,
// view types and paging.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

constexpr std::int64_t kBase = 1718000000000;

// Four active runs and one deleted run in one experiment, one run in a second experiment:
//   name   acc   loss  model     team      stage  status    start
//   alpha  0.9   0.1   resnet50  vision    prod   FINISHED  +1
//   beta   0.7   0.3   ResNet18  Vision    -      RUNNING   +2
//   gamma  0.5   -     vgg16     nlp       -      FAILED    +3
//   delta  0.3   -     -         nlp-core  -      RUNNING   +4
//   eps    0.95  -     resnet50  vision    -      deleted   +5
//   other  0.8   -     resnet50  vision    -      (second experiment)  +6
class TrackingSearchRuns : public ::testing::Test {
 protected:
  struct Spec {
    std::string name;
    double acc;
    std::optional<double> loss;
    std::optional<std::string> model;
    std::string team;
    std::optional<std::string> stage;
    mlflow::RunStatus status;
    int start;
  };

  static void SetUpTestSuite() {
    client_ = std::make_unique<MlflowClient>(testing::server_uri());
    exp_ = client_->create_experiment(testing::unique_name("search-runs"));
    exp2_ = client_->create_experiment(testing::unique_name("search-runs-2"));
    const std::vector<Spec> specs = {
        {"alpha", 0.9, 0.1, "resnet50", "vision", "prod", mlflow::RunStatus::kFinished, 1},
        {"beta", 0.7, 0.3, "ResNet18", "Vision", std::nullopt, mlflow::RunStatus::kRunning, 2},
        {"gamma", 0.5, std::nullopt, "vgg16", "nlp", std::nullopt, mlflow::RunStatus::kFailed, 3},
        {"delta", 0.3, std::nullopt, std::nullopt, "nlp-core", std::nullopt,
         mlflow::RunStatus::kRunning, 4},
        {"eps", 0.95, std::nullopt, "resnet50", "vision", std::nullopt, mlflow::RunStatus::kRunning,
         5},
        {"other", 0.8, std::nullopt, "resnet50", "vision", std::nullopt,
         mlflow::RunStatus::kRunning, 6},
    };
    for (const Spec& s : specs) {
      CreateRunOptions o;
      o.run_name = s.name;
      o.start_time = kBase + s.start;
      o.tags["team"] = s.team;
      if (s.stage) o.tags["stage"] = *s.stage;
      const std::string id = client_->create_run(s.name == "other" ? exp2_ : exp_, o).info.run_id;
      ids_[s.name] = id;
      names_[id] = s.name;
      std::vector<mlflow::Metric> metrics;
      mlflow::Metric acc;
      acc.key = "acc";
      acc.value = s.acc;
      acc.timestamp = kBase;
      metrics.push_back(acc);
      if (s.loss) {
        mlflow::Metric loss = acc;
        loss.key = "loss";
        loss.value = *s.loss;
        metrics.push_back(loss);
      }
      std::vector<mlflow::Param> params;
      if (s.model) params.push_back({"model", *s.model});
      client_->log_batch(id, metrics, params);
      if (s.status != mlflow::RunStatus::kRunning) {
        mlflow::SetTerminatedOptions t;
        t.status = s.status;
        t.end_time = kBase + 100 + s.start;
        client_->set_terminated(id, t);
      }
    }
    client_->delete_run(ids_["eps"]);
  }

  static void TearDownTestSuite() { client_.reset(); }

  std::vector<std::string> names(const std::vector<mlflow::Run>& runs) const {
    std::vector<std::string> out;
    for (const auto& r : runs) {
      auto it = names_.find(r.info.run_id);
      out.push_back(it == names_.end() ? "?" + r.info.run_id : it->second);
    }
    return out;
  }

  std::vector<std::string> search(const std::string& filter,
                                  ViewType view = ViewType::kActiveOnly) const {
    SearchRunsOptions o;
    o.filter_string = filter;
    o.run_view_type = view;
    const auto page = client_->search_runs({exp_}, o);
    EXPECT_FALSE(page.has_next_page());
    return names(page.items);
  }

  std::vector<std::string> ordered(const std::vector<std::string>& order_by) const {
    SearchRunsOptions o;
    o.order_by = order_by;
    return names(client_->search_runs({exp_}, o).items);
  }

  static std::unique_ptr<MlflowClient> client_;
  static std::string exp_;
  static std::string exp2_;
  static std::map<std::string, std::string> ids_;    // name -> run id
  static std::map<std::string, std::string> names_;  // run id -> name
};

std::unique_ptr<MlflowClient> TrackingSearchRuns::client_;
std::string TrackingSearchRuns::exp_;
std::string TrackingSearchRuns::exp2_;
std::map<std::string, std::string> TrackingSearchRuns::ids_;
std::map<std::string, std::string> TrackingSearchRuns::names_;

using V = std::vector<std::string>;

TEST_F(TrackingSearchRuns, NoFilterDefaultOrderIsStartTimeDescending) {
  EXPECT_THAT(search(""), ElementsAreArray(V{"delta", "gamma", "beta", "alpha"}));
  const auto page = client_->search_runs({exp_});
  ASSERT_EQ(page.size(), 4u);
  // Search results carry data like get_run does.
  const mlflow::Run& alpha = page[3];
  EXPECT_EQ(alpha.info.run_name, "alpha");
  EXPECT_EQ(alpha.info.status, mlflow::RunStatus::kFinished);
  EXPECT_EQ(alpha.info.start_time, kBase + 1);
  EXPECT_EQ(alpha.info.end_time.value_or(0), kBase + 101);
  EXPECT_EQ(alpha.data.metrics.at("acc"), 0.9);
  EXPECT_EQ(alpha.data.metrics.at("loss"), 0.1);
  EXPECT_EQ(alpha.data.params.at("model"), "resnet50");
  EXPECT_EQ(alpha.data.tags.at("stage"), "prod");
  EXPECT_EQ(alpha.data.tags.at("mlflow.runName"), "alpha");
}

TEST_F(TrackingSearchRuns, MetricComparators) {
  EXPECT_THAT(search("metrics.acc > 0.6"), UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("metrics.acc >= 0.5"), UnorderedElementsAreArray(V{"alpha", "beta", "gamma"}));
  EXPECT_THAT(search("metrics.acc < 0.5"), UnorderedElementsAreArray(V{"delta"}));
  EXPECT_THAT(search("metrics.acc <= 0.5"), UnorderedElementsAreArray(V{"gamma", "delta"}));
  EXPECT_THAT(search("metrics.acc = 0.7"), UnorderedElementsAreArray(V{"beta"}));
  EXPECT_THAT(search("metrics.acc != 0.7"),
              UnorderedElementsAreArray(V{"alpha", "gamma", "delta"}));
  EXPECT_THAT(search("metrics.loss < 1"), UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("metric.acc > 0.6 AND metrics.loss > 0.2"),
              UnorderedElementsAreArray(V{"beta"}));
}

TEST_F(TrackingSearchRuns, ParamFilters) {
  EXPECT_THAT(search("params.model = 'vgg16'"), UnorderedElementsAreArray(V{"gamma"}));
  EXPECT_THAT(search("params.model != 'vgg16'"), UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("params.model LIKE 'res%'"), UnorderedElementsAreArray(V{"alpha"}));
  EXPECT_THAT(search("params.model LIKE 'Res%'"), UnorderedElementsAreArray(V{"beta"}));
  EXPECT_THAT(search("params.model ILIKE 'res%'"), UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("params.model LIKE '%1_'"), UnorderedElementsAreArray(V{"beta", "gamma"}));
  EXPECT_THAT(search("params.model IS NULL"), UnorderedElementsAreArray(V{"delta"}));
  EXPECT_THAT(search("params.model IS NOT NULL"),
              UnorderedElementsAreArray(V{"alpha", "beta", "gamma"}));
}

TEST_F(TrackingSearchRuns, TagFilters) {
  EXPECT_THAT(search("tags.team = 'nlp'"), UnorderedElementsAreArray(V{"gamma"}));
  EXPECT_THAT(search("tags.team LIKE 'nlp%'"), UnorderedElementsAreArray(V{"gamma", "delta"}));
  EXPECT_THAT(search("tags.team ILIKE 'VISION'"), UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("tags.team != 'vision'"),
              UnorderedElementsAreArray(V{"beta", "gamma", "delta"}));
  EXPECT_THAT(search("tags.stage IS NULL"), UnorderedElementsAreArray(V{"beta", "gamma", "delta"}));
  EXPECT_THAT(search("tags.stage IS NOT NULL"), UnorderedElementsAreArray(V{"alpha"}));
  EXPECT_THAT(search("tags.`mlflow.runName` = 'gamma'"), UnorderedElementsAreArray(V{"gamma"}));
}

TEST_F(TrackingSearchRuns, AttributeFilters) {
  EXPECT_THAT(search("attributes.run_name = 'alpha'"), UnorderedElementsAreArray(V{"alpha"}));
  EXPECT_THAT(search("attributes.run_name ILIKE 'AL%'"), UnorderedElementsAreArray(V{"alpha"}));
  EXPECT_THAT(search("run_name LIKE '%ta'"), UnorderedElementsAreArray(V{"beta", "delta"}));
  EXPECT_THAT(search("attributes.status = 'FINISHED'"), UnorderedElementsAreArray(V{"alpha"}));
  EXPECT_THAT(search("attributes.status != 'RUNNING'"),
              UnorderedElementsAreArray(V{"alpha", "gamma"}));
  EXPECT_THAT(search("attributes.start_time > " + std::to_string(kBase + 2)),
              UnorderedElementsAreArray(V{"gamma", "delta"}));
  EXPECT_THAT(search("attributes.start_time <= " + std::to_string(kBase + 2)),
              UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("attributes.end_time = " + std::to_string(kBase + 103)),
              UnorderedElementsAreArray(V{"gamma"}));
}

TEST_F(TrackingSearchRuns, RunIdIn) {
  EXPECT_THAT(search("attributes.run_id IN ('" + ids_["alpha"] + "', '" + ids_["gamma"] + "')"),
              UnorderedElementsAreArray(V{"alpha", "gamma"}));
  EXPECT_THAT(search("attributes.run_id NOT IN ('" + ids_["alpha"] + "')"),
              UnorderedElementsAreArray(V{"beta", "gamma", "delta"}));
  EXPECT_THAT(search("attributes.run_id = '" + ids_["beta"] + "'"),
              UnorderedElementsAreArray(V{"beta"}));
  // A run of another experiment is not found by id in this one.
  EXPECT_TRUE(search("attributes.run_id IN ('" + ids_["other"] + "')").empty());
}

TEST_F(TrackingSearchRuns, CombinedFilter) {
  EXPECT_THAT(
      search("metrics.acc > 0.4 AND params.model ILIKE 'res%' AND tags.team ILIKE 'vision'"),
      UnorderedElementsAreArray(V{"alpha", "beta"}));
  EXPECT_THAT(search("metrics.acc > 0.4 AND tags.stage IS NULL AND attributes.status = 'RUNNING'"),
              UnorderedElementsAreArray(V{"beta"}));
}

TEST_F(TrackingSearchRuns, ViewTypes) {
  EXPECT_THAT(search("metrics.acc > 0.6", ViewType::kAll),
              UnorderedElementsAreArray(V{"alpha", "beta", "eps"}));
  EXPECT_THAT(search("", ViewType::kDeletedOnly), ElementsAreArray(V{"eps"}));
  EXPECT_THAT(search("", ViewType::kAll),
              ElementsAreArray(V{"eps", "delta", "gamma", "beta", "alpha"}));
}

TEST_F(TrackingSearchRuns, OrderBy) {
  EXPECT_THAT(ordered({"metrics.acc DESC"}),
              ElementsAreArray(V{"alpha", "beta", "gamma", "delta"}));
  EXPECT_THAT(ordered({"metrics.acc ASC"}), ElementsAreArray(V{"delta", "gamma", "beta", "alpha"}));
  EXPECT_THAT(ordered({"metrics.acc"}), ElementsAreArray(V{"delta", "gamma", "beta", "alpha"}));
  // Runs without the metric come last, then by start_time DESC.
  EXPECT_THAT(ordered({"metrics.loss DESC"}),
              ElementsAreArray(V{"beta", "alpha", "delta", "gamma"}));
  EXPECT_THAT(ordered({"params.model ASC"}),
              ElementsAreArray(V{"beta", "alpha", "gamma", "delta"}));
  EXPECT_THAT(ordered({"params.model DESC"}),
              ElementsAreArray(V{"gamma", "alpha", "beta", "delta"}));
  EXPECT_THAT(ordered({"attributes.run_name ASC"}),
              ElementsAreArray(V{"alpha", "beta", "delta", "gamma"}));
  EXPECT_THAT(ordered({"tags.team DESC"}), ElementsAreArray(V{"alpha", "delta", "gamma", "beta"}));
  EXPECT_THAT(ordered({"attributes.start_time ASC"}),
              ElementsAreArray(V{"alpha", "beta", "gamma", "delta"}));
  EXPECT_THAT(ordered({"attributes.status ASC", "metrics.acc ASC"}),
              ElementsAreArray(V{"gamma", "alpha", "delta", "beta"}));
}

TEST_F(TrackingSearchRuns, SeveralExperiments) {
  SearchRunsOptions o;
  o.filter_string = "params.model = 'resnet50'";
  EXPECT_THAT(names(client_->search_runs({exp_, exp2_}, o).items),
              ElementsAreArray(V{"other", "alpha"}));
  EXPECT_TRUE(client_->search_runs({}, o).empty());
}

TEST_F(TrackingSearchRuns, PagingWithMetricOrder) {
  SearchRunsOptions o;
  o.order_by = {"metrics.acc DESC"};
  o.max_results = 3;
  const auto p1 = client_->search_runs({exp_}, o);
  EXPECT_THAT(names(p1.items), ElementsAreArray(V{"alpha", "beta", "gamma"}));
  ASSERT_TRUE(p1.has_next_page());
  o.page_token = p1.token;
  const auto p2 = client_->search_runs({exp_}, o);
  EXPECT_THAT(names(p2.items), ElementsAreArray(V{"delta"}));
  EXPECT_FALSE(p2.has_next_page());

  SearchRunsOptions all;
  all.order_by = {"metrics.acc DESC"};
  all.max_results = 1;
  EXPECT_THAT(names(client_->search_runs_all({exp_}, all).to_vector()),
              ElementsAreArray(V{"alpha", "beta", "gamma", "delta"}));
  all.filter_string = "metrics.acc > 0.4";
  std::vector<std::string> iterated;
  for (const mlflow::Run& r : client_->search_runs_all({exp_}, all))
    iterated.push_back(names_[r.info.run_id]);
  EXPECT_THAT(iterated, ElementsAreArray(V{"alpha", "beta", "gamma"}));
  all.filter_string = "metrics.acc > 5";
  EXPECT_TRUE(client_->search_runs_all({exp_}, all).to_vector().empty());
}

}  // namespace
}  // namespace mlflow
