// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// `mlflow-cpp sync` and mlflow::sync from an embedded file to the real MLflow 3.18 server of
// the ctest fixture (issue 13): a second sync changes nothing (the server's row counts and
// Python's canonical dump), a sync killed with SIGKILL after any destination write and rerun
// ends whole without duplicates, and the HPC scenario (a compute node logging offline while a
// login node syncs every second), checked by Python's MlflowClient on both sides.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>
#include <thread>

#include "cli/cli_runner.hpp"
#include "mlflow/sync.hpp"
#include "support/files.hpp"
#include "support/forked_child.hpp"
#include "support/python_peer.hpp"
#include "support/sync_dump.hpp"
#include "support/test_env.hpp"

namespace mlflow::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class SyncServer : public ::testing::Test {
 protected:
  std::string uri = server_uri();
  std::string dir = make_temp_dir("mlflow-sync-server");
  std::string source_uri = "sqlite:///" + dir + "/job.db";

  void TearDown() override { fs::remove_all(dir); }

  // An experiment of the source file whose artifacts stay in the temporary directory.
  std::string source_experiment(MlflowClient& source, const std::string& name) {
    CreateExperimentOptions create;
    create.artifact_location = dir + "/artifacts/" + name;
    create.tags = {{"project", "sync-test"}};
    return source.create_experiment(name, create);
  }

  // Python's canonical dumps (tests/interop/sync_dump.py) of experiment `name` on each side:
  // a tracking URI, or "copy:URI" for a sync's destination (with the server's row counts when
  // `counts`). One Python start for all of them.
  std::vector<nlohmann::json> python_dumps(const std::string& name,
                                           const std::vector<std::string>& sides,
                                           bool counts = false) {
    std::string args = shell_quote(name);
    if (counts) {
      const char* server_dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
      args += " --db " + shell_quote(std::string(server_dir ? server_dir : "") + "/mlflow.db");
    }
    for (const auto& side : sides) args += " " + shell_quote(side);
    const auto out = run_python_peer_json(dir, "sync_dump.py", args);
    if (out.is_null()) return std::vector<nlohmann::json>(sides.size());
    return out.at("sides").get<std::vector<nlohmann::json>>();
  }

