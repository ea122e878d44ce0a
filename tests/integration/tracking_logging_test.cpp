// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Logging calls of MlflowClient (metrics, params, tags, batches, inputs, histories) against the
// real MLflow 3.18 server.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/builders.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAreArray;
using testing::metric_point;
using testing::server_uri;
using testing::unique_name;

constexpr double kDblMax = std::numeric_limits<double>::max();

MlflowClient server_client() { return MlflowClient(server_uri()); }

struct Fixture {
  MlflowClient client = server_client();
  std::string experiment_id;
  std::string run_id;
  explicit Fixture(const std::string& prefix) {
    experiment_id = client.create_experiment(unique_name(prefix));
    run_id = client.create_run(experiment_id).info.run_id;
  }
};

LogMetricOptions at(std::int64_t timestamp, std::int64_t step) {
  LogMetricOptions o;
  o.timestamp = timestamp;
  o.step = step;
  return o;
}

// Points as (value, timestamp, step) triples, for readable comparisons.
struct P {
  double value;
  std::int64_t timestamp;
  std::int64_t step;
  bool operator==(const P& o) const {
    const bool same_value = (std::isnan(value) && std::isnan(o.value)) || value == o.value;
    return same_value && timestamp == o.timestamp && step == o.step;
  }
};
void PrintTo(const P& p, std::ostream* os) {
  *os << "{value=" << p.value << ", ts=" << p.timestamp << ", step=" << p.step << "}";
}
std::vector<P> points(const std::vector<Metric>& metrics) {
  std::vector<P> out;
  for (const auto& m : metrics) out.push_back({m.value, m.timestamp, m.step});
  return out;
}

// Logs each point with its own log_metric call, in order.
void log_points(Fixture& f, const std::string& key, const std::vector<P>& logged) {
  for (const P& p : logged) f.client.log_metric(f.run_id, key, p.value, at(p.timestamp, p.step));
}

const Metric& latest(const mlflow::Run& run, const std::string& key) {
  for (const auto& m : run.data.latest_metrics) {
    if (m.key == key) return m;
  }
  throw std::runtime_error("no latest metric " + key);
}

TEST(TrackingLogging, LogMetricTimestampStepAndHistory) {
  Fixture f("log-metric");
  log_points(f, "loss",
             {{0.9, 1718000000000, 0}, {0.5, 1718000001000, 1}, {0.25, 1718000002000, 2}});
  log_points(f, "acc", {{0.75, 1718000002000, 2}});

  const mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.metrics.size(), 2u);
  EXPECT_EQ(run.data.metrics.at("loss"), 0.25);
  EXPECT_EQ(run.data.metrics.at("acc"), 0.75);
  const Metric& l = latest(run, "loss");
  EXPECT_EQ(l.timestamp, 1718000002000);
  EXPECT_EQ(l.step, 2);

  EXPECT_THAT(points(f.client.get_metric_history(f.run_id, "loss")),
              ElementsAreArray(std::vector<P>{
                  {0.9, 1718000000000, 0}, {0.5, 1718000001000, 1}, {0.25, 1718000002000, 2}}));
  for (const Metric& m : f.client.get_metric_history(f.run_id, "loss")) EXPECT_EQ(m.key, "loss");
  EXPECT_TRUE(f.client.get_metric_history(f.run_id, "never-logged").empty());
}

TEST(TrackingLogging, LogMetricDefaultsTimestampToNowAndStepToZero) {
  Fixture f("log-metric-default");
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  f.client.log_metric(f.run_id, "m", 3.5);
  const auto history = f.client.get_metric_history(f.run_id, "m");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].value, 3.5);
  EXPECT_EQ(history[0].step, 0);
  EXPECT_GE(history[0].timestamp, before - 1000);
  EXPECT_LE(history[0].timestamp, before + 60000);
}

TEST(TrackingLogging, HistoryOrderedByTimestampStepValue) {
  Fixture f("log-order");
  // The last point is an exact duplicate of the one before: ignored.
  log_points(f, "m", {{3.0, 300, 1}, {2.0, 100, 5}, {1.0, 100, 2}, {0.5, 100, 2}, {0.5, 100, 2}});
  EXPECT_THAT(
      points(f.client.get_metric_history(f.run_id, "m")),
      ElementsAreArray(std::vector<P>{{0.5, 100, 2}, {1.0, 100, 2}, {2.0, 100, 5}, {3.0, 300, 1}}));
  // The latest value is the greatest (step, timestamp, value): step 5.
  const mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.metrics.at("m"), 2.0);
  EXPECT_EQ(latest(run, "m").step, 5);
}

