// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Asynchronous logging (ADR 0012) on both stores: many threads, an outage through the fault
// proxy, failures reported by flush and on_error, the full-queue policies, drain at run end
// and at process exit. Built as its own program so that `make test` can also run it under
// ThreadSanitizer without building the other test programs.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client_impl.hpp"
#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "support/fault_proxy.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using testing::FaultProxy;
using testing::make_temp_dir;
using testing::unique_name;

constexpr int kThreads = 8;

// 100,000 per thread unless MLFLOW_CPP_ASYNC_TEST_POINTS says otherwise (for quick local runs).
int points_per_thread() {
  const char* v = std::getenv("MLFLOW_CPP_ASYNC_TEST_POINTS");
  return v != nullptr ? std::atoi(v) : 100000;
}

std::string server_db_path() {
  const char* dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  if (dir == nullptr) ADD_FAILURE() << "MLFLOW_TEST_SERVER_DIR is not set (run through ctest)";
  return std::string(dir == nullptr ? "" : dir) + "/mlflow.db";
}

// The steps of one metric in the order the store inserted them (rowid order), read from the
// database file directly: the history API sorts, so only this shows arrival order.
std::vector<std::int64_t> steps_in_arrival_order(const std::string& db_path,
                                                 const std::string& run_id,
                                                 const std::string& key) {
  std::vector<std::int64_t> steps;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return steps;
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* stmt = nullptr;
  const char* sql = "SELECT step FROM metrics WHERE run_uuid = ?1 AND key = ?2 ORDER BY rowid";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db);
  } else {
    sqlite3_bind_text(stmt, 1, run_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, key.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) steps.push_back(sqlite3_column_int64(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return steps;
}

std::string new_run(MlflowClient& client) {
  const std::string exp = client.create_experiment(unique_name("async"));
  return client.create_run(exp).info.run_id;
}

// Each of kThreads threads logs `points` points of its own key "t<i>" (step = value = j),
// asynchronously. `midway` runs once on thread 0 half-way.
void log_from_threads(MlflowClient& client, const std::string& run_id, int points,
                      const std::function<void()>& midway = {}) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = "t" + std::to_string(t);
      LogMetricOptions options;
      options.synchronous = false;
      for (int j = 0; j < points; ++j) {
        if (t == 0 && j == points / 2 && midway) midway();
        options.step = j;
        options.timestamp = 1700000000000 + j;
        client.log_metric(run_id, key, static_cast<double>(j), options);
      }
    });
  }
  for (auto& th : threads) th.join();
}

// Every point arrived exactly once, in per-key order, and the counters agree.
void expect_all_arrived(MlflowClient& client, const std::string& run_id, int points,
                        const std::string& db_path) {
  for (int t = 0; t < kThreads; ++t) {
    const std::string key = "t" + std::to_string(t);
    const std::vector<std::int64_t> steps = steps_in_arrival_order(db_path, run_id, key);
    ASSERT_EQ(steps.size(), static_cast<std::size_t>(points)) << key;
    for (int j = 0; j < points; ++j) {
      ASSERT_EQ(steps[j], j) << key << ": point " << j << " arrived out of order or twice";
    }
  }
  // And through the API (one key: reading 100,000 points back through a loaded server costs
  // more than the logging; the direct reads above already cover every key).
  const std::vector<Metric> history = client.get_metric_history(run_id, "t0");
  ASSERT_EQ(history.size(), static_cast<std::size_t>(points));
  for (int j = 0; j < points; ++j) ASSERT_EQ(history[j].step, j);
  EXPECT_EQ(history.back().value, static_cast<double>(points - 1));
  const AsyncLoggingStats stats = client.async_logging_stats();
  const auto total = static_cast<std::uint64_t>(kThreads) * points;
  EXPECT_EQ(stats.enqueued, total);
  EXPECT_EQ(stats.sent, total);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.failed, 0u);
  // Merged into batches: far fewer requests than points.
  EXPECT_LT(stats.requests, total / 10);
}

