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
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client_impl.hpp"
#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "support/fault_proxy.hpp"
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

TEST(AsyncLogging, FullQueueDropsAndCountsWhenConfigured) {
  const std::string dir = make_temp_dir("async-gated");
  auto store = std::make_shared<GatedStore>(dir + "/mlflow.db", dir + "/artifacts");
  MlflowClient client = internal::make_client(store);
  const std::string run_id = new_run(client);
  AsyncLoggingOptions options;
  options.queue_capacity = 10;
  options.when_full = AsyncQueueFullPolicy::kDrop;
  client.set_async_logging_options(options);
  LogMetricOptions metric_options;
  metric_options.synchronous = false;
  client.log_metric(run_id, "m", 0, metric_options);
  store->wait_for_worker();  // the worker holds point 0 and waits at the gate
  for (int i = 1; i <= 100; ++i) {
    metric_options.step = i;
    client.log_metric(run_id, "m", i, metric_options);
  }
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.enqueued, 11u);  // point 0 and a full queue of 10
  EXPECT_EQ(stats.dropped, 90u);
  store->open();
  client.flush_async_logging();
  EXPECT_EQ(client.get_metric_history(run_id, "m").size(), 11u);
}

TEST(AsyncLogging, FullQueueBlocksByDefaultAndLosesNothing) {
  const std::string dir = make_temp_dir("async-gated");
  auto store = std::make_shared<GatedStore>(dir + "/mlflow.db", dir + "/artifacts");
  MlflowClient client = internal::make_client(store);
  const std::string run_id = new_run(client);
  AsyncLoggingOptions options;
  options.queue_capacity = 10;
  client.set_async_logging_options(options);
  LogMetricOptions metric_options;
  metric_options.synchronous = false;
  client.log_metric(run_id, "m", 0, metric_options);
  store->wait_for_worker();
  std::thread producer([&] {
    LogMetricOptions o = metric_options;
    for (int i = 1; i <= 100; ++i) {
      o.step = i;
      client.log_metric(run_id, "m", i, o);
    }
  });
  // The producer fills its queue and waits for room; the gate opening lets it finish.
  while (client.async_logging_stats().blocked == 0) std::this_thread::yield();
  store->open();
  producer.join();
  client.flush_async_logging();
  EXPECT_EQ(client.get_metric_history(run_id, "m").size(), 101u);
  EXPECT_EQ(client.async_logging_stats().dropped, 0u);
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

// Process exit drains: a child (this program, see main) logs asynchronously and returns from
// main without flushing.
TEST(AsyncLogging, ProcessExitDrainsTheQueue) {
  const std::string db = make_temp_dir("async-exit") + "/mlflow.db";
  MlflowClient client("sqlite:///" + db);
  const std::string run_id = new_run(client);
  char self[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(n, 0);
  const testing::CommandResult result = testing::run_command(
      std::string(self) + " --child-log-and-exit sqlite:///" + db + " " + run_id + " 2>&1");
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

}  // namespace
}  // namespace mlflow

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--child-log-and-exit") {
    return mlflow::child_log_and_exit(argv[2], argv[3]);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