TEST(TrackingLogging, NonFiniteMetricValues) {
  Fixture f("log-nonfinite");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  f.client.log_metric(f.run_id, "nan", nan, at(1000, 0));
  f.client.log_metric(f.run_id, "pinf", inf, at(1000, 0));
  f.client.log_metric(f.run_id, "ninf", -inf, at(1000, 0));
  f.client.log_batch(f.run_id,
                     {metric_point("mixed", nan, 2000, 1), metric_point("mixed", inf, 2001, 2),
                      metric_point("mixed", -inf, 2002, 3), metric_point("mixed", 1.5, 2003, 4)});

  // The SQL-backed server keeps NaN (is_nan column) and stores +-Inf as +-DBL_MAX.
  auto nan_history = f.client.get_metric_history(f.run_id, "nan");
  ASSERT_EQ(nan_history.size(), 1u);
  EXPECT_TRUE(std::isnan(nan_history[0].value));
  auto pinf = f.client.get_metric_history(f.run_id, "pinf");
  ASSERT_EQ(pinf.size(), 1u);
  EXPECT_EQ(pinf[0].value, kDblMax);
  auto ninf = f.client.get_metric_history(f.run_id, "ninf");
  ASSERT_EQ(ninf.size(), 1u);
  EXPECT_EQ(ninf[0].value, -kDblMax);
  EXPECT_THAT(points(f.client.get_metric_history(f.run_id, "mixed")),
              ElementsAreArray(std::vector<P>{
                  {nan, 2000, 1}, {kDblMax, 2001, 2}, {-kDblMax, 2002, 3}, {1.5, 2003, 4}}));

  const mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_TRUE(std::isnan(run.data.metrics.at("nan")));
  EXPECT_TRUE(std::isnan(latest(run, "nan").value));
  EXPECT_EQ(run.data.metrics.at("pinf"), kDblMax);
  EXPECT_EQ(run.data.metrics.at("ninf"), -kDblMax);
  EXPECT_EQ(run.data.metrics.at("mixed"), 1.5);
}

TEST(TrackingLogging, Int64AndDoubleExactness) {
  Fixture f("log-int64");
  const std::int64_t two40 = std::int64_t{1} << 40;
  const std::int64_t two53p1 = (std::int64_t{1} << 53) + 1;  // not representable as a double
  const std::vector<P> expected = {
      {0.1 + 0.2, 1718000000123, 0},
      {1e-300, 1718000000124, -5},
      {123456789.123456789, 1718000000125, two40},
      {-2.5e+300, 1718000000126, two40 + 1},
      {4.9406564584124654e-324, 1718000000127, two53p1},
      {1.0 / 3.0, two53p1, two53p1 + 2},
  };
  for (const P& p : expected) f.client.log_metric(f.run_id, "m", p.value, at(p.timestamp, p.step));
  EXPECT_THAT(points(f.client.get_metric_history(f.run_id, "m")), ElementsAreArray(expected));

  // Same through log_batch.
  std::vector<Metric> batch;
  for (const P& p : expected) batch.push_back(metric_point("b", p.value, p.timestamp, p.step));
  f.client.log_batch(f.run_id, batch);
  EXPECT_THAT(points(f.client.get_metric_history(f.run_id, "b")), ElementsAreArray(expected));

  // Run start and end times.
  mlflow::CreateRunOptions c;
  c.start_time = 1718000000123;
  const std::string run2 = f.client.create_run(f.experiment_id, c).info.run_id;
  mlflow::SetTerminatedOptions t;
  t.end_time = two53p1;
  f.client.set_terminated(run2, t);
  const mlflow::Run got = f.client.get_run(run2);
  EXPECT_EQ(got.info.start_time, 1718000000123);
  ASSERT_TRUE(got.info.end_time.has_value());
  EXPECT_EQ(*got.info.end_time, two53p1);
}