  CliResult cli_sync(const std::string& name, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{
        "sync", source_uri, uri, "-e", name, "--state", dir + "/" + name + ".state", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli("", args, "", {}, dir);
  }
};

// A parent run (420 params: five log_batch requests; a 1,500-point curve, artifacts, FINISHED),
// a child (a dataset input, NaN points, an artifact, FAILED) and a child still RUNNING.
void log_job(MlflowClient& client, const std::string& experiment_id, const std::string& files) {
  CreateRunOptions create;
  create.run_name = "parent";
  create.start_time = 1700000000000;
  create.tags = {{"mlflow.user", "hpc-user"}, {"stage", "train"}};
  const std::string parent = client.create_run(experiment_id, create).info.run_id;
  std::vector<Param> params;
  for (int i = 0; i < 420; ++i) params.push_back({"p" + std::to_string(i), std::to_string(i * 3)});
  std::vector<Metric> curve;
  for (int i = 0; i < 1500; ++i) curve.push_back({"loss", 1.0 / (i + 1), 1700000001000 + i, i});
  client.log_batch(parent, curve, params);
  write_file(files + "/parent/model.txt", "weights");
  write_file(files + "/parent/plots/a.csv", std::string(4096, 'a'));
  client.log_artifacts(parent, files + "/parent", "outputs");
  client.set_terminated(parent, {RunStatus::kFinished, 1700000900000});

  create.run_name = "child";
  create.start_time = 1700000000500;
  create.tags = {{"mlflow.parentRunId", parent}};
  const std::string child = client.create_run(experiment_id, create).info.run_id;
  std::vector<Metric> acc;
  for (int i = 0; i < 600; ++i) {
    acc.push_back({"acc", i % 100 == 0 ? std::nan("") : i * 1e-3, 1700000002000 + i / 2, i});
  }
  client.log_batch(child, acc, {{"lr", "0.01"}});
  DatasetInput input;
  input.dataset = Dataset{"train", "d1g3st", "local", "/scratch/train.csv"};
  input.tags = {InputTag{"mlflow.data.context", "training"}};
  client.log_inputs(child, {input});
  write_file(files + "/child/log.txt", "epoch 1\n");
  client.log_artifacts(child, files + "/child");
  client.set_terminated(child, {RunStatus::kFailed, 1700000800000});

  create.run_name = "live";
  create.start_time = 1700000001000;
  create.tags = {{"mlflow.parentRunId", parent}};
  const std::string live = client.create_run(experiment_id, create).info.run_id;
  std::vector<Metric> gpu;
  for (int i = 0; i < 500; ++i) gpu.push_back({"gpu", i * 0.5, 1700000003000 + i, i});
  client.log_batch(live, gpu);
  write_file(files + "/live/empty.txt", "");
  client.log_artifacts(live, files + "/live");
}

TEST_F(SyncServer, ASecondSyncChangesNothingOnTheServer) {
  // ~6 s: two CLI syncs and four Python dumps.
  const std::string name = unique_name("sync-idem");
  {
    MlflowClient source(source_uri);
    log_job(source, source_experiment(source, name), dir + "/files");
  }
  const CliResult first = cli_sync(name);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const JsonValue summary = first.json();
  EXPECT_EQ(summary.at("runs_created").as_int(), 3);
  EXPECT_EQ(summary.at("metric_points").as_int(), 1500 + 600 + 500);
  EXPECT_EQ(summary.at("artifact_files").as_int(), 4);
  EXPECT_EQ(summary.at("conflicts").size(), 0u);

  const auto dumps = python_dumps(name, {"copy:" + uri, source_uri}, true);
  const auto& before = dumps[0];
  ASSERT_FALSE(before.is_null());
  auto copy = before;
  copy.erase("row_counts");
  EXPECT_EQ(copy, dumps[1]);
  EXPECT_EQ(before["row_counts"]["runs"], 3);
  EXPECT_EQ(before["row_counts"]["metrics"], 1500 + 600 + 500);

  const CliResult second = cli_sync(name);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.json().at("writes").as_int(), 0) << second.out;
  EXPECT_EQ(python_dumps(name, {"copy:" + uri}, true)[0], before);

  // A dry run of the same pair has nothing to say either, and says it as a table too.
  const CliResult dry =
      run_cli("", {"sync", source_uri, uri, "-e", name, "--dry-run"}, "", {}, dir);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("Would copy"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("metric points        0"), std::string::npos) << dry.out;
}