TEST(AsyncLoggingStress, EightThreadsEmbeddedStore) {
  const std::string db = make_temp_dir("async-embedded") + "/mlflow.db";
  MlflowClient client("sqlite:///" + db);
  const std::string run_id = new_run(client);
  log_from_threads(client, run_id, points_per_thread());
  client.flush_async_logging();
  expect_all_arrived(client, run_id, points_per_thread(), db);
}

TEST(AsyncLoggingStress, EightThreadsRealServer) {
  MlflowClient client(testing::server_uri());
  const std::string run_id = new_run(client);
  log_from_threads(client, run_id, points_per_thread());
  client.flush_async_logging();
  expect_all_arrived(client, run_id, points_per_thread(), server_db_path());
}

TEST(AsyncLoggingStress, EightThreadsThroughAServerOutage) {
  FaultProxy proxy(testing::server_uri());
  ClientOptions options;
  options.tracking_uri = proxy.url();
  // Few quick transport retries, so the outage outlasts them and the logger must hold data.
  options.max_retries = 1;
  options.backoff_factor = 0.1;
  MlflowClient client(options);
  const std::string run_id = new_run(client);
  std::atomic<int> errors{0};
  AsyncLoggingOptions async_options;
  async_options.on_error = [&](const AsyncLoggingError&) { ++errors; };
  client.set_async_logging_options(async_options);
  // A quarter of the points: the outage is what is tested here, and the server's ingest rate
  // (not the client) sets this test's duration, which counts against `make test`'s budget.
  const int points = std::max(1000, points_per_thread() / 4);
  log_from_threads(client, run_id, points, [&] { proxy.go_down_for(std::chrono::seconds(3)); });
  client.flush_async_logging();
  EXPECT_EQ(errors.load(), 0);
  // The outage was felt (thread 0's second half was sent after it began) and survived.
  EXPECT_GT(client.async_logging_stats().resends, 0u);
  expect_all_arrived(client, run_id, points, server_db_path());
}

// ---- Behaviour on both stores -------------------------------------------------------------

struct StoreCase {
  std::string name;
  std::function<MlflowClient()> make;
};

std::vector<StoreCase> both_stores() {
  return {{"embedded",
           [] { return MlflowClient("sqlite:///" + make_temp_dir("async") + "/mlflow.db"); }},
          {"server", [] { return MlflowClient(testing::server_uri()); }}};
}

TEST(AsyncLogging, ParamsTagsAndBatchesKeepPerKeyOrderOnBothStores) {
  for (const StoreCase& store : both_stores()) {
    SCOPED_TRACE(store.name);
    MlflowClient client = store.make();
    const std::string run_id = new_run(client);
    // 250 params: more than one request's 100; the same tag 300 times: the last one wins.
    for (int i = 0; i < 250; ++i) {
      client.log_param(run_id, "p" + std::to_string(i), std::to_string(i), {false});
    }
    for (int i = 0; i < 300; ++i) client.set_tag(run_id, "phase", std::to_string(i), {false});
    std::vector<Metric> batch;
    for (int i = 0; i < 1500; ++i) {
      Metric m;
      m.key = "batched";
      m.value = i;
      m.step = i;
      m.timestamp = 1700000000000 + i;
      batch.push_back(m);
    }
    client.log_batch(run_id, batch, {{"from_batch", "yes"}}, {}, {false});
    client.flush_async_logging();
    const mlflow::Run run = client.get_run(run_id);
    EXPECT_EQ(run.data.params.size(), 251u);
    EXPECT_EQ(run.data.params.at("p249"), "249");
    EXPECT_EQ(run.data.tags.at("phase"), "299");
    EXPECT_EQ(client.get_metric_history(run_id, "batched").size(), 1500u);
    EXPECT_EQ(client.async_logging_stats().sent, 250u + 300u + 1501u);
  }
}

