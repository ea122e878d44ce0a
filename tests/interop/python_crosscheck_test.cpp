// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Cross-check with Python: the C++ client writes runs to the real MLflow 3.18 server, Python's
// mlflow.MlflowClient reads them back (tests/interop/crosscheck_read_runs.py), and the data must
// be identical: params, tags, latest metrics (value, step, timestamp) and full histories.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlflow/mlflow_client.hpp"
#include "support/builders.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using nlohmann::json;
using testing::metric_point;
using testing::server_uri;
using testing::unique_name;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDblMax = std::numeric_limits<double>::max();

double decode_value(const json& v) {
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s == "NaN") return kNaN;
    if (s == "Infinity") return kInf;
    if (s == "-Infinity") return -kInf;
    ADD_FAILURE() << "unexpected value string " << s;
    return 0;
  }
  return v.get<double>();
}

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// What a SQL-backed server gives back for a logged value.
double as_stored(double v) {
  if (std::isinf(v)) return v > 0 ? kDblMax : -kDblMax;
  return v;
}

json read_with_python(const std::vector<std::string>& run_ids) {
  std::vector<std::string> args = {server_uri()};
  args.insert(args.end(), run_ids.begin(), run_ids.end());
  const std::string cmd = testing::python_peer_command("crosscheck_read_runs.py", args);
  const auto result = mlflow::testing::run_command(cmd);
  EXPECT_EQ(result.exit_code, 0) << cmd << "\n" << result.output;
  return json::parse(result.output);
}

struct Logged {
  std::string run_id;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  std::map<std::string, std::vector<Metric>> histories;  // in logging (= server) order
};

