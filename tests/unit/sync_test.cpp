// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// mlflow::sync between two embedded files: what is copied, that a second sync copies nothing,
// that a run still being logged is synced incrementally, dry runs and conflicts; and the
// pieces below it (metric deltas, the state file). Against the real server: tests/cli.

#include "mlflow/sync.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "support/files.hpp"
#include "support/sync_dump.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"
#include "sync/metric_delta.hpp"
#include "sync/sync_state.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using internal::sync::KeyMark;
using internal::sync::mark_of;
using internal::sync::points_after;
using internal::sync::points_missing;
using internal::sync::SyncState;

Metric point(std::int64_t ts, std::int64_t step, double v) { return Metric{"m", v, ts, step}; }

TEST(SyncMetricDelta, PointsAfterTheMarkWhileNothingAppearedBelowIt) {
  const std::vector<Metric> sent{point(10, 0, 1), point(20, 1, 2), point(20, 2, 3)};
  const KeyMark mark = mark_of(sent);
  EXPECT_EQ(mark.high_water, 20);
  EXPECT_EQ(mark.count, 3);
  auto grown = sent;
  grown.push_back(point(30, 3, 4));
  const auto after = points_after(grown, mark);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().step, 3);
  // A point logged late at the mark's own millisecond: the mark no longer describes the source.
  grown.push_back(point(20, 9, 5));
  EXPECT_FALSE(points_after(grown, mark));
}

TEST(SyncMetricDelta, MissingPointsFollowMlflowIdentityNanIncluded) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Metric> source{point(1, 0, 1), point(1, 0, 2), point(2, 1, nan),
                                   point(3, 1, nan)};
  const std::vector<Metric> destination{point(1, 0, 1), point(2, 1, nan)};
  const auto missing = points_missing(source, destination);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].value, 2);
  EXPECT_EQ(missing[1].timestamp, 3);
  EXPECT_TRUE(points_missing(destination, source).empty());
}

TEST(SyncStateFile, MarksSurviveAReloadAndBelongToOneDestinationRun) {
  const std::string dir = testing::make_temp_dir("sync-state");
  const std::string path = dir + "/sub/state.json";
  {
    SyncState state(path);
    EXPECT_EQ(state.find("src", "dst"), nullptr);
    state.set_mark("src", "dst", "loss", KeyMark{42, 7});
    state.save();
  }
  SyncState reloaded(path);
  const auto* marks = reloaded.find("src", "dst");
  ASSERT_NE(marks, nullptr);
  EXPECT_EQ(marks->metrics.at("loss").high_water, 42);
  EXPECT_EQ(marks->metrics.at("loss").count, 7);
  EXPECT_EQ(reloaded.find("src", "another-copy"), nullptr);
  testing::write_file(path, "{not json");
  EXPECT_THAT([&] { SyncState{path}; },
              testing::ThrowsMlflow(ErrorCode::kIoError, ::testing::HasSubstr("remove it")));
  fs::remove_all(dir);
}

TEST(SyncStateFile, DefaultPathIsPerUriPairUnderTheCache) {
  testing::ScopedEnv env({{"XDG_CACHE_HOME", std::string("/cache")}});
  const auto a = internal::sync::default_state_path("sqlite:///a.db", "http://h:5000");
  EXPECT_EQ(a.rfind("/cache/mlflow-cpp/sync/", 0), 0u) << a;
  EXPECT_NE(a, internal::sync::default_state_path("sqlite:///b.db", "http://h:5000"));
  EXPECT_EQ(a, internal::sync::default_state_path("sqlite:///a.db", "http://h:5000"));
}

// Two embedded files in a temporary directory; artifacts stay inside it.
class SyncEmbedded : public ::testing::Test {
 protected:
  std::string dir = testing::make_temp_dir("sync-embedded");
  MlflowClient source{"sqlite:///" + dir + "/source.db"};
  MlflowClient destination{"sqlite:///" + dir + "/destination.db"};
  std::string name = testing::unique_name("sync-exp");
  std::string experiment_id;
  SyncOptions options;

  void SetUp() override {
    CreateExperimentOptions create;
    create.artifact_location = dir + "/source-artifacts";
    create.tags = {{"team", "hpc"}};
    experiment_id = source.create_experiment(name, create);
    CreateExperimentOptions copy;
    copy.artifact_location = dir + "/destination-artifacts";
    destination.create_experiment(name, copy);
    options.experiment_names = {name};
    options.state_path = dir + "/state.json";
  }
  void TearDown() override { fs::remove_all(dir); }

  mlflow::Run make_run(const std::string& run_name,
                       const std::map<std::string, std::string>& tags) {
    CreateRunOptions create;
    create.run_name = run_name;
    create.start_time = 1700000000000;
    create.tags = tags;
    return source.create_run(experiment_id, create);
  }

  void log_curve(const std::string& run_id, int from, int to) {
    std::vector<Metric> points;
    for (int i = from; i < to; ++i) {
      points.push_back(Metric{"loss", 1.0 / (i + 1), 1700000001000 + i, i});
      points.push_back(Metric{"acc", i % 7 == 0 ? std::nan("") : i * 0.01, 1700000001000 + i, i});
    }
    source.log_batch(run_id, points);
  }