TEST(AsyncLogging, FailuresAreReportedByFlushAndCallbackOnBothStores) {
  for (const StoreCase& store : both_stores()) {
    SCOPED_TRACE(store.name);
    MlflowClient client = store.make();
    std::mutex mutex;
    std::vector<AsyncLoggingError> seen;
    AsyncLoggingOptions options;
    options.on_error = [&](const AsyncLoggingError& e) {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(e);
    };
    client.set_async_logging_options(options);
    // A well-formed id of a run that does not exist: the store refuses it (not transient).
    const std::string missing = "0123456789abcdef0123456789abcdef";
    client.log_metric(missing, "loss", 1.0, {std::nullopt, 0, {}, {}, {}, false});
    try {
      client.flush_async_logging();
      ADD_FAILURE() << "flush should report the lost metric";
    } catch (const MlflowException& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("lost 1 metrics"), std::string::npos) << what;
      EXPECT_NE(what.find(missing), std::string::npos) << what;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      ASSERT_EQ(seen.size(), 1u);
      EXPECT_EQ(seen[0].run_id, missing);
      EXPECT_EQ(seen[0].metrics, 1u);
    }
    // Reported once: the next flush is clean.
    EXPECT_NO_THROW(client.flush_async_logging());
    EXPECT_EQ(client.async_logging_stats().failed, 1u);
  }
}

TEST(AsyncLogging, BadInputThrowsOnTheCallersThread) {
  MlflowClient client("sqlite:///" + make_temp_dir("async") + "/mlflow.db");
  const std::string run_id = new_run(client);
  LogMetricOptions options;
  options.synchronous = false;
  EXPECT_THROW(client.log_metric(run_id, "../bad", 1.0, options), InvalidArgument);
  options.timestamp = -1;
  EXPECT_THROW(client.log_metric(run_id, "ok", 1.0, options), InvalidArgument);
  EXPECT_THROW(client.log_param(run_id, "", "v", {false}), InvalidArgument);
  client.flush_async_logging();
  EXPECT_EQ(client.async_logging_stats().enqueued, 0u);
}

// A store whose log_batch waits at a gate, to hold the worker still deterministically.
class GatedStore : public internal::SqliteTrackingStore {
 public:
  using SqliteTrackingStore::SqliteTrackingStore;
  void log_batch(const std::string& run_id, internal::Span<Metric> metrics,
                 internal::Span<Param> params, internal::Span<RunTag> tags) override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++waiting_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return open_; });
    }
    SqliteTrackingStore::log_batch(run_id, metrics, params, tags);
  }
  void wait_for_worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return waiting_ > 0; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

struct GatedSetup {
  std::shared_ptr<GatedStore> store;
  MlflowClient client;
  std::string run_id;
};

// A client over a fresh GatedStore with one run, logging asynchronously with `options`.
GatedSetup gated_setup(const AsyncLoggingOptions& options) {
  const std::string dir = make_temp_dir("async-gated");
  auto store = std::make_shared<GatedStore>(dir + "/mlflow.db", dir + "/artifacts");
  MlflowClient client = internal::make_client(store);
  const std::string run_id = new_run(client);
  client.set_async_logging_options(options);
  return {store, std::move(client), run_id};
}

TEST(AsyncLogging, FullQueueDropsAndCountsWhenConfigured) {
  AsyncLoggingOptions options;
  options.queue_capacity = 10;
  options.when_full = AsyncQueueFullPolicy::kDrop;
  GatedSetup gated = gated_setup(options);
  LogMetricOptions metric_options;
  metric_options.synchronous = false;
  gated.client.log_metric(gated.run_id, "m", 0, metric_options);
  gated.store->wait_for_worker();  // the worker holds point 0 and waits at the gate
  for (int i = 1; i <= 100; ++i) {
    metric_options.step = i;
    gated.client.log_metric(gated.run_id, "m", i, metric_options);
  }
  AsyncLoggingStats stats = gated.client.async_logging_stats();
  EXPECT_EQ(stats.enqueued, 11u);  // point 0 and a full queue of 10
  EXPECT_EQ(stats.dropped, 90u);
  gated.store->open();
  gated.client.flush_async_logging();
  EXPECT_EQ(gated.client.get_metric_history(gated.run_id, "m").size(), 11u);
}