TEST_F(SyncServer, AnExperimentMissingAtTheSourceExitsNotFound) {
  const CliResult r = cli_sync(unique_name("sync-missing"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("does not exist at the source"), std::string::npos) << r.err;
}

// Runs a sync in a forked child that dies by SIGKILL right after the destination acknowledged
// its `kill_after`-th write (before the state file records it: the worst moment). Returns the
// signal that ended the child, or 1000 + its exit code.
int sync_killed_after(const std::string& source_uri, const std::string& uri,
                      const SyncOptions& base, std::int64_t kill_after) {
  const ForkedChild child = fork_child([&](int) {
    SyncOptions options = base;
    options.progress = [kill_after](const SyncProgress& p) {
      if (p.writes == kill_after) ::raise(SIGKILL);
    };
    MlflowClient source(source_uri);
    MlflowClient destination(uri);
    sync(source, destination, options);
    return 0;
  });
  if (child.from_child >= 0) ::close(child.from_child);
  int status = 0;
  if (child.pid < 0 || ::waitpid(child.pid, &status, 0) != child.pid) return -1;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 1000 + WEXITSTATUS(status);
}

TEST_F(SyncServer, KilledAfterEveryWriteOfTheCopyThenRerunEndsWholeWithoutDuplicates) {
  // ~10-20 s. Each sync is killed right after its first acknowledged write, before the state
  // file records it, and the next one resumes: the copy is killed once at every point of it.
  MlflowClient source(source_uri);
  MlflowClient destination(uri);
  const std::string name = unique_name("sync-kill");
  log_job(source, source_experiment(source, name), dir + "/files");
  SyncOptions options;
  options.experiment_names = {name};
  options.state_path = dir + "/kill.state";
  int kills = 0;
  for (;;) {
    const int end = sync_killed_after(source_uri, uri, options, 1);
    if (end != SIGKILL) {
      ASSERT_EQ(end, 1000) << "the last sync exits 0 (1000 + exit code), or dies of SIGKILL";
      break;
    }
    ++kills;
    ASSERT_LT(kills, 100) << "a killed sync made no progress";
    // Never a second copy of a run, whatever the moment of the kill.
    const auto copy = destination.get_experiment_by_name(name);
    ASSERT_TRUE(copy);
    std::set<std::string> copied;
    for (const auto& run : destination.search_runs_all({copy->experiment_id}).to_vector()) {
      ASSERT_EQ(run.data.tags.count(kSyncSourceRunIdTag), 1u);
      EXPECT_TRUE(copied.insert(run.data.tags.at(kSyncSourceRunIdTag)).second)
          << "duplicate copy after kill " << kills;
    }
  }
  EXPECT_GE(kills, 20);
  const auto copy = sync_dump(destination, name, true);
  EXPECT_EQ(copy, sync_dump(source, name, false));
  EXPECT_TRUE(copy["duplicates"].empty()) << copy["duplicates"];
  EXPECT_TRUE(copy["untagged"].empty()) << copy["untagged"];
  EXPECT_EQ(copy["runs"].size(), 3u);
  EXPECT_EQ(sync(source, destination, options).writes, 0);
}

TEST_F(SyncServer, HpcComputeNodeLogsOfflineWhileTheLoginNodeSyncsEverySecond) {
  // ~10 s: the compute node logs for 4 s; the login node syncs once a second meanwhile.
  const std::string name = unique_name("sync-hpc");
  std::string experiment_id;
  {
    MlflowClient setup(source_uri);
    experiment_id = source_experiment(setup, name);
  }
  const std::string files = dir + "/files";
  const ForkedChild compute = fork_child([&](int) {
    // No server: only the file. Points every ~5 ms, with their own (wall-clock) timestamps.
    MlflowClient client(source_uri);
    CreateRunOptions create;
    create.run_name = "slurm-job";
    const std::string run = client.create_run(experiment_id, create).info.run_id;
    client.log_param(run, "nodes", "4");
    const auto end = Clock::now() + std::chrono::seconds(4);
    for (int step = 0; Clock::now() < end; ++step) {
      const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
      client.log_batch(run, {{"loss", 1.0 / (step + 1), now, step}, {"lr", 0.1, now, step}});
      if (step == 200) {
        write_file(files + "/checkpoint.txt", "step 200");
        client.log_artifact(run, files + "/checkpoint.txt");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    client.set_terminated(run);
    return 0;
  });
  ASSERT_GT(compute.pid, 0);
  ::close(compute.from_child);

  std::int64_t points_sent = 0;
  int syncs_while_running = 0;
  int status = 0;
  bool running = true;
  while (running) {
    const auto next = Clock::now() + std::chrono::seconds(1);
    running = ::waitpid(compute.pid, &status, WNOHANG) == 0;
    const CliResult r = cli_sync(name);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::int64_t sent = r.json().at("metric_points").as_int();
    points_sent += sent;
    if (running && sent > 0) ++syncs_while_running;
    std::this_thread::sleep_until(next);
  }
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const CliResult last = cli_sync(name);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(last.json().at("writes").as_int(), 0) << "the loop's last sync ran after the job";
  EXPECT_GE(syncs_while_running, 2) << "the run was not synced incrementally while logging";

  const auto dumps = python_dumps(name, {"copy:" + uri, source_uri});
  const auto& in_file = dumps[1];
  ASSERT_FALSE(in_file.is_null());
  EXPECT_EQ(dumps[0], in_file);
  const auto& runs = in_file["experiments"][name]["runs"];
  ASSERT_EQ(runs.size(), 1u);
  const auto& run = runs.begin().value();
  EXPECT_EQ(run["status"], "FINISHED");
  const std::int64_t logged =
      static_cast<std::int64_t>(run["metrics"]["loss"].size() + run["metrics"]["lr"].size());
  // Every point crossed exactly once: incremental syncs resent nothing.
  EXPECT_EQ(points_sent, logged);
  EXPECT_GT(logged, 200);
}

}  // namespace
}  // namespace mlflow::testing
