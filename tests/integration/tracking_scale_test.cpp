// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Volume scenarios against the real MLflow 3.18 server: paging through 2,500 runs, a
// 25,000-point metric history, and one log_batch call far over the per-request limits.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/builders.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using testing::metric_point;
using testing::server_uri;
using testing::unique_name;

TEST(TrackingScale, PagingThrough2500Runs) {
  constexpr int kRuns = 2500;
  constexpr std::int64_t kBase = 1718000000000;
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("scale-runs"));

  // start_time = base + i/2: every start time is shared by two runs, so the run_id tie-breaker
  // of MLflow's default order is exercised as well. Created by 4 threads sharing one client.
  std::vector<std::pair<std::int64_t, std::string>> created(kRuns);
  std::atomic<int> next{0};
  std::mutex failure_mutex;
  std::string failure;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (int i = next++; i < kRuns; i = next++) {
        try {
          CreateRunOptions o;
          o.start_time = kBase + i / 2;
          o.run_name = "r" + std::to_string(i);
          created[i] = {*o.start_time, client.create_run(exp, o).info.run_id};
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          failure = e.what();
          return;
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  ASSERT_TRUE(failure.empty()) << failure;

  // MLflow's order: start_time DESC, then run_id ASC.
  std::vector<std::pair<std::int64_t, std::string>> expected = created;
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> expected_ids;
  for (const auto& e : expected) expected_ids.push_back(e.second);

  SearchRunsOptions o;
  o.max_results = 1000;
  std::vector<std::string> paged;
  std::vector<std::size_t> page_sizes;
  std::set<std::string> tokens;
  for (int page = 0; page < 10; ++page) {
    const auto result = client.search_runs({exp}, o);
    page_sizes.push_back(result.size());
    for (const mlflow::Run& r : result) {
      paged.push_back(r.info.run_id);
      EXPECT_EQ(r.info.experiment_id, exp);
    }
    if (!result.has_next_page()) break;
    EXPECT_TRUE(tokens.insert(result.token).second) << "token repeated: " << result.token;
    o.page_token = result.token;
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{1000, 1000, 500}));
  EXPECT_EQ(tokens.size(), 2u);
  ASSERT_EQ(paged.size(), expected_ids.size());
  EXPECT_TRUE(paged == expected_ids) << "search_runs pages are not in MLflow's default order";
  for (std::size_t i = 0; i < paged.size() && i < expected_ids.size(); ++i) {
    if (paged[i] != expected_ids[i]) {
      ADD_FAILURE() << "first difference at position " << i << ": " << paged[i] << " vs "
                    << expected_ids[i];
      break;
    }
  }

  // search_runs_all: every run exactly once, same order.
  SearchRunsOptions all_opts;
  all_opts.max_results = 1000;
  std::vector<std::string> all;
  std::map<std::string, int> seen;
  for (const mlflow::Run& r : client.search_runs_all({exp}, all_opts)) {
    all.push_back(r.info.run_id);
    ++seen[r.info.run_id];
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kRuns));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kRuns));
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  EXPECT_TRUE(all == expected_ids) << "search_runs_all is not in MLflow's default order";

  // A filter over the big experiment, with a page size that does not divide the result.
  SearchRunsOptions filtered;
  filtered.filter_string = "attributes.start_time >= " + std::to_string(kBase + 1000);
  filtered.max_results = 333;
  const auto subset = client.search_runs_all({exp}, filtered).to_vector();
  ASSERT_EQ(subset.size(), 500u);  // i in 2000..2499
  for (std::size_t i = 0; i < subset.size(); ++i) {
    EXPECT_EQ(subset[i].info.run_id, expected_ids[i]);
  }
}

TEST(TrackingScale, MetricHistoryOf25000PointsIsIntact) {
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("scale-history"));
  const std::string run = client.create_run(exp).info.run_id;

  // 25,000 points (one server page of the Python-sized 25,000) and 25,001 (crosses a page).
  for (const int n : {25000, 25001}) {
    const std::string key = "loss_" + std::to_string(n);
    std::vector<Metric> points;
    points.reserve(n);
    for (int i = 0; i < n; ++i) {
      // Irregular doubles, timestamps with gaps, steps with large and negative values.
      const double value = 1.0 / (i + 3) + i * 1e-7 - (i % 7 == 0 ? 1e5 : 0.0);
      const std::int64_t ts = 1718000000000 + std::int64_t{i} * 13;
      const std::int64_t step = (i % 1000 == 999) ? (std::int64_t{1} << 40) + i : i - 5;
      points.push_back(metric_point(key, value, ts, step));
    }
    client.log_batch(run, points);

    const std::vector<Metric> history = client.get_metric_history(run, key);
    ASSERT_EQ(history.size(), points.size()) << key;
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const Metric& got = history[i];
      const Metric& want = points[i];
      if (got.key != key || got.value != want.value || got.timestamp != want.timestamp ||
          got.step != want.step) {
        if (++mismatches <= 5) {
          ADD_FAILURE() << key << "[" << i << "]: got (" << got.value << ", " << got.timestamp
                        << ", " << got.step << ") want (" << want.value << ", " << want.timestamp
                        << ", " << want.step << ")";
        }
      }
    }
    EXPECT_EQ(mismatches, 0u) << key;
  }
}

TEST(TrackingScale, LogBatchOf5000Metrics250Params250TagsInOneCall) {
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("scale-batch"));
  const std::string run = client.create_run(exp).info.run_id;

  constexpr int kKeys = 100;
  constexpr int kSteps = 50;  // 100 keys x 50 steps = 5,000 metrics
  std::vector<Metric> metrics;
  for (int s = 0; s < kSteps; ++s) {
    for (int k = 0; k < kKeys; ++k) {
      metrics.push_back(
          metric_point("metric_" + std::to_string(k), k * 1000.0 + s * 0.5, 1718000000000 + s, s));
    }
  }
  std::vector<Param> params;
  std::vector<RunTag> tags;
  for (int i = 0; i < 250; ++i) {
    params.push_back({"param_" + std::to_string(i), "value " + std::to_string(i * 7)});
    tags.push_back({"tag_" + std::to_string(i), "tag value " + std::to_string(i * 11)});
  }
  ASSERT_EQ(metrics.size(), 5000u);
  // One call; MLflow accepts at most 1000 items per request, so the client must split it.
  client.log_batch(run, metrics, params, tags);

  const mlflow::Run got = client.get_run(run);
  ASSERT_EQ(got.data.params.size(), 250u);
  for (const Param& p : params) EXPECT_EQ(got.data.params.at(p.key), p.value) << p.key;
  for (const RunTag& t : tags) {
    ASSERT_EQ(got.data.tags.count(t.key), 1u) << t.key;
    EXPECT_EQ(got.data.tags.at(t.key), t.value) << t.key;
  }
  ASSERT_EQ(got.data.metrics.size(), static_cast<std::size_t>(kKeys));
  for (int k = 0; k < kKeys; ++k) {
    const std::string key = "metric_" + std::to_string(k);
    EXPECT_EQ(got.data.metrics.at(key), k * 1000.0 + (kSteps - 1) * 0.5) << key;
    const auto history = client.get_metric_history(run, key);
    ASSERT_EQ(history.size(), static_cast<std::size_t>(kSteps)) << key;
    for (int s = 0; s < kSteps; ++s) {
      EXPECT_EQ(history[s].value, k * 1000.0 + s * 0.5) << key << " step " << s;
      EXPECT_EQ(history[s].step, s) << key;
      EXPECT_EQ(history[s].timestamp, 1718000000000 + s) << key;
    }
  }
}

}  // namespace
}  // namespace mlflow
