// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Retries and timeouts against the real MLflow server behind a fault-injecting proxy
// (connection resets before and after the server processed a request, 503 with Retry-After,
// stalled answers, the server dropping out for a while): nothing is lost or duplicated, and
// the final error after exhausted retries says what happened.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "mlflow/mlflow.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using testing::FaultAction;
using testing::FaultProxy;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr const char* kLogBatch = "/api/2.0/mlflow/runs/log-batch";
constexpr const char* kLogMetric = "/api/2.0/mlflow/runs/log-metric";
constexpr const char* kGetRun = "/api/2.0/mlflow/runs/get";
constexpr const char* kCreateRun = "/api/2.0/mlflow/runs/create";

// Short backoff so retries take milliseconds, not the default minutes.
ClientOptions fast_retry_options(const std::string& uri) {
  ClientOptions o;
  o.tracking_uri = uri;
  o.max_retries = 3;
  o.backoff_factor = 0.05;
  o.backoff_jitter = 0.0;
  o.timeout = std::chrono::milliseconds(2000);
  return o;
}

std::vector<Metric> points(int n, const std::string& key = "loss") {
  std::vector<Metric> out;
  for (int i = 0; i < n; ++i) out.push_back({key, 0.5 + i, 1718000000000 + i, i});
  return out;
}

// Captures the SDK's debug log for the lifetime of the object.
class LogCapture {
 public:
  LogCapture() {
    set_log_handler(
        [this](LogLevel, const std::string& line) {
          std::lock_guard<std::mutex> lock(mutex_);
          text_ += line + "\n";
        },
        LogLevel::kDebug);
  }
  ~LogCapture() { set_log_handler(nullptr); }
  std::string text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

class RetryFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    proxy_ = std::make_unique<FaultProxy>(testing::server_uri());
    client_ = std::make_unique<MlflowClient>(fast_retry_options(proxy_->url()));
    experiment_id_ = client_->create_experiment(testing::unique_name("retry"));
    run_id_ = client_->create_run(experiment_id_).info.run_id;
    proxy_->reset_counts();
  }
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<MlflowClient> client_;
  std::string experiment_id_;
  std::string run_id_;
};

TEST_F(RetryFaultTest, ResetBeforeTheServerSawTheBatchIsRetriedAndNothingIsLost) {
  proxy_->script(kLogBatch, FaultAction::reset_before(), 2);
  client_->log_batch(run_id_, points(3000));  // three requests, the first one reset twice
  EXPECT_EQ(proxy_->count(kLogBatch), 5);
  const auto history = MlflowClient(testing::server_uri()).get_metric_history(run_id_, "loss");
  ASSERT_EQ(history.size(), 3000u);
  for (int i = 0; i < 3000; ++i) EXPECT_EQ(history[i].step, i);
}

TEST_F(RetryFaultTest, ResetAfterTheServerProcessedTheBatchLeavesNoDuplicates) {
  proxy_->script(kLogBatch, FaultAction::reset_after(), 1);
  // 998 metrics + 1 param + 1 tag = 1000 items: exactly one request, sent twice.
  client_->log_batch(run_id_, points(998), {{"lr", "0.1"}}, {{"phase", "train"}});
  EXPECT_EQ(proxy_->count(kLogBatch), 2);
  MlflowClient direct(testing::server_uri());
  EXPECT_EQ(direct.get_metric_history(run_id_, "loss").size(), 998u);  // deduplicated
  const mlflow::Run run = direct.get_run(run_id_);
  EXPECT_EQ(run.data.params.at("lr"), "0.1");
  EXPECT_EQ(run.data.tags.at("phase"), "train");
}

