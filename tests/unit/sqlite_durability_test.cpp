// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Durability and concurrency of the embedded store, through the public API:
// * a child process logging in a loop is killed with SIGKILL; the file then opens, passes
//   PRAGMA integrity_check, and holds every batch whose call had returned;
// * 4 processes x 2 threads log to one file at once; nothing is lost.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "mlflow/mlflow.hpp"
#include "support/forked_child.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

constexpr int kPointsPerBatch = 50;

std::string integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result = "open failed";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return result;
}

std::vector<Metric> batch(int number) {
  std::vector<Metric> points;
  for (int i = 0; i < kPointsPerBatch; ++i) {
    const std::int64_t step = std::int64_t(number) * kPointsPerBatch + i;
    points.push_back({"loss", 1.0 / double(step + 1), 1718000000000 + step, step});
  }
  return points;
}

TEST(SqliteDurability, SigkillMidLoggingKeepsEveryReturnedBatch) {
  const std::string dir = testing::make_temp_dir("mlflow-crash");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  std::string run_id;
  {
    MlflowClient client(uri);
    run_id = client.create_run(client.create_experiment("crash")).info.run_id;
  }
  const testing::ForkedChild forked = testing::fork_child([&](int to_parent) {
    MlflowClient client(uri);
    for (int n = 0;; ++n) {
      client.log_batch(run_id, batch(n));
      // Report only after the call returned: this batch must survive the kill.
      if (::write(to_parent, &n, sizeof n) != sizeof n) return 3;
    }
  });
  ASSERT_GE(forked.pid, 0);
  const pid_t child = forked.pid;
  const int from_child = forked.from_child;
  int last_returned = -1;
  int n = 0;
  // Let it log a while, then kill it in the middle of whatever it is doing.
  while (last_returned < 40 && ::read(from_child, &n, sizeof n) == sizeof n) last_returned = n;
  ::kill(child, SIGKILL);
  while (::read(from_child, &n, sizeof n) == sizeof n) last_returned = n;  // drain reports
  ::close(from_child);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended by itself (status " << status << ")";
  ASSERT_GE(last_returned, 40);

  EXPECT_EQ(integrity_check(dir + "/mlflow.db"), "ok");
  MlflowClient reader(uri);
  const auto history = reader.get_metric_history(run_id, "loss");
  // Every returned batch is there; at most the one in flight may also be (it may have committed
  // before the kill reached the child).
  const std::size_t returned_points = std::size_t(last_returned + 1) * kPointsPerBatch;
  ASSERT_GE(history.size(), returned_points);
  ASSERT_LE(history.size(), returned_points + kPointsPerBatch);
  for (std::size_t i = 0; i < returned_points; ++i) {
    ASSERT_EQ(history[i].step, std::int64_t(i));
    ASSERT_EQ(history[i].value, 1.0 / double(i + 1));
  }
  EXPECT_EQ(reader.get_run(run_id).info.status, RunStatus::kRunning);
}

TEST(SqliteDurability, FourProcessesTimesTwoThreadsLoseNothing) {
  const std::string dir = testing::make_temp_dir("mlflow-writers");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  constexpr int kProcesses = 4;
  constexpr int kThreads = 2;
  constexpr int kBatches = 30;
  std::string experiment_id;
  {
    MlflowClient client(uri);
    experiment_id = client.create_experiment("writers");
  }
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int failures = 0;
      {
        MlflowClient client(uri);  // one client (and store) per process, shared by threads
        const std::string run_id =
            client.create_run(experiment_id).info.run_id;  // one run per process
        std::vector<std::thread> threads;
        std::vector<int> thread_failures(kThreads, 0);
        for (int t = 0; t < kThreads; ++t) {
          threads.emplace_back([&, t] {
            try {
              for (int b = 0; b < kBatches; ++b) {
                std::vector<Metric> points = batch(b);
                for (auto& m : points) m.key = "thread" + std::to_string(t);
                client.log_batch(run_id, points,
                                 {{"p" + std::to_string(t) + "_" + std::to_string(b), "v"}},
                                 {{"t" + std::to_string(t), std::to_string(b)}});
              }
            } catch (const std::exception& e) {
              std::fprintf(stderr, "writer %d/%d failed: %s\n", p, t, e.what());
              thread_failures[t] = 1;
            }
          });
        }
        for (auto& th : threads) th.join();
        for (int f : thread_failures) failures += f;
      }
      ::_exit(failures);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer failed (see stderr)";
  }
  MlflowClient reader(uri);
  const auto runs = reader.search_runs({experiment_id}).items;
  ASSERT_EQ(runs.size(), std::size_t(kProcesses));
  for (const auto& run : runs) {
    for (int t = 0; t < kThreads; ++t) {
      const auto history = reader.get_metric_history(run.info.run_id, "thread" + std::to_string(t));
      EXPECT_EQ(history.size(), std::size_t(kBatches * kPointsPerBatch));
      EXPECT_EQ(run.data.tags.at("t" + std::to_string(t)), std::to_string(kBatches - 1));
    }
    EXPECT_EQ(run.data.params.size(), std::size_t(kThreads * kBatches));
  }
  EXPECT_EQ(integrity_check(dir + "/mlflow.db"), "ok");
}

}  // namespace
}  // namespace mlflow
