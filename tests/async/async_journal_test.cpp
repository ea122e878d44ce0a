// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Durable asynchronous logging (ADR 0026, issue 13 must-show 4): a child process logs
// asynchronously with a journal while the server is down (the fault proxy refuses every
// connection to the real server), writes each entry it was told accepted to a side file, and
// is killed with SIGKILL; the server comes back; a new process delivers every accepted entry,
// each stored exactly once. The child is this test program run again (--child-journal-log),
// started with posix_spawn so that no thread of the test is forked.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "mlflow/mlflow.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

extern char** environ;

namespace mlflow {

// The child: logs `points` metric points, a param and a tag per 100 points asynchronously to
// `uri` with the journal, writing "m key step value ts", "p key value", "t key value" to the
// side file after each call returned. With `pause_at` > 0 it flushes after that many points,
// writes "HALF" and waits for the file `<side>.go` before going on. Writes "DONE" at the end
// and waits to be killed.
int child_journal_log(const std::string& uri, const std::string& run_id, const std::string& journal,
                      const std::string& side, int points, int pause_at) {
  MlflowClient client(uri);
  AsyncLoggingOptions async;
  async.journal = journal;
  client.set_async_logging_options(async);
  std::ofstream out(side);
  LogMetricOptions m;
  m.synchronous = false;
  LogParamOptions p;
  p.synchronous = false;
  SetTagOptions t;
  t.synchronous = false;
  const std::int64_t base = 1700000000000;
  for (int i = 0; i < points; ++i) {
    if (i == pause_at && pause_at > 0) {
      client.flush_async_logging();
      out << "HALF" << std::endl;
      while (::access((side + ".go").c_str(), F_OK) != 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    m.step = i;
    m.timestamp = base + i;
    const double value = i * 0.5;
    client.log_metric(run_id, "loss", value, m);
    out << "m loss " << i << ' ' << value << ' ' << base + i << '\n';
    if (i % 100 == 0) {
      const std::string n = std::to_string(i / 100);
      client.log_param(run_id, "p" + n, "v" + n, p);
      out << "p p" << n << " v" << n << '\n';
      client.set_tag(run_id, "t" + n, "w" + n, t);
      out << "t t" << n << " w" << n << '\n';
    }
  }
  out << "DONE" << std::endl;
  for (;;) ::pause();
}

// A new process on the same journal and tracking URI: starting asynchronous logging sends what
// the killed one left. Logs one point of its own and flushes.
int child_journal_start(const std::string& uri, const std::string& run_id,
                        const std::string& journal) {
  MlflowClient client(uri);
  AsyncLoggingOptions async;
  async.journal = journal;
  client.set_async_logging_options(async);
  LogMetricOptions m;
  m.synchronous = false;
  m.step = 1000000;
  client.log_metric(run_id, "second_process", 1, m);
  client.flush_async_logging();
  return 0;
}

namespace {

using testing::FaultProxy;

struct Accepted {
  std::set<std::tuple<std::int64_t, double, std::int64_t>> points;  // step, value, timestamp
  std::size_t point_lines = 0;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
};

Accepted read_side_file(const std::string& path) {
  Accepted a;
  std::istringstream in(testing::file_bytes(path));
  std::string kind;
  while (in >> kind) {
    if (kind == "m") {
      std::string key;
      std::int64_t step = 0, ts = 0;
      double value = 0;
      in >> key >> step >> value >> ts;
      a.points.emplace(step, value, ts);
      ++a.point_lines;
    } else if (kind == "p" || kind == "t") {
      std::string key, value;
      in >> key >> value;
      (kind == "p" ? a.params : a.tags)[key] = value;
    }
  }
  return a;
}

class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::vector<std::string> all{testing::self_executable()};
    all.insert(all.end(), args.begin(), args.end());
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  }
  ~Child() {
    if (pid_ > 0) kill_now();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  int kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  bool alive() { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

// Waits until the side file has a line `word` (the child is still running).
void await_line(const std::string& side, const std::string& word, Child& child) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (testing::file_bytes(side).find(word + "\n") == std::string::npos) {
    ASSERT_TRUE(child.alive()) << "the child died before writing " << word;
    ASSERT_LT(std::chrono::steady_clock::now(), until) << "no " << word << " from the child";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Every accepted entry is on the server, each point exactly once.
void expect_stored_exactly_once(MlflowClient& client, const std::string& run_id,
                                const Accepted& accepted) {
  const std::vector<Metric> history = client.get_metric_history(run_id, "loss");
  EXPECT_EQ(history.size(), accepted.points.size()) << "points stored more or less than once";
  std::set<std::tuple<std::int64_t, double, std::int64_t>> stored;
  for (const Metric& m : history) stored.emplace(m.step, m.value, m.timestamp);
  EXPECT_EQ(stored, accepted.points);
  const Run run = client.get_run(run_id);
  for (const auto& [key, value] : accepted.params) {
    ASSERT_EQ(run.data.params.count(key), 1u) << key;
    EXPECT_EQ(run.data.params.at(key), value);
  }
  for (const auto& [key, value] : accepted.tags) {
    ASSERT_EQ(run.data.tags.count(key), 1u) << key;
    EXPECT_EQ(run.data.tags.at(key), value);
  }
}

constexpr int kPoints = 3000;

// A journal and side file in a temporary directory, and a run on the real server.
struct Scene {
  std::string dir = testing::make_temp_dir("async-journal");
  std::string journal = dir + "/async.journal";
  std::string side = dir + "/accepted.txt";
  MlflowClient direct{testing::server_uri()};
  std::string run_id =
      direct.create_run(direct.create_experiment(testing::unique_name("journal"))).info.run_id;
};

TEST(AsyncJournal, KilledWhileTheServerIsDownANewProcessDeliversEveryAcceptedEntryOnce) {
  const Scene scene;
  const std::string& journal = scene.journal;
  const std::string& side = scene.side;
  MlflowClient direct = scene.direct;
  const std::string& run_id = scene.run_id;

  FaultProxy proxy(testing::server_uri());
  proxy.go_down();
  {
    Child child(
        {"--child-journal-log", proxy.url(), run_id, journal, side, std::to_string(kPoints), "0"});
    await_line(side, "DONE", child);
    const int status = child.kill_now();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }
  const Accepted accepted = read_side_file(side);
  ASSERT_EQ(accepted.point_lines, static_cast<std::size_t>(kPoints));
  EXPECT_TRUE(direct.get_metric_history(run_id, "loss").empty()) << "the server was down";
  const AsyncJournalStatus before = async_journal_status(journal);
  EXPECT_EQ(before.pending.metrics, static_cast<std::uint64_t>(kPoints));
  EXPECT_EQ(before.live_sessions, 0u);

  proxy.come_back();
  const AsyncJournalReplayResult replayed = replay_async_journal(journal);
  EXPECT_EQ(replayed.delivered.total(), before.pending.total());
  EXPECT_EQ(replayed.left.total(), 0u);
  EXPECT_TRUE(replayed.errors.empty());
  expect_stored_exactly_once(direct, run_id, accepted);

  // A second replay sends nothing: everything is marked delivered.
  EXPECT_EQ(async_journal_status(journal).pending.total(), 0u);
  EXPECT_EQ(replay_async_journal(journal).delivered.total(), 0u);
  expect_stored_exactly_once(direct, run_id, accepted);
}

TEST(AsyncJournal, KilledAfterPartialDeliveryTheNextLoggerDeliversTheRestWithoutDuplicates) {
  const Scene scene;
  const std::string& journal = scene.journal;
  const std::string& side = scene.side;
  MlflowClient direct = scene.direct;
  const std::string& run_id = scene.run_id;

  FaultProxy proxy(testing::server_uri());
  {
    Child child({"--child-journal-log", proxy.url(), run_id, journal, side, std::to_string(kPoints),
                 std::to_string(kPoints / 2)});
    await_line(side, "HALF", child);  // the first half is stored and marked
    proxy.go_down();
    testing::write_file(side + ".go", "");
    await_line(side, "DONE", child);
    child.kill_now();
  }
  const Accepted accepted = read_side_file(side);
  ASSERT_EQ(accepted.point_lines, static_cast<std::size_t>(kPoints));
  EXPECT_EQ(direct.get_metric_history(run_id, "loss").size(),
            static_cast<std::size_t>(kPoints / 2));
  const AsyncJournalStatus before = async_journal_status(journal);
  EXPECT_EQ(before.delivered.metrics, static_cast<std::uint64_t>(kPoints / 2));
  EXPECT_EQ(before.pending.metrics, static_cast<std::uint64_t>(kPoints / 2));

  proxy.come_back();
  // A new process starting asynchronous logging on the same journal and URI delivers the rest.
  Child second({"--child-journal-start", proxy.url(), run_id, journal});
  const int status = second.wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  expect_stored_exactly_once(direct, run_id, accepted);
  EXPECT_EQ(direct.get_metric_history(run_id, "second_process").size(), 1u);
  EXPECT_EQ(async_journal_status(journal).pending.total(), 0u);
}

}  // namespace
}  // namespace mlflow
