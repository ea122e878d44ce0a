// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Asynchronous logging's deadlines (ADR 0016) against a scripted store (an embedded store in a
// temp file whose log_batch can fail transiently or hang): flush(timeout), shutdown(timeout),
// the destructor of a client's last copy, a worker stuck in a store call, the hold's shared
// back-off through the injected sleep, and the options read from the environment. Hermetic;
// also compiled into mlflow_async_tests so that ThreadSanitizer runs it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "async/async_logger.hpp"
#include "client/client_impl.hpp"
#include "core/config.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/mlflow_client.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// An embedded store whose log_batch fails transiently (a server that is gone), hangs until
// opened ignoring every deadline (a server that accepted the connection and never answers),
// or fails transiently a given number of times first.
class ScriptedStore : public internal::SqliteTrackingStore {
 public:
  enum class Mode { kPass, kTransient, kHang };
  using SqliteTrackingStore::SqliteTrackingStore;

  void log_batch(const std::string& run_id, internal::Span<Metric> metrics,
                 internal::Span<Param> params, internal::Span<RunTag> tags) override {
    ++calls;
    if (mode.load() == Mode::kHang) {
      std::unique_lock<std::mutex> lock(mutex_);
      gate_.wait(lock, [&] { return open_; });
    }
    if (failures_left.load() > 0) {
      --failures_left;
      throw_error(ErrorCode::kTemporarilyUnavailable, "the server is gone (scripted)");
    }
    if (mode.load() == Mode::kTransient) {
      throw_error(ErrorCode::kTemporarilyUnavailable, "the server is gone (scripted)");
    }
    SqliteTrackingStore::log_batch(run_id, metrics, params, tags);
    ++stored_calls;
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    gate_.notify_all();
  }

  std::atomic<Mode> mode{Mode::kPass};
  std::atomic<int> failures_left{0};
  std::atomic<int> calls{0};
  std::atomic<int> stored_calls{0};

 private:
  std::mutex mutex_;
  std::condition_variable gate_;
  bool open_ = false;
};

// What on_error and the SDK log handler received.
struct Reports {
  std::mutex mutex;
  std::vector<AsyncLoggingError> errors;
  std::vector<std::string> log_lines;

  std::function<void(const AsyncLoggingError&)> callback() {
    return [this](const AsyncLoggingError& e) {
      std::lock_guard<std::mutex> lock(mutex);
      errors.push_back(e);
    };
  }
  AsyncLoggingError sum() {
    std::lock_guard<std::mutex> lock(mutex);
    AsyncLoggingError total;
    for (const auto& e : errors) {
      total.metrics += e.metrics;
      total.params += e.params;
      total.tags += e.tags;
    }
    return total;
  }
};

class AsyncDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = testing::make_temp_dir("async-deadline");
    store_ = std::make_shared<ScriptedStore>(dir + "/mlflow.db", dir + "/artifacts");
    MlflowClient setup = internal::make_client(store_);
    run_id_ = setup.create_run(setup.create_experiment("deadlines")).info.run_id;
    set_log_handler(
        [this](LogLevel level, const std::string& line) {
          if (level != LogLevel::kError) return;
          std::lock_guard<std::mutex> lock(reports_.mutex);
          reports_.log_lines.push_back(line);
        },
        LogLevel::kError);
  }
  void TearDown() override {
    set_log_handler({});
    store_->open();  // a worker left hanging in the store may finish now
  }

  AsyncLoggingOptions options() {
    AsyncLoggingOptions o;
    o.on_error = reports_.callback();
    return o;
  }
  static LogMetricOptions async_step(std::int64_t step) {
    LogMetricOptions o;
    o.step = step;
    o.synchronous = false;
    return o;
  }
  bool logged(const std::string& needle) {
    std::lock_guard<std::mutex> lock(reports_.mutex);
    for (const auto& line : reports_.log_lines) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  std::shared_ptr<ScriptedStore> store_;
  std::string run_id_;
  Reports reports_;
};