TEST(AsyncLogging, FullQueueBlocksByDefaultAndLosesNothing) {
  AsyncLoggingOptions options;
  options.queue_capacity = 10;
  GatedSetup gated = gated_setup(options);
  LogMetricOptions metric_options;
  metric_options.synchronous = false;
  gated.client.log_metric(gated.run_id, "m", 0, metric_options);
  gated.store->wait_for_worker();
  std::thread producer([&] {
    LogMetricOptions o = metric_options;
    for (int i = 1; i <= 100; ++i) {
      o.step = i;
      gated.client.log_metric(gated.run_id, "m", i, o);
    }
  });
  // The producer fills its queue and waits for room; the gate opening lets it finish.
  while (gated.client.async_logging_stats().blocked == 0) std::this_thread::yield();
  gated.store->open();
  producer.join();
  gated.client.flush_async_logging();
  EXPECT_EQ(gated.client.get_metric_history(gated.run_id, "m").size(), 101u);
  EXPECT_EQ(gated.client.async_logging_stats().dropped, 0u);
}

TEST(AsyncLogging, RunEndDrainsTheQueueOnBothStores) {
  for (const StoreCase& store : both_stores()) {
    SCOPED_TRACE(store.name);
    MlflowClient client = store.make();
    const std::string run_id = new_run(client);
    LogMetricOptions options;
    options.synchronous = false;
    for (int i = 0; i < 5000; ++i) {
      options.step = i;
      client.log_metric(run_id, "m", i, options);
    }
    client.set_terminated(run_id);
    EXPECT_EQ(client.get_metric_history(run_id, "m").size(), 5000u);
  }
}

TEST(AsyncLogging, EnvironmentSwitchAndFluentApi) {
  const std::string dir = make_temp_dir("async-fluent");
  testing::ScopedEnv env({{"MLFLOW_ENABLE_ASYNC_LOGGING", "true"},
                          {"MLFLOW_TRACKING_URI", "sqlite:///" + dir + "/mlflow.db"}});
  internal::reset_fluent_state();
  std::string run_id;
  {
    ActiveRun run = start_run();
    run_id = run.run_id();
    for (int i = 0; i < 3000; ++i) log_metric("fluent", i, {std::nullopt, i});
    log_param("lr", "0.1");
    set_tag("stage", "async");
    log_metrics({{"a", 1.0}, {"b", 2.0}}, 5);
    flush_async_logging();
    MlflowClient check("sqlite:///" + dir + "/mlflow.db");
    EXPECT_EQ(check.get_metric_history(run_id, "fluent").size(), 3000u);
    EXPECT_EQ(check.get_run(run_id).data.params.at("lr"), "0.1");
    for (int i = 3000; i < 6000; ++i) log_metric("fluent", i, {std::nullopt, i});
  }  // ActiveRun's end drains
  MlflowClient check("sqlite:///" + dir + "/mlflow.db");
  EXPECT_EQ(check.get_metric_history(run_id, "fluent").size(), 6000u);
  EXPECT_EQ(check.get_run(run_id).info.status, RunStatus::kFinished);
  internal::reset_fluent_state();
}