TEST_F(RetryFaultTest, ServiceUnavailableWithRetryAfterIsWaitedOutAndRetried) {
  LogCapture log;
  proxy_->script(kLogMetric,
                 FaultAction::respond(503, "overloaded",
                                      {{"Retry-After", "1"}, {"Content-Type", "text/plain"}}),
                 1);
  client_->log_metric(run_id_, "acc", 0.9);
  EXPECT_EQ(proxy_->count(kLogMetric), 2);
  EXPECT_THAT(log.text(), HasSubstr("-> 503, retrying in 1.000 s"));  // Retry-After, not backoff
  EXPECT_EQ(MlflowClient(testing::server_uri()).get_run(run_id_).data.metrics.at("acc"), 0.9);
}

TEST_F(RetryFaultTest, StalledAnswerTimesOutAndTheReadIsRetried) {
  proxy_->script(kGetRun, FaultAction::stall(4000ms), 1);
  EXPECT_EQ(client_->get_run(run_id_).info.run_id, run_id_);
  EXPECT_EQ(proxy_->count(kGetRun), 2);
}

TEST_F(RetryFaultTest, StalledCreateRunIsNotRepeatedSoNoDuplicateRun) {
  // The proxy forwards the create after 3 s: the server creates the run, but the client has
  // given up at 2 s. A create is not safe to repeat, so exactly one run must exist.
  proxy_->script(kCreateRun, FaultAction::stall(3000ms), 1);
  try {
    client_->create_run(experiment_id_);
    FAIL() << "expected a timeout";
  } catch (const DeadlineExceeded& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("not retried"));
    EXPECT_THAT(std::string(e.what()), HasSubstr(kCreateRun));
  }
  EXPECT_EQ(proxy_->count(kCreateRun), 1);
  MlflowClient direct(testing::server_uri());
  // Wait (bounded) for the stalled create to reach the server, then count the runs.
  for (int i = 0; i < 100 && direct.search_runs({experiment_id_}).size() < 2; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(direct.search_runs({experiment_id_}).size(), 2u);  // SetUp's run + the stalled one
}

TEST_F(RetryFaultTest, ExhaustedRetriesOnA503SayWhatHappened) {
  proxy_->script(kGetRun,
                 FaultAction::respond(503, "<html>upstream overloaded</html>",
                                      {{"Content-Type", "text/html"}}),
                 4);
  try {
    client_->get_run(run_id_);
    FAIL() << "expected Unavailable";
  } catch (const Unavailable& e) {
    EXPECT_EQ(e.http_status(), 503);
    const std::string msg = e.what();
    EXPECT_THAT(msg, HasSubstr(kGetRun));
    EXPECT_THAT(msg, HasSubstr("503"));
    EXPECT_THAT(msg, HasSubstr("upstream overloaded"));
  }
  EXPECT_EQ(proxy_->count(kGetRun), 4);  // 1 + max_retries
}

TEST_F(RetryFaultTest, ServerGoneForGoodGivesUnavailableNamingTheUrlAndAttempts) {
  proxy_->go_down();
  try {
    client_->get_run(run_id_);
    FAIL() << "expected Unavailable";
  } catch (const Unavailable& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.http_status(), 0);
    EXPECT_THAT(msg, HasSubstr(proxy_->url()));
    EXPECT_THAT(msg, HasSubstr("4 attempts"));
    EXPECT_THAT(msg, HasSubstr("Check that the MLflow server is running"));
  }
  proxy_->come_back();
}

TEST_F(RetryFaultTest, ServerDroppedForAWhileMidLoggingLosesNothing) {
  ClientOptions patient = fast_retry_options(proxy_->url());
  patient.backoff_factor = 0.5;  // waits 0, 1, 2, 4 s: rides out a 1.5 s outage
  patient.max_retries = 5;
  MlflowClient client(patient);
  for (int step = 0; step < 40; ++step) {
    if (step == 10) proxy_->go_down_for(1500ms);
    LogMetricOptions o;
    o.step = step;
    o.timestamp = 1718000000000 + step;
    client.log_metric(run_id_, "drop", step * 0.25, o);
  }
  const auto history = MlflowClient(testing::server_uri()).get_metric_history(run_id_, "drop");
  ASSERT_EQ(history.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(history[i].value, i * 0.25);
}

}  // namespace
}  // namespace mlflow
