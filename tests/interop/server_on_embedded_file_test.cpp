// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// A file written by the embedded store, served by the real `mlflow server` 3.18: the server
// opens it (no schema upgrade prompt, no migration) and its REST API answers with the same
// experiments, runs, latest metrics, histories, params, tags, datasets and lifecycle states
// that the embedded store reads back.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "mlflow/mlflow.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

std::vector<Metric> sorted_latest(const Run& r) {
  auto v = r.data.latest_metrics;
  std::sort(v.begin(), v.end(), [](const Metric& a, const Metric& b) { return a.key < b.key; });
  return v;
}

void expect_same_run(const Run& a, const Run& b) {
  EXPECT_EQ(a.info.run_id, b.info.run_id);
  EXPECT_EQ(a.info.experiment_id, b.info.experiment_id);
  EXPECT_EQ(a.info.run_name, b.info.run_name);
  EXPECT_EQ(a.info.user_id, b.info.user_id);
  EXPECT_EQ(a.info.status, b.info.status);
  EXPECT_EQ(a.info.start_time, b.info.start_time);
  EXPECT_EQ(a.info.end_time, b.info.end_time);
  EXPECT_EQ(a.info.artifact_uri, b.info.artifact_uri);
  EXPECT_EQ(a.info.lifecycle_stage, b.info.lifecycle_stage);
  EXPECT_EQ(a.data.params, b.data.params);
  EXPECT_EQ(a.data.tags, b.data.tags);
  EXPECT_EQ(sorted_latest(a), sorted_latest(b));
  EXPECT_EQ(a.inputs.dataset_inputs, b.inputs.dataset_inputs);
}

TEST(ServerOnEmbeddedFile, RealServerServesWhatCppWrote) {
  const std::string dir = testing::make_temp_dir("mlflow-embedded-served");
  const std::string file_uri = "sqlite:///" + dir + "/mlflow.db";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  MlflowClient embedded(file_uri);
  CreateExperimentOptions eo;
  eo.tags = {{"team", "robotics"}};
  const std::string exp = embedded.create_experiment("served-by-mlflow", eo);
  CreateRunOptions ro;
  ro.run_name = "trained";
  ro.tags = {{"mlflow.user", "cpp"}, {"stage", "train"}};
  ro.start_time = 1718000000000;
  const std::string run = embedded.create_run(exp, ro).info.run_id;
  std::vector<Metric> history;
  for (int i = 0; i < 10000; ++i) history.push_back({"loss", 1.0 / (i + 1), 1718000000000 + i, i});
  history.push_back({"odd", nan, 1718000000000, 0});
  history.push_back({"up", inf, 1718000000000, 0});
  history.push_back({"down", -inf, 1718000000000, 0});
  embedded.log_batch(run, history, {{"lr", "0.01"}, {"layers", "3"}}, {{"device", "cpu"}});
  embedded.log_inputs(
      run, {DatasetInput{Dataset{"sim", "d1", "local", R"({"uri": "/data"})", R"({"cols": 3})", {}},
                         {{"mlflow.data.context", "training"}}}});
  SetTerminatedOptions done;
  done.end_time = 1718000100000;
  embedded.set_terminated(run, done);
  const std::string gone = embedded.create_run(exp).info.run_id;
  embedded.delete_run(gone);

  testing::ScopedServer server("", file_uri);
  ASSERT_TRUE(server.started()) << server.output() << "\n" << server.log();
  EXPECT_EQ(server.log().find("out-of-date database schema"), std::string::npos) << server.log();
  MlflowClient rest(server.uri());

  const Experiment e1 = embedded.get_experiment(exp);
  const Experiment e2 = rest.get_experiment(exp);
  EXPECT_EQ(e2.name, e1.name);
  EXPECT_EQ(e2.artifact_location, e1.artifact_location);
  EXPECT_EQ(e2.tags, e1.tags);
  EXPECT_EQ(e2.creation_time, e1.creation_time);
  ASSERT_TRUE(rest.get_experiment_by_name("Default").has_value());

  expect_same_run(embedded.get_run(run), rest.get_run(run));
  expect_same_run(embedded.get_run(gone), rest.get_run(gone));
  EXPECT_EQ(rest.get_run(gone).info.lifecycle_stage, "deleted");
  EXPECT_EQ(rest.get_metric_history(run, "loss"), embedded.get_metric_history(run, "loss"));
  EXPECT_EQ(rest.get_metric_history(run, "loss").size(), 10000u);
  EXPECT_TRUE(std::isnan(rest.get_run(run).data.metrics.at("odd")));

  SearchRunsOptions all;
  all.run_view_type = ViewType::kAll;
  all.filter_string = "params.lr = '0.01' OR";  // malformed on purpose: same error class
  EXPECT_THROW(rest.search_runs({exp}, all), InvalidArgument);
  EXPECT_THROW(embedded.search_runs({exp}, all), InvalidArgument);
  all.filter_string = "";
  std::vector<std::string> a, b;
  for (const auto& r : rest.search_runs({exp}, all)) a.push_back(r.info.run_id);
  for (const auto& r : embedded.search_runs({exp}, all)) b.push_back(r.info.run_id);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 2u);

  // And the server can write to it: C++ then reads the server's write from the file.
  rest.set_tag(run, "reviewed", "by-server");
  EXPECT_EQ(embedded.get_run(run).data.tags.at("reviewed"), "by-server");
}

}  // namespace
}  // namespace mlflow