TEST_F(AsyncDeadlineTest, ShutdownEndsAtItsDeadlineAndReportsEveryEntryItCouldNotStore) {
  MlflowClient client = internal::make_client(store_);
  client.set_async_logging_options(options());
  store_->mode = ScriptedStore::Mode::kTransient;
  for (int i = 0; i < 100; ++i) client.log_metric(run_id_, "m", i, async_step(i));
  client.log_param(run_id_, "p", "v", {false});
  client.set_tag(run_id_, "t", "v", {false});

  const auto start = Clock::now();
  // Without a deadline the worker would hold the data for max_outage (5 minutes).
  EXPECT_FALSE(client.shutdown_async_logging(milliseconds(300)));
  std::printf("[ measured ] shutdown_async_logging(300 ms) returned after %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<milliseconds>(Clock::now() - start).count()));

  const AsyncLoggingError total = reports_.sum();
  EXPECT_EQ(total.metrics, 100u);
  EXPECT_EQ(total.params, 1u);
  EXPECT_EQ(total.tags, 1u);
  {
    std::lock_guard<std::mutex> lock(reports_.mutex);
    ASSERT_FALSE(reports_.errors.empty());
    for (const auto& e : reports_.errors) {
      EXPECT_EQ(e.code, ErrorCode::kDeadlineExceeded);
      EXPECT_EQ(e.run_id, run_id_);
      EXPECT_NE(e.reason.find("shutdown deadline"), std::string::npos) << e.reason;
      EXPECT_NE(e.reason.find("the server is gone (scripted)"), std::string::npos) << e.reason;
    }
  }
  EXPECT_TRUE(logged("Asynchronous logging lost 100 metrics, 1 params and 1 tags of run '" +
                     run_id_ + "'"));
  const AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.enqueued, 102u);
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.failed, 102u);
  EXPECT_GT(stats.resends, 0u);

  // Shut down for good: later asynchronous calls are sent at once.
  store_->mode = ScriptedStore::Mode::kPass;
  client.log_metric(run_id_, "after", 1.0, async_step(0));
  EXPECT_EQ(client.get_metric_history(run_id_, "after").size(), 1u);
  EXPECT_EQ(client.async_logging_stats().enqueued, 102u);
}

TEST_F(AsyncDeadlineTest, FlushWithTimeoutIsFalseWhileTheStoreIsDownAndTrueOnceItIsBack) {
  MlflowClient client = internal::make_client(store_);
  client.set_async_logging_options(options());
  store_->mode = ScriptedStore::Mode::kTransient;
  for (int i = 0; i < 10; ++i) client.log_metric(run_id_, "m", i, async_step(i));
  EXPECT_FALSE(client.flush_async_logging(milliseconds(100)));
  store_->mode = ScriptedStore::Mode::kPass;
  EXPECT_TRUE(client.flush_async_logging(milliseconds(60000)));
  EXPECT_EQ(client.get_metric_history(run_id_, "m").size(), 10u);
  EXPECT_TRUE(reports_.errors.empty());
  EXPECT_TRUE(client.shutdown_async_logging(milliseconds(60000)));
}

TEST_F(AsyncDeadlineTest, FlushWithTimeoutIsFalseWhenDataWasLostAndConsumesTheFailure) {
  MlflowClient client = internal::make_client(store_);
  client.set_async_logging_options(options());
  client.log_metric("0123456789abcdef0123456789abcdef", "m", 1.0, async_step(0));
  EXPECT_FALSE(client.flush_async_logging(milliseconds(60000)));
  EXPECT_EQ(reports_.sum().metrics, 1u);
  EXPECT_NO_THROW(client.flush_async_logging());  // reported once
}

TEST_F(AsyncDeadlineTest, AWorkerStuckInAStoreCallIsAbandonedAtTheDeadline) {
  MlflowClient client = internal::make_client(store_);
  client.set_async_logging_options(options());
  store_->mode = ScriptedStore::Mode::kHang;
  for (int i = 0; i < 50; ++i) client.log_metric(run_id_, "m", i, async_step(i));
  while (store_->calls.load() == 0) std::this_thread::sleep_for(milliseconds(1));

  EXPECT_FALSE(client.shutdown_async_logging(milliseconds(200)));
  {
    std::lock_guard<std::mutex> lock(reports_.mutex);
    ASSERT_EQ(reports_.errors.size(), 1u);
    const AsyncLoggingError& e = reports_.errors[0];
    EXPECT_EQ(e.run_id, "");  // the caller cannot see which runs the stuck worker held
    EXPECT_EQ(e.metrics, 50u);
    EXPECT_EQ(e.code, ErrorCode::kDeadlineExceeded);
    EXPECT_NE(e.reason.find("still waiting for the store"), std::string::npos) << e.reason;
  }
  EXPECT_TRUE(logged("Asynchronous logging lost 50 metrics, 0 params and 0 tags (of several"));
  EXPECT_EQ(client.async_logging_stats().failed, 50u);
  // Nothing waits for the stuck worker any more: the run can end while it is still stuck.
  client.set_terminated(run_id_);
  EXPECT_EQ(client.get_run(run_id_).info.status, RunStatus::kFinished);

  // When the store call returns at last, the abandoned worker counts and reports nothing more.
  store_->open();
  while (store_->stored_calls.load() == 0) std::this_thread::sleep_for(milliseconds(1));
  const AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.failed, 50u);
  EXPECT_EQ(reports_.errors.size(), 1u);
}