TEST(PythonCrosscheck, PythonReadsWhatCppWrote) {
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("crosscheck"));
  std::vector<Logged> logged;

  for (int r = 0; r < 3; ++r) {
    mlflow::CreateRunOptions o;
    o.run_name = "cross-" + std::to_string(r);
    o.start_time = 1718000000000 + r;
    o.tags = {{"origin", "c++"}, {"unicode", "h\xC3\xA9llo \xE2\x9C\x93"}};
    Logged l;
    l.run_id = client.create_run(exp, o).info.run_id;

    // Single calls and a batch; params with awkward characters; histories with NaN and infs.
    client.log_param(l.run_id, "lr", "0.001");
    client.log_param(l.run_id, "odd key/with.dots:colon-dash", "it's \"quoted\" \\ back");
    client.set_tag(l.run_id, "multi", "line1\nline2\ttab");
    std::vector<Param> params;
    std::vector<RunTag> tags;
    for (int i = 0; i < 20; ++i) {
      params.push_back({"p" + std::to_string(i), std::to_string(i * r)});
      tags.push_back({"t" + std::to_string(i), "v" + std::to_string(i + r)});
    }
    std::vector<Metric> metrics;
    for (int s = 0; s < 200; ++s) {
      metrics.push_back(metric_point("loss", 1.0 / (s + 1) + r, 1718000001000 + s * 10, s));
      metrics.push_back(
          metric_point("acc", s % 50 == 7 ? kNaN : s * 0.001 + r * 0.1, 1718000001000 + s * 10, s));
    }
    metrics.push_back(metric_point("edge", kNaN, 1718000009000, 0));
    metrics.push_back(metric_point("edge", kInf, 1718000009001, 1));
    metrics.push_back(metric_point("edge", -kInf, 1718000009002, 2));
    metrics.push_back(metric_point("edge", 0.1 + 0.2, 1718000009003, std::int64_t{1} << 40));
    client.log_batch(l.run_id, metrics, params, tags);
    client.log_metric(l.run_id, "single", 42.5, [] {
      mlflow::LogMetricOptions m;
      m.timestamp = 1718000000123;
      m.step = -3;
      return m;
    }());
    if (r == 1) client.log_metric(l.run_id, "last_nan", kNaN, {});
    if (r == 2) {
      mlflow::SetTerminatedOptions t;
      t.status = mlflow::RunStatus::kFailed;
      t.end_time = 1718000100000;
      client.set_terminated(l.run_id, t);
    }

    l.params = {{"lr", "0.001"}, {"odd key/with.dots:colon-dash", "it's \"quoted\" \\ back"}};
    for (const auto& p : params) l.params[p.key] = p.value;
    for (const auto& t : tags) l.tags[t.key] = t.value;
    l.tags["multi"] = "line1\nline2\ttab";
    l.tags["origin"] = "c++";
    l.tags["unicode"] = "h\xC3\xA9llo \xE2\x9C\x93";
    for (const auto& m : metrics) l.histories[m.key].push_back(m);
    logged.push_back(l);
  }

  std::vector<std::string> ids;
  for (const auto& l : logged) ids.push_back(l.run_id);
  const json py = read_with_python(ids);
  ASSERT_TRUE(py.contains("runs"));

  for (const Logged& l : logged) {
    SCOPED_TRACE(l.run_id);
    ASSERT_TRUE(py["runs"].contains(l.run_id));
    const json& pr = py["runs"][l.run_id];
    const mlflow::Run cpp = client.get_run(l.run_id);

    // Info: identical between Python and C++.
    EXPECT_EQ(pr["info"]["run_id"], cpp.info.run_id);
    EXPECT_EQ(pr["info"]["experiment_id"], cpp.info.experiment_id);
    EXPECT_EQ(pr["info"]["run_name"], cpp.info.run_name);
    EXPECT_EQ(pr["info"]["user_id"], cpp.info.user_id);
    EXPECT_EQ(pr["info"]["status"], mlflow::to_string(cpp.info.status));
    EXPECT_EQ(pr["info"]["start_time"].get<std::int64_t>(), cpp.info.start_time);
    if (cpp.info.end_time) {
      EXPECT_EQ(pr["info"]["end_time"].get<std::int64_t>(), *cpp.info.end_time);
    } else {
      EXPECT_TRUE(pr["info"]["end_time"].is_null());
    }
    EXPECT_EQ(pr["info"]["lifecycle_stage"], cpp.info.lifecycle_stage);
    EXPECT_EQ(pr["info"]["artifact_uri"], cpp.info.artifact_uri);

    // Params: exactly what C++ logged, and what C++ reads.
    const auto py_params = pr["params"].get<std::map<std::string, std::string>>();
    EXPECT_EQ(py_params, l.params);
    EXPECT_EQ(py_params, cpp.data.params);

    // Tags: Python sees C++'s tags (plus the server's mlflow.runName), same as C++ reads.
    const auto py_tags = pr["tags"].get<std::map<std::string, std::string>>();
    EXPECT_EQ(py_tags, cpp.data.tags);
    for (const auto& [k, v] : l.tags) {
      ASSERT_EQ(py_tags.count(k), 1u) << k;
      EXPECT_EQ(py_tags.at(k), v) << k;
    }
    EXPECT_EQ(py_tags.at("mlflow.runName"), cpp.info.run_name);

    // Latest metrics with value, step and timestamp.
    ASSERT_EQ(pr["latest_metrics"].size(), cpp.data.latest_metrics.size());
    for (const Metric& m : cpp.data.latest_metrics) {
      ASSERT_TRUE(pr["latest_metrics"].contains(m.key)) << m.key;
      const json& pm = pr["latest_metrics"][m.key];
      EXPECT_TRUE(same_value(decode_value(pm["value"]), m.value)) << m.key;
      EXPECT_EQ(pm["step"].get<std::int64_t>(), m.step) << m.key;
      EXPECT_EQ(pm["timestamp"].get<std::int64_t>(), m.timestamp) << m.key;
      EXPECT_TRUE(same_value(cpp.data.metrics.at(m.key), m.value)) << m.key;
    }
    // The latest "edge" point is the one with the largest step: 0.1 + 0.2 at step 2^40.
    EXPECT_EQ(decode_value(pr["latest_metrics"]["edge"]["value"]), 0.1 + 0.2);
    EXPECT_EQ(pr["latest_metrics"]["edge"]["step"].get<std::int64_t>(), std::int64_t{1} << 40);

    // Full histories: Python's reading equals what C++ logged (as the SQL store keeps it) and
    // equals C++'s own get_metric_history.
    for (const auto& [key, points] : l.histories) {
      SCOPED_TRACE(key);
      ASSERT_TRUE(pr["histories"].contains(key));
      const json& ph = pr["histories"][key];
      const auto cpp_history = client.get_metric_history(l.run_id, key);
      ASSERT_EQ(ph.size(), points.size());
      ASSERT_EQ(cpp_history.size(), points.size());
      for (std::size_t i = 0; i < points.size(); ++i) {
        const double py_value = decode_value(ph[i]["value"]);
        EXPECT_TRUE(same_value(py_value, as_stored(points[i].value))) << i << ": " << py_value;
        EXPECT_TRUE(same_value(py_value, cpp_history[i].value)) << i;
        EXPECT_EQ(ph[i]["step"].get<std::int64_t>(), points[i].step) << i;
        EXPECT_EQ(ph[i]["timestamp"].get<std::int64_t>(), points[i].timestamp) << i;
        EXPECT_EQ(cpp_history[i].step, points[i].step) << i;
        EXPECT_EQ(cpp_history[i].timestamp, points[i].timestamp) << i;
      }
    }
    ASSERT_TRUE(pr["histories"].contains("single"));
    ASSERT_EQ(pr["histories"]["single"].size(), 1u);
    EXPECT_EQ(decode_value(pr["histories"]["single"][0]["value"]), 42.5);
    EXPECT_EQ(pr["histories"]["single"][0]["step"].get<std::int64_t>(), -3);
    EXPECT_EQ(pr["histories"]["single"][0]["timestamp"].get<std::int64_t>(), 1718000000123);
  }

  // Run 1 ended with a NaN as its only "last_nan" point: Python sees NaN too.
  const json& r1 = py["runs"][logged[1].run_id];
  EXPECT_EQ(r1["latest_metrics"]["last_nan"]["value"], "NaN");
  EXPECT_EQ(py["runs"][logged[2].run_id]["info"]["status"], "FAILED");
  EXPECT_EQ(py["runs"][logged[2].run_id]["info"]["end_time"].get<std::int64_t>(), 1718000100000);
}

TEST(PythonCrosscheck, PythonSeesDatasetInputs) {
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("crosscheck-inputs"));
  const std::string run = client.create_run(exp).info.run_id;
  DatasetInput in = testing::dataset_input("train", "0123abcd", "local",
                                           R"({"uri": "/data/train.parquet"})", "training");
  in.dataset.schema = R"({"mlflow_colspec": [{"type": "long", "name": "id"}]})";
  in.dataset.profile = R"({"num_rows": 7})";
  client.log_inputs(run, {in});

  const json py = read_with_python({run});
  const json& ds = py["runs"][run]["datasets"];
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0]["name"], "train");
  EXPECT_EQ(ds[0]["digest"], "0123abcd");
  EXPECT_EQ(ds[0]["source_type"], "local");
  EXPECT_EQ(ds[0]["source"], in.dataset.source);
  EXPECT_EQ(ds[0]["schema"], *in.dataset.schema);
  EXPECT_EQ(ds[0]["profile"], *in.dataset.profile);
  EXPECT_EQ(ds[0]["tags"]["mlflow.data.context"], "training");
}

}  // namespace
}  // namespace mlflow