// The fluent hot path reads its thread's run without a lock (ADR 0016): eight threads log to
// their own runs at once; the runs are then ended from another thread, and each thread's next
// call must see that (a new run, as Python's _get_or_start_run), not log to the ended one.
TEST(AsyncLogging, FluentLoggingFromEightThreadsAndRunsEndedElsewhere) {
  const std::string dir = make_temp_dir("async-fluent-threads");
  testing::ScopedEnv env({{"MLFLOW_TRACKING_URI", "sqlite:///" + dir + "/mlflow.db"},
                          {"MLFLOW_ENABLE_ASYNC_LOGGING", "true"}});
  internal::reset_fluent_state();
  constexpr int kPoints = 2000;
  std::vector<std::optional<ActiveRun>> runs(kThreads);
  std::vector<std::string> first_ids(kThreads);
  std::vector<std::string> second_ids(kThreads);
  std::mutex mutex;
  std::condition_variable cv;
  int logged = 0;
  bool ended = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ActiveRun run = start_run();
      first_ids[static_cast<std::size_t>(t)] = run.run_id();
      for (int i = 0; i < kPoints; ++i) log_metric("loss", i, {std::nullopt, i});
      {
        std::unique_lock<std::mutex> lock(mutex);
        runs[static_cast<std::size_t>(t)].emplace(std::move(run));
        ++logged;
        cv.notify_all();
        cv.wait(lock, [&] { return ended; });
      }
      log_metric("after", 1.0);  // the ended run left this thread's stack: a new run starts
      second_ids[static_cast<std::size_t>(t)] = active_run()->info.run_id;
      end_run();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return logged == kThreads; });
    for (auto& run : runs) run->end(RunStatus::kFinished);  // on this thread, not theirs
    ended = true;
    cv.notify_all();
  }
  for (auto& th : threads) th.join();
  flush_async_logging();
  MlflowClient check("sqlite:///" + dir + "/mlflow.db");
  for (int t = 0; t < kThreads; ++t) {
    const std::string& first = first_ids[static_cast<std::size_t>(t)];
    const std::string& second = second_ids[static_cast<std::size_t>(t)];
    EXPECT_NE(first, second);
    EXPECT_EQ(check.get_metric_history(first, "loss").size(), static_cast<std::size_t>(kPoints));
    EXPECT_TRUE(check.get_metric_history(first, "after").empty());
    EXPECT_EQ(check.get_run(first).info.status, RunStatus::kFinished);
    EXPECT_EQ(check.get_metric_history(second, "after").size(), 1u);
  }
  internal::reset_fluent_state();
}

// Process exit drains: a child (this program, see main) logs asynchronously and returns from
// main without flushing.
TEST(AsyncLogging, ProcessExitDrainsTheQueue) {
  const std::string db = make_temp_dir("async-exit") + "/mlflow.db";
  MlflowClient client("sqlite:///" + db);
  const std::string run_id = new_run(client);
  const testing::CommandResult result =
      testing::run_command(testing::self_executable() + " --child-log-and-exit sqlite:///" + db +
                           " " + run_id + " 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(client.get_metric_history(run_id, "exit").size(), 20000u);
}

int child_log_and_exit(const std::string& uri, const std::string& run_id) {
  MlflowClient client(uri);
  LogMetricOptions options;
  options.synchronous = false;
  for (int i = 0; i < 20000; ++i) {
    options.step = i;
    client.log_metric(run_id, "exit", i, options);
  }
  // No flush: the at-exit drain must store everything. std::exit keeps `client` alive, so
  // only the exit handler can have done it.
  std::exit(0);
}

// ---- The server is gone: exit within the deadline, and say what was lost (ADR 0016) ---------

// Sums the child's "UNDELIVERED <metrics> <params> <tags> <code>" lines.
struct ChildReport {
  std::size_t metrics = 0;
  std::size_t params = 0;
  std::size_t tags = 0;
  std::size_t reports = 0;
};

ChildReport undelivered_in(const std::string& output) {
  ChildReport r;
  std::size_t pos = 0;
  while ((pos = output.find("UNDELIVERED ", pos)) != std::string::npos) {
    unsigned long m = 0, p = 0, t = 0;
    char code[64] = {};
    if (std::sscanf(output.c_str() + pos, "UNDELIVERED %lu %lu %lu %63s", &m, &p, &t, code) == 4) {
      r.metrics += m;
      r.params += p;
      r.tags += t;
      ++r.reports;
      EXPECT_STREQ(code, "DEADLINE_EXCEEDED");
    }
    pos += 12;
  }
  return r;
}

TEST(AsyncLoggingExit, ServerStoppedTheProgramExitsWithinTheExitTimeoutAndReportsWhatItLost) {
  std::string uri;
  std::string run_id;
  {
    testing::ScopedEnv one_worker({{"MLFLOW_TEST_SERVER_WORKERS", std::string("1")}});
    testing::ScopedServer server;
    ASSERT_TRUE(server.started()) << server.output();
    uri = server.uri();
    MlflowClient client(uri);
    run_id = new_run(client);
  }  // the server is stopped (killed, its port closed)

  constexpr int kExitTimeoutS = 3;
  for (const std::string& how : {std::string("return"), std::string("exit")}) {
    SCOPED_TRACE(how);
    const auto start = std::chrono::steady_clock::now();
    const testing::CommandResult result = testing::run_command(
        "MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT=" + std::to_string(kExitTimeoutS) + " " +
        testing::self_executable() + " --child-log-to-dead-server " + uri + " " + run_id + " " +
        how + " 2>&1");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "[ measured ] child (%s from main) with the server gone exited after %.2f s "
        "(exit timeout %d s)\n",
        how.c_str(), seconds, kExitTimeoutS);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("LOGGED"), std::string::npos) << result.output;
    // The deadline bounds the exit (without it: the transport's ~4 minutes of retries per
    // request on top of a 5-minute hold). The margin covers starting the process and logging.
    EXPECT_LT(seconds, kExitTimeoutS + 15.0) << result.output;
    const ChildReport lost = undelivered_in(result.output);
    EXPECT_GE(lost.reports, 1u) << result.output;
    EXPECT_EQ(lost.metrics, 1000u) << result.output;
    EXPECT_EQ(lost.params, 1u) << result.output;
    EXPECT_EQ(lost.tags, 1u) << result.output;
    // And through the SDK's log handler, never silently.
    EXPECT_NE(result.output.find("LOG Asynchronous logging lost"), std::string::npos)
        << result.output;
  }
}