TEST_F(AsyncDeadlineTest, TheLastClientsDestructorWaitsNoLongerThanTheExitTimeout) {
  store_->mode = ScriptedStore::Mode::kTransient;
  const auto start = Clock::now();
  {
    MlflowClient client = internal::make_client(store_);
    AsyncLoggingOptions o = options();
    o.exit_timeout = milliseconds(300);
    client.set_async_logging_options(o);
    for (int i = 0; i < 20; ++i) client.log_metric(run_id_, "m", i, async_step(i));
    MlflowClient copy = client;  // the logger goes with the last copy
  }
  std::printf("[ measured ] destructor with exit_timeout 300 ms returned after %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<milliseconds>(Clock::now() - start).count()));
  EXPECT_EQ(reports_.sum().metrics, 20u);
  EXPECT_TRUE(logged("Asynchronous logging lost 20 metrics"));
}

TEST_F(AsyncDeadlineTest, HeldRequestsWaitOnTheSharedBackoffThroughTheInjectedSleep) {
  std::vector<milliseconds> sleeps;
  std::mutex sleeps_mutex;
  internal::RetryHooks hooks;
  hooks.sleep = [&](milliseconds d) {
    std::lock_guard<std::mutex> lock(sleeps_mutex);
    sleeps.push_back(d);
  };
  hooks.random = [] { return 0.0; };
  auto logger = internal::AsyncLogger::start(store_, options(), {}, hooks);
  store_->failures_left = 3;
  ASSERT_TRUE(logger->log_metric(run_id_, "m", 1.0, 1700000000000, LogMetricOptions{}));
  logger->flush();
  {
    std::lock_guard<std::mutex> lock(sleeps_mutex);
    EXPECT_EQ(sleeps,
              (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)}));
  }
  const AsyncLoggingStats stats = logger->stats();
  EXPECT_EQ(stats.resends, 3u);
  EXPECT_EQ(stats.sent, 1u);
  EXPECT_TRUE(logger->shutdown(milliseconds(60000)));
}

TEST_F(AsyncDeadlineTest, BufferingDoesNotHoldUpAFlush) {
  MlflowClient client = internal::make_client(store_);
  AsyncLoggingOptions o = options();
  o.buffering = std::chrono::hours(1);
  client.set_async_logging_options(o);
  for (int i = 0; i < 3; ++i) client.log_metric(run_id_, "m", i, async_step(i));
  EXPECT_TRUE(client.flush_async_logging(milliseconds(60000)));
  EXPECT_EQ(client.get_metric_history(run_id_, "m").size(), 3u);
  EXPECT_TRUE(client.shutdown_async_logging(milliseconds(60000)));
}

// ---- Options: explicit > environment > default ----------------------------------------------

internal::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(AsyncLoggingOptionsTest, ExitTimeoutAndBufferingComeFromTheEnvironmentUnlessSet) {
  const AsyncLoggingOptions defaults = internal::resolve_async_logging_options({}, env_of({}));
  EXPECT_EQ(*defaults.exit_timeout, milliseconds(30000));
  EXPECT_EQ(*defaults.buffering, milliseconds(0));

  const auto env = env_of({{"MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT", "2.5"},
                           {"MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "2"}});
  const AsyncLoggingOptions from_env = internal::resolve_async_logging_options({}, env);
  EXPECT_EQ(*from_env.exit_timeout, milliseconds(2500));
  EXPECT_EQ(*from_env.buffering, milliseconds(2000));

  AsyncLoggingOptions explicit_options;
  explicit_options.exit_timeout = milliseconds(100);
  explicit_options.buffering = milliseconds(0);
  const AsyncLoggingOptions resolved =
      internal::resolve_async_logging_options(explicit_options, env);
  EXPECT_EQ(*resolved.exit_timeout, milliseconds(100));
  EXPECT_EQ(*resolved.buffering, milliseconds(0));
}

TEST(AsyncLoggingOptionsTest, BadValuesAreRefusedNamingTheVariable) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT", "soon"},
           {"MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT", "-1"},
           {"MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "1.5"},  // Python reads it with int()
       }) {
    try {
      internal::resolve_async_logging_options({}, env_of({{name, value}}));
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  AsyncLoggingOptions negative;
  negative.exit_timeout = milliseconds(-1);
  EXPECT_THROW(internal::resolve_async_logging_options(negative, env_of({})), InvalidArgument);
  AsyncLoggingOptions empty_queue;
  empty_queue.queue_capacity = 0;
  EXPECT_THROW(internal::resolve_async_logging_options(empty_queue, env_of({})), InvalidArgument);
}

TEST(AsyncLoggingOptionsTest, EnableSwitchIsReadAsPythonReadsItAndAnExplicitOptionWins) {
  ClientOptions options;
  options.tracking_uri = "sqlite:///unused.db";
  EXPECT_TRUE(internal::resolve_config(options, env_of({{"MLFLOW_ENABLE_ASYNC_LOGGING", "TRUE"}}))
                  .async_logging);
  EXPECT_FALSE(internal::resolve_config(options, env_of({})).async_logging);
  // Python's _BooleanEnvironmentVariable refuses anything but true/false/1/0.
  EXPECT_THROW(internal::resolve_config(options, env_of({{"MLFLOW_ENABLE_ASYNC_LOGGING", "yes"}})),
               InvalidArgument);
  options.async_logging = false;
  EXPECT_FALSE(internal::resolve_config(options, env_of({{"MLFLOW_ENABLE_ASYNC_LOGGING", "1"}}))
                   .async_logging);
}

}  // namespace
}  // namespace mlflow