TEST(TrackingLogging, LogMetricWithDatasetAndModelId) {
  Fixture f("log-model-id");
  // Logged models have no C++ API yet: create one with the Python client.
  const auto created = testing::run_command(
      testing::python_peer_command("logged_model_metrics.py",
                                   {"create", server_uri(), f.experiment_id, f.run_id}) +
      " 2>/dev/null");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  std::string model_id = created.output;
  while (!model_id.empty() && (model_id.back() == '\n' || model_id.back() == '\r')) {
    model_id.pop_back();
  }
  ASSERT_EQ(model_id.rfind("m-", 0), 0u) << model_id;

  LogMetricOptions o = at(1718000000500, 7);
  o.model_id = model_id;
  o.dataset_name = "train-set";
  o.dataset_digest = "d1g35t";
  f.client.log_metric(f.run_id, "rmse", 0.125, o);
  LogMetricOptions plain = at(1718000000600, 8);
  plain.dataset_name = "eval-set";
  plain.dataset_digest = "e1g35t";
  f.client.log_metric(f.run_id, "rmse", 0.25, plain);

  EXPECT_THAT(
      points(f.client.get_metric_history(f.run_id, "rmse")),
      ElementsAreArray(std::vector<P>{{0.125, 1718000000500, 7}, {0.25, 1718000000600, 8}}));

  // The model_id point is also a metric of the logged model, with its dataset fields.
  const auto read = testing::run_command(
      testing::python_peer_command("logged_model_metrics.py", {"read", server_uri(), model_id}) +
      " 2>/dev/null");
  ASSERT_EQ(read.exit_code, 0) << read.output;
  const auto metrics = nlohmann::json::parse(read.output);
  ASSERT_EQ(metrics.size(), 1u) << read.output;
  EXPECT_EQ(metrics[0]["key"], "rmse");
  EXPECT_EQ(metrics[0]["value"].get<double>(), 0.125);
  EXPECT_EQ(metrics[0]["timestamp"].get<std::int64_t>(), 1718000000500);
  EXPECT_EQ(metrics[0]["step"].get<std::int64_t>(), 7);
  EXPECT_EQ(metrics[0]["dataset_name"], "train-set");
  EXPECT_EQ(metrics[0]["dataset_digest"], "d1g35t");
  EXPECT_EQ(metrics[0]["run_id"], f.run_id);
}

TEST(TrackingLogging, LogParamImmutability) {
  Fixture f("log-param");
  f.client.log_param(f.run_id, "lr", "0.01");
  f.client.log_param(f.run_id, "lr", "0.01");  // same value: no-op
  f.client.log_param(f.run_id, "layers", "3");
  try {
    f.client.log_param(f.run_id, "lr", "0.02");
    FAIL() << "changing a param succeeded";
  } catch (const mlflow::InvalidArgument& e) {
    EXPECT_EQ(e.error_code(), mlflow::ErrorCode::kInvalidParameterValue);
    EXPECT_EQ(e.server_error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("lr"));
  }
  const mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.params, (std::map<std::string, std::string>{{"lr", "0.01"}, {"layers", "3"}}));
}

TEST(TrackingLogging, SetTagOverwriteAndDeleteTag) {
  Fixture f("log-tag");
  f.client.set_tag(f.run_id, "stage", "dev");
  f.client.set_tag(f.run_id, "owner", "me");
  f.client.set_tag(f.run_id, "stage", "prod");  // upsert
  mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.tags.at("stage"), "prod");
  EXPECT_EQ(run.data.tags.at("owner"), "me");

  f.client.delete_tag(f.run_id, "stage");
  run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.tags.count("stage"), 0u);
  EXPECT_EQ(run.data.tags.at("owner"), "me");
  try {
    f.client.delete_tag(f.run_id, "stage");
    FAIL() << "deleting a missing tag succeeded";
  } catch (const mlflow::NotFound& e) {
    EXPECT_EQ(e.server_error_code(), "RESOURCE_DOES_NOT_EXIST");
    EXPECT_EQ(e.http_status(), 404);
  }

  // Setting mlflow.runName renames the run.
  f.client.set_tag(f.run_id, "mlflow.runName", "renamed-by-tag");
  EXPECT_EQ(f.client.get_run(f.run_id).info.run_name, "renamed-by-tag");
}

TEST(TrackingLogging, LogBatchSmall) {
  Fixture f("log-batch");
  f.client.log_batch(
      f.run_id,
      {metric_point("a", 1.0, 10, 0), metric_point("a", 2.0, 11, 1), metric_point("b", 5.0, 10, 0)},
      {Param{"p1", "v1"}, Param{"p2", ""}}, {RunTag{"t1", "x"}, RunTag{"t2", "y"}});
  const mlflow::Run run = f.client.get_run(f.run_id);
  EXPECT_EQ(run.data.metrics.at("a"), 2.0);
  EXPECT_EQ(run.data.metrics.at("b"), 5.0);
  EXPECT_EQ(run.data.params, (std::map<std::string, std::string>{{"p1", "v1"}, {"p2", ""}}));
  EXPECT_EQ(run.data.tags.at("t1"), "x");
  EXPECT_EQ(run.data.tags.at("t2"), "y");
  EXPECT_THAT(points(f.client.get_metric_history(f.run_id, "a")),
              ElementsAreArray(std::vector<P>{{1.0, 10, 0}, {2.0, 11, 1}}));
  f.client.log_batch(f.run_id);  // empty batch: nothing to do, no error
}