int child_log_to_dead_server(const std::string& uri, const std::string& run_id,
                             const std::string& how) {
  set_log_handler(
      [](LogLevel, const std::string& line) {
        std::printf("LOG %s\n", line.c_str());
        std::fflush(stdout);
      },
      LogLevel::kError);
  // The client's default transport retries (7, up to ~4 minutes per request) are kept.
  auto client = std::make_unique<MlflowClient>(uri);
  AsyncLoggingOptions async_options;
  async_options.on_error = [](const AsyncLoggingError& e) {
    std::printf("UNDELIVERED %zu %zu %zu %s\n", e.metrics, e.params, e.tags,
                error_code_name(e.code));
    std::fflush(stdout);
  };
  client->set_async_logging_options(async_options);
  LogMetricOptions options;
  options.synchronous = false;
  for (int i = 0; i < 1000; ++i) {
    options.step = i;
    client->log_metric(run_id, "lost", i, options);
  }
  client->log_param(run_id, "p", "v", {false});
  client->set_tag(run_id, "t", "v", {false});
  std::printf("LOGGED\n");
  std::fflush(stdout);
  if (how == "exit") {
    static_cast<void>(client.release());  // alive at exit: only the at-exit hook stops it
    std::exit(0);
  }
  return 0;  // the client's destructor stops it
}

// ---- An uncaught exception: everything stored, the run FAILED (issue 15) ---------------------

// The program's own terminate handler, installed before mlflow-cpp's: ours must chain to it.
[[noreturn]] void programs_own_terminate_handler() {
  std::printf("PROGRAM'S HANDLER\n");
  std::fflush(stdout);
  std::abort();
}

int child_throw_uncaught(const std::string& uri, int points) {
  std::set_terminate(programs_own_terminate_handler);
  set_tracking_uri(uri);
  ActiveRun run = start_run();
  std::printf("RUN %s\n", run.run_id().c_str());
  std::fflush(stdout);
  log_param("lr", "0.1", false);
  for (int i = 0; i < points; ++i) log_metric("loss", i, {std::nullopt, i, {}, {}, {}, false});
  // Nothing catches it: std::terminate without unwinding, so ActiveRun's destructor never runs.
  throw std::runtime_error("training diverged");
}

struct TerminateOutcome {
  std::string run_id;
  std::string output;
};

TerminateOutcome run_throwing_child(const std::string& uri, int points,
                                    const std::string& env = "") {
  const testing::CommandResult result =
      testing::run_command(env + " " + testing::self_executable() + " --child-throw-uncaught " +
                           uri + " " + std::to_string(points) + " 2>&1; echo \"EXIT=$?\"");
  TerminateOutcome outcome;
  outcome.output = result.output;
  const std::size_t pos = result.output.find("RUN ");
  if (pos != std::string::npos) {
    outcome.run_id = result.output.substr(pos + 4, result.output.find('\n', pos) - pos - 4);
  }
  return outcome;
}