  nlohmann::json source_dump() { return testing::sync_dump(source, name, false); }
  nlohmann::json copy_dump() { return testing::sync_dump(destination, name, true); }
};

TEST_F(SyncEmbedded, CopiesEverythingAndASecondSyncWritesNothing) {
  const mlflow::Run parent = make_run("parent", {{"stage", "train"}});
  const mlflow::Run child = make_run("child", {{"mlflow.parentRunId", parent.info.run_id}});
  std::vector<Param> params;
  for (int i = 0; i < 130; ++i) params.push_back({"p" + std::to_string(i), std::to_string(i)});
  source.log_batch(parent.info.run_id, {}, params);
  log_curve(parent.info.run_id, 0, 1200);
  log_curve(child.info.run_id, 0, 10);
  DatasetInput input;
  input.dataset = Dataset{"train", "abc123", "local", "/data/train.csv"};
  input.tags = {InputTag{"mlflow.data.context", "training"}};
  source.log_inputs(child.info.run_id, {input});
  testing::write_file(dir + "/files/a.txt", "hello");
  testing::write_file(dir + "/files/nested/b.bin", std::string(1000, 'x'));
  source.log_artifacts(parent.info.run_id, dir + "/files", "out");
  SetTerminatedOptions end;
  end.end_time = 1700000999000;
  source.set_terminated(parent.info.run_id, end);

  const SyncSummary first = sync(source, destination, options);
  EXPECT_EQ(first.runs_created, 2);
  EXPECT_EQ(first.params, 130);
  EXPECT_EQ(first.metric_points, 2 * 1200 + 2 * 10);
  EXPECT_EQ(first.artifact_files, 2);
  EXPECT_EQ(first.dataset_inputs, 1);
  EXPECT_EQ(first.runs_terminated, 1);
  EXPECT_TRUE(first.conflicts.empty());
  const auto dump = copy_dump();
  EXPECT_EQ(dump, source_dump());
  EXPECT_EQ(dump["runs"].size(), 2u);

  const SyncSummary second = sync(source, destination, options);
  EXPECT_EQ(second.writes, 0);
  EXPECT_EQ(second.runs_seen, 2);
  EXPECT_EQ(second.metric_points + second.params + second.tags + second.artifact_files, 0);
  EXPECT_EQ(copy_dump(), dump);

  // Without the state file the destination's histories are compared instead: still nothing.
  fs::remove(options.state_path);
  EXPECT_EQ(sync(source, destination, options).writes, 0);
}

TEST_F(SyncEmbedded, ARunStillLoggingIsSyncedIncrementally) {
  const mlflow::Run run = make_run("live", {});
  log_curve(run.info.run_id, 0, 100);
  EXPECT_EQ(sync(source, destination, options).metric_points, 200);
  log_curve(run.info.run_id, 100, 130);
  const SyncSummary more = sync(source, destination, options);
  EXPECT_EQ(more.metric_points, 60);
  EXPECT_EQ(more.runs_created, 0);
  EXPECT_EQ(more.runs_updated, 1);
  source.set_terminated(run.info.run_id);
  EXPECT_EQ(sync(source, destination, options).runs_terminated, 1);
  EXPECT_EQ(copy_dump(), source_dump());
}

TEST_F(SyncEmbedded, DryRunCountsWhatASyncCopiesAndWritesNothing) {
  const mlflow::Run run = make_run("r", {{"k", "v"}});
  log_curve(run.info.run_id, 0, 50);
  source.log_param(run.info.run_id, "lr", "0.1");
  options.dry_run = true;
  const SyncSummary dry = sync(source, destination, options);
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dry.writes, 0);
  EXPECT_EQ(copy_dump()["runs"].size(), 0u);
  EXPECT_FALSE(fs::exists(options.state_path));
  options.dry_run = false;
  const SyncSummary real = sync(source, destination, options);
  EXPECT_EQ(dry.runs_created, real.runs_created);
  EXPECT_EQ(dry.metric_points, real.metric_points);
  EXPECT_EQ(dry.params, real.params);
}

TEST_F(SyncEmbedded, AParamChangedAtTheDestinationIsReportedAndKept) {
  const mlflow::Run run = make_run("r", {});
  source.log_param(run.info.run_id, "lr", "0.1");
  sync(source, destination, options);
  const auto copy =
      destination.search_runs_all({destination.get_experiment_by_name(name)->experiment_id})
          .to_vector()
          .at(0);
  destination.log_param(copy.info.run_id, "extra", "1");
  source.log_param(run.info.run_id, "extra", "2");
  const SyncSummary summary = sync(source, destination, options);
  ASSERT_EQ(summary.conflicts.size(), 1u);
  EXPECT_EQ(summary.conflicts[0].kind, "param");
  EXPECT_NE(summary.conflicts[0].resolution.find("kept the destination"), std::string::npos);
  EXPECT_EQ(destination.get_run(copy.info.run_id).data.params.at("extra"), "1");
}

TEST_F(SyncEmbedded, AnExperimentMissingAtTheSourceIsNotFound) {
  options.experiment_names = {"no-such-experiment"};
  EXPECT_THAT([&] { sync(source, destination, options); },
              testing::ThrowsMlflow(ErrorCode::kResourceDoesNotExist,
                                    ::testing::HasSubstr("no-such-experiment")));
}

}  // namespace
}  // namespace mlflow