TEST(TrackingLogging, LogInputsVisibleInGetRun) {
  Fixture f("log-inputs");
  DatasetInput train = testing::dataset_input("train", "abc123", "local",
                                              R"({"uri": "/data/train.csv"})", "training");
  train.dataset.schema = R"({"mlflow_colspec": [{"type": "double", "name": "x"}]})";
  train.dataset.profile = R"({"num_rows": 100})";
  const DatasetInput eval = testing::dataset_input(
      "eval", "def456", "http", R"({"url": "https://example.com/eval.csv"})", "eval");
  f.client.log_inputs(f.run_id, {train, eval});
  f.client.log_inputs(f.run_id, {train});  // same dataset again: de-duplicated

  const mlflow::Run run = f.client.get_run(f.run_id);
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 2u);
  std::map<std::string, DatasetInput> by_name;
  for (const auto& d : run.inputs.dataset_inputs) by_name[d.dataset.name] = d;
  ASSERT_EQ(by_name.count("train"), 1u);
  ASSERT_EQ(by_name.count("eval"), 1u);
  EXPECT_TRUE(by_name["train"] == train);
  EXPECT_EQ(by_name["train"].dataset.digest, "abc123");
  EXPECT_EQ(by_name["train"].dataset.source_type, "local");
  EXPECT_EQ(by_name["train"].dataset.source, train.dataset.source);
  EXPECT_EQ(by_name["train"].dataset.schema, train.dataset.schema);
  EXPECT_EQ(by_name["train"].dataset.profile, train.dataset.profile);
  ASSERT_EQ(by_name["train"].tags.size(), 1u);
  EXPECT_EQ(by_name["train"].tags[0].key, "mlflow.data.context");
  EXPECT_EQ(by_name["train"].tags[0].value, "training");
  EXPECT_TRUE(by_name["eval"] == eval);
  EXPECT_FALSE(by_name["eval"].dataset.schema.has_value());
  EXPECT_FALSE(by_name["eval"].dataset.profile.has_value());
  EXPECT_EQ(by_name["eval"].tags[0].value, "eval");

  // Dataset filters of search_runs see them too.
  mlflow::SearchRunsOptions o;
  o.filter_string = "datasets.context = 'training'";
  const auto found = f.client.search_runs({f.experiment_id}, o);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info.run_id, f.run_id);
  EXPECT_EQ(found[0].inputs.dataset_inputs.size(), 2u);
}

TEST(TrackingLogging, MetricHistoryBulkInterval) {
  Fixture f("log-bulk");
  const std::string run2 = f.client.create_run(f.experiment_id).info.run_id;
  for (const std::string& id : {f.run_id, run2}) {
    std::vector<Metric> batch;
    for (int s = 0; s < 10; ++s) {
      batch.push_back(metric_point("m", s * (id == f.run_id ? 1.0 : 10.0), 1000 + s, s));
    }
    f.client.log_batch(id, batch);
  }

  const auto all = f.client.get_metric_history_bulk_interval({f.run_id, run2}, "m");
  ASSERT_EQ(all.size(), 20u);
  std::map<std::string, std::vector<P>> by_run;
  for (const auto& m : all) {
    ASSERT_TRUE(m.run_id.has_value());
    EXPECT_EQ(m.key, "m");
    by_run[*m.run_id].push_back({m.value, m.timestamp, m.step});
  }
  ASSERT_EQ(by_run.size(), 2u);
  for (auto& [id, pts] : by_run) {
    std::sort(pts.begin(), pts.end(), [](const P& a, const P& b) { return a.step < b.step; });
    ASSERT_EQ(pts.size(), 10u);
    for (int s = 0; s < 10; ++s) {
      EXPECT_EQ(pts[s], (P{s * (id == f.run_id ? 1.0 : 10.0), 1000 + s, s}));
    }
  }

  MetricHistoryBulkIntervalOptions window;
  window.start_step = 2;
  window.end_step = 5;
  std::vector<std::int64_t> steps;
  for (const auto& m : f.client.get_metric_history_bulk_interval({f.run_id}, "m", window)) {
    EXPECT_EQ(m.run_id.value_or(""), f.run_id);
    steps.push_back(m.step);
  }
  std::sort(steps.begin(), steps.end());
  EXPECT_EQ(steps, (std::vector<std::int64_t>{2, 3, 4, 5}));

  // Down-sampling by the server: 4 evenly spaced steps of 0..9, min and max included.
  MetricHistoryBulkIntervalOptions sampled;
  sampled.max_results = 4;
  steps.clear();
  for (const auto& m : f.client.get_metric_history_bulk_interval({run2}, "m", sampled)) {
    EXPECT_EQ(m.run_id.value_or(""), run2);
    EXPECT_EQ(m.value, m.step * 10.0);
    steps.push_back(m.step);
  }
  std::sort(steps.begin(), steps.end());
  EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 3, 6, 9}));
}

}  // namespace
}  // namespace mlflow