TEST(AsyncLoggingExit, UncaughtExceptionStoresEveryPointAndEndsTheRunFailedOnBothStores) {
  const std::string db = make_temp_dir("async-terminate") + "/mlflow.db";
  for (const std::string& uri : {"sqlite:///" + db, testing::server_uri()}) {
    SCOPED_TRACE(uri);
    constexpr int kPoints = 5000;
    const TerminateOutcome child = run_throwing_child(uri, kPoints);
    ASSERT_FALSE(child.run_id.empty()) << child.output;
    // It still dies of the exception (SIGABRT), through the program's own handler.
    EXPECT_NE(child.output.find("EXIT=134"), std::string::npos) << child.output;
    EXPECT_NE(child.output.find("PROGRAM'S HANDLER"), std::string::npos) << child.output;
    MlflowClient check(uri);
    const mlflow::Run run = check.get_run(child.run_id);
    EXPECT_EQ(run.info.status, RunStatus::kFailed);
    EXPECT_EQ(run.data.params.at("lr"), "0.1");
    const std::vector<Metric> history = check.get_metric_history(child.run_id, "loss");
    ASSERT_EQ(history.size(), static_cast<std::size_t>(kPoints));
    EXPECT_EQ(history.back().step, kPoints - 1);
  }
}

TEST(AsyncLoggingExit, TheTerminateHandlerCanBeTurnedOff) {
  const std::string uri = "sqlite:///" + make_temp_dir("async-terminate-off") + "/mlflow.db";
  const TerminateOutcome child = run_throwing_child(uri, 10, "MLFLOW_CPP_TERMINATE_HANDLER=false");
  ASSERT_FALSE(child.run_id.empty()) << child.output;
  EXPECT_NE(child.output.find("EXIT=134"), std::string::npos) << child.output;
  EXPECT_NE(child.output.find("PROGRAM'S HANDLER"), std::string::npos) << child.output;
  // Without it the run stays RUNNING, as before issue 15.
  EXPECT_EQ(MlflowClient(uri).get_run(child.run_id).info.status, RunStatus::kRunning);
}

}  // namespace
}  // namespace mlflow

namespace mlflow {
// tests/async/trace_export_test.cpp
int child_trace_to_dead_server(const std::string& uri, const std::string& experiment_id, int traces,
                               int exit_timeout_ms);
}  // namespace mlflow

namespace mlflow {
// tests/async/async_journal_test.cpp's children.
int child_journal_log(const std::string& uri, const std::string& run_id, const std::string& journal,
                      const std::string& side, int points, int pause_at);
int child_journal_start(const std::string& uri, const std::string& run_id,
                        const std::string& journal);
}  // namespace mlflow

int main(int argc, char** argv) {
  if (argc == 8 && std::string(argv[1]) == "--child-journal-log") {
    return mlflow::child_journal_log(argv[2], argv[3], argv[4], argv[5], std::atoi(argv[6]),
                                     std::atoi(argv[7]));
  }
  if (argc == 5 && std::string(argv[1]) == "--child-journal-start") {
    return mlflow::child_journal_start(argv[2], argv[3], argv[4]);
  }
  if (argc == 6 && std::string(argv[1]) == "--child-trace-to-dead-server") {
    return mlflow::child_trace_to_dead_server(argv[2], argv[3], std::atoi(argv[4]),
                                              std::atoi(argv[5]));
  }
  if (argc == 4 && std::string(argv[1]) == "--child-log-and-exit") {
    return mlflow::child_log_and_exit(argv[2], argv[3]);
  }
  if (argc == 5 && std::string(argv[1]) == "--child-log-to-dead-server") {
    return mlflow::child_log_to_dead_server(argv[2], argv[3], argv[4]);
  }
  if (argc == 4 && std::string(argv[1]) == "--child-throw-uncaught") {
    return mlflow::child_throw_uncaught(argv[2], std::atoi(argv[3]));
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
