// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// RestTrackingStore and RestClient against a recording fake transport: exact request shapes
// (method, URL, query string, headers, JSON body) and the mapping of every kind of answer.
#include "rest/rest_tracking_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>

#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/version.hpp"
#include "rest/rest_client.hpp"
#include "support/fake_transport.hpp"
#include "support/files.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/throws_mlflow.hpp"
#include "transport/transport_config.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;

constexpr const char* kUri = "http://127.0.0.1:5000/prefix";
constexpr const char* kApi = "http://127.0.0.1:5000/prefix/api/2.0/mlflow/";

ResolvedConfig test_config() {
  ResolvedConfig config;
  config.tracking_uri = kUri;
  config.retry.max_retries = 0;
  return config;
}

class RestStoreTest : public ::testing::Test {
 protected:
  RestStoreTest() : transport_(std::make_shared<testing::FakeTransport>()) {}
  RestTrackingStore make(ResolvedConfig config = test_config()) {
    return RestTrackingStore(config, transport_, testing::no_wait_retry_hooks());
  }
  const HttpRequest& only_request() const {
    EXPECT_EQ(transport_->requests.size(), 1u);
    return transport_->requests.back();
  }
  Json body() const { return Json::parse(only_request().body); }

  std::shared_ptr<testing::FakeTransport> transport_;
};

// ---- request shapes ----

TEST_F(RestStoreTest, LogBatchSendsNonFiniteAsQuotedStringsAndInt64AsNumbers) {
  auto store = make();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  store.log_batch("r1",
                  {Metric{"loss", 0.25, 1718000001000, 1, {}, {}, {}, {}},
                   Metric{"loss", nan, 1718000002000, 9007199254740993LL, {}, {}, {}, {}},
                   Metric{"up", inf, 3, 0, {}, {}, {}, {}},
                   Metric{"down", -inf, 4, 0, std::string("m-1"), {}, {}, {}},
                   Metric{"max", 1.7976931348623157e308, 5, 0, {}, {}, {}, {}}},
                  {Param{"lr", "0.01"}}, {RunTag{"phase", "train"}});
  const HttpRequest& r = only_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, std::string(kApi) + "runs/log-batch");
  EXPECT_EQ(testing::request_header(r, "Content-Type"),
            std::optional<std::string>("application/json"));
  // Same document (key order is not significant in JSON) ...
  EXPECT_EQ(Json::parse(r.body),
            Json::parse(
                R"({"metrics":[{"key":"loss","step":1,"timestamp":1718000001000,"value":0.25},)"
                R"({"key":"loss","step":9007199254740993,"timestamp":1718000002000,"value":"NaN"},)"
                R"({"key":"up","step":0,"timestamp":3,"value":"Infinity"},)"
                R"({"key":"down","model_id":"m-1","step":0,"timestamp":4,"value":"-Infinity"},)"
                R"({"key":"max","step":0,"timestamp":5,"value":1.7976931348623157e+308}],)"
                R"("params":[{"key":"lr","value":"0.01"}],"run_id":"r1",)"
                R"("tags":[{"key":"phase","value":"train"}]})"));
  // ... and the exact wire tokens: quoted non-finite values, int64 as bare numbers, no run_id
  // on metrics.
  for (const char* token : {R"("value":"NaN")", R"("value":"Infinity")", R"("value":"-Infinity")",
                            R"("step":9007199254740993)", R"("value":1.7976931348623157e+308)",
                            R"("timestamp":1718000001000)"}) {
    EXPECT_NE(r.body.find(token), std::string::npos) << token;
  }
}

TEST_F(RestStoreTest, LogBatchOmitsEmptyLists) {
  auto store = make();
  store.log_batch("r1", {}, {Param{"a", "b"}}, {});
  EXPECT_EQ(body(), Json::parse(R"({"run_id":"r1","params":[{"key":"a","value":"b"}]})"));
}

TEST_F(RestStoreTest, MetricHistoryIsAGetWithRunUuidAndMaxResults) {
  auto store = make();
  transport_->reply(200, R"({"metrics":[{"key":"loss x","value":"NaN","timestamp":1,"step":2}],
                             "next_page_token":"next"})");
  const PagedList<Metric> page = store.get_metric_history_page("r1", "loss x", 25000, "tok==");
  const HttpRequest& r = only_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, std::string(kApi) +
                       "metrics/get-history?run_id=r1&run_uuid=r1&metric_key=loss%20x&"
                       "max_results=25000&page_token=tok%3D%3D");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(testing::request_header(r, "Content-Type").has_value());
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(std::isnan(page.items[0].value));
  EXPECT_EQ(page.items[0].step, 2);
  EXPECT_EQ(page.token, "next");
}

TEST_F(RestStoreTest, FirstHistoryPageSendsNoPageToken) {
  auto store = make();
  const auto page = store.get_metric_history_page("r1", "loss", 10, "");
  EXPECT_EQ(only_request().url,
            std::string(kApi) +
                "metrics/get-history?run_id=r1&run_uuid=r1&metric_key=loss&max_results=10");
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.has_next_page());
}

TEST_F(RestStoreTest, BulkIntervalRepeatsRunIds) {
  auto store = make();
  transport_->reply(200,
                    R"({"metrics":[{"key":"m","value":1.5,"timestamp":1,"step":0,"run_id":"a"}]})");
  MetricHistoryBulkIntervalOptions options;
  options.start_step = 0;
  options.end_step = 10;
  options.max_results = 100;
  const auto metrics = store.get_metric_history_bulk_interval({"a", "b"}, "m", options);
  EXPECT_EQ(only_request().method, "GET");
  EXPECT_EQ(only_request().url, std::string(kApi) +
                                    "metrics/get-history-bulk-interval?run_ids=a&run_ids=b&"
                                    "metric_key=m&start_step=0&end_step=10&max_results=100");
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(metrics[0].run_id, std::optional<std::string>("a"));
}

TEST_F(RestStoreTest, HeadersCarryAuthWorkspaceAndCustomButNoOrigin) {
  ResolvedConfig config = test_config();
  config.authorization = "Bearer s3cret-token";
  config.headers = {{"X-Gateway-Route", "blue"}};
  config.workspace = "team-a";
  config.timeout = std::chrono::milliseconds(4321);
  auto store = make(config);
  // A workspace is first checked against the server's server-info (tests/unit/workspace_test).
  transport_->reply(200, R"({"workspaces_enabled":true})");
  store.delete_run("r1");
  ASSERT_EQ(transport_->requests.size(), 2u);
  const HttpRequest& r = transport_->requests.back();
  EXPECT_EQ(testing::request_header(r, "Authorization"),
            std::optional<std::string>("Bearer s3cret-token"));
  EXPECT_EQ(testing::request_header(r, "X-Gateway-Route"), std::optional<std::string>("blue"));
  EXPECT_EQ(testing::request_header(r, "X-MLFLOW-WORKSPACE"), std::optional<std::string>("team-a"));
  EXPECT_EQ(testing::request_header(r, "Accept"), std::optional<std::string>("application/json"));
  EXPECT_EQ(testing::request_header(r, "Content-Type"),
            std::optional<std::string>("application/json"));
  EXPECT_FALSE(testing::request_header(r, "Origin").has_value());
  EXPECT_FALSE(testing::request_header(r, "X-MLflow-Client-Version").has_value());
  EXPECT_EQ(r.timeout, std::chrono::milliseconds(4321));
}

TEST_F(RestStoreTest, NoAuthorizationOrWorkspaceHeaderWhenUnset) {
  auto store = make();
  store.get_metric_history_page("r", "k", 1, "");
  EXPECT_FALSE(testing::request_header(only_request(), "Authorization").has_value());
  EXPECT_FALSE(testing::request_header(only_request(), "X-MLFLOW-WORKSPACE").has_value());
}

TEST_F(RestStoreTest, CustomHeaderReplacesSameNamedDefault) {
  ResolvedConfig config = test_config();
  config.authorization = "Basic abc";
  config.headers = {{"authorization", "Custom xyz"}};
  auto store = make(config);
  store.delete_run("r1");
  int count = 0;
  for (const auto& h : only_request().headers) {
    if (h.first == "Authorization" || h.first == "authorization") ++count;
  }
  EXPECT_EQ(count, 1);
  EXPECT_EQ(testing::request_header(only_request(), "Authorization"),
            std::optional<std::string>("Custom xyz"));
}

TEST_F(RestStoreTest, TrailingSlashOfTrackingUriIsIgnored) {
  ResolvedConfig config = test_config();
  config.tracking_uri = "http://127.0.0.1:5000/";
  auto store = make(config);
  store.delete_run("r1");
  EXPECT_EQ(only_request().url, "http://127.0.0.1:5000/api/2.0/mlflow/runs/delete");
}

TEST_F(RestStoreTest, CreateExperimentShape) {
  auto store = make();
  transport_->reply(200, R"({"experiment_id": "7"})");
  EXPECT_EQ(store.create_experiment("exp", std::string("s3://b/p"), {ExperimentTag{"t", "v"}}),
            "7");
  EXPECT_EQ(only_request().url, std::string(kApi) + "experiments/create");
  EXPECT_EQ(body(), Json::parse(R"({"name":"exp","artifact_location":"s3://b/p",
                                   "tags":[{"key":"t","value":"v"}]})"));
}

TEST_F(RestStoreTest, CreateExperimentMinimal) {
  auto store = make();
  transport_->reply(200, R"({"experiment_id": "8"})");
  EXPECT_EQ(store.create_experiment("exp", std::nullopt, {}), "8");
  EXPECT_EQ(body(), Json::parse(R"({"name":"exp"})"));
}

TEST_F(RestStoreTest, GetExperimentShape) {
  auto store = make();
  transport_->reply(200, R"({"experiment":{"experiment_id":"0","name":"Default",
      "artifact_location":"mlflow-artifacts:/0","lifecycle_stage":"active",
      "last_update_time":1795351515412,"creation_time":1795351515412,"workspace":"default"}})");
  const Experiment e = store.get_experiment("0");
  EXPECT_EQ(only_request().method, "GET");
  EXPECT_EQ(only_request().url, std::string(kApi) + "experiments/get?experiment_id=0");
  EXPECT_EQ(e.name, "Default");
  EXPECT_EQ(e.creation_time, std::optional<std::int64_t>(1795351515412));
}

TEST_F(RestStoreTest, GetExperimentByNameEncodesTheName) {
  auto store = make();
  transport_->reply(200, R"({"experiment":{"experiment_id":"3","name":"a b/c&d"}})");
  const auto e = store.get_experiment_by_name("a b/c&d");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->experiment_id, "3");
  EXPECT_EQ(only_request().url,
            std::string(kApi) + "experiments/get-by-name?experiment_name=a%20b%2Fc%26d");
}

TEST_F(RestStoreTest, GetExperimentByNameGivesNulloptOnResourceDoesNotExist) {
  auto store = make();
  // Verbatim answer of a 3.18 server.
  transport_->reply(404, R"({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Could not find )"
                         R"(experiment with name 'nope'", "sqlstate": "KAM00", "error_class": )"
                         R"("RESOURCE_NOT_FOUND"})");
  EXPECT_FALSE(store.get_experiment_by_name("nope").has_value());
}

TEST_F(RestStoreTest, GetExperimentByNameStillThrowsForAnUnknownEndpoint) {
  auto store = make();
  transport_->reply(404, "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>",
                    "text/html; charset=utf-8");
  EXPECT_THAT([&] { store.get_experiment_by_name("x"); },
              testing::ThrowsMlflowAs<NotFound>(ErrorCode::kEndpointNotFound));
}

TEST_F(RestStoreTest, SearchExperimentsAlwaysSendsMaxResults) {
  auto store = make();
  transport_->reply(200, R"({"experiments":[{"experiment_id":"1","name":"e","tags":[
      {"key":"team","value":"ml"}]}],"next_page_token":"eyJvZmZzZXQiOiAxfQ=="})");
  SearchExperimentsOptions options;
  const auto page = store.search_experiments(options);
  EXPECT_EQ(only_request().method, "POST");
  EXPECT_EQ(only_request().url, std::string(kApi) + "experiments/search");
  EXPECT_EQ(body(), Json::parse(R"({"max_results":1000,"view_type":"ACTIVE_ONLY"})"));
  EXPECT_TRUE(body()["max_results"].is_number_integer());
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].tags.at("team"), "ml");
  EXPECT_EQ(page.token, "eyJvZmZzZXQiOiAxfQ==");
}

TEST_F(RestStoreTest, SearchExperimentsWithEveryOption) {
  auto store = make();
  SearchExperimentsOptions options;
  options.view_type = ViewType::kAll;
  options.max_results = 5;
  options.filter_string = "name LIKE 'a%'";
  options.order_by = {"name ASC", "experiment_id DESC"};
  options.page_token = "tok";
  const auto page = store.search_experiments(options);
  EXPECT_EQ(body(), Json::parse(R"({"max_results":5,"view_type":"ALL","filter":"name LIKE 'a%'",
      "order_by":["name ASC","experiment_id DESC"],"page_token":"tok"})"));
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.has_next_page());
}

TEST_F(RestStoreTest, ExperimentWritesShapes) {
  auto store = make();
  store.rename_experiment("1", "new");
  store.delete_experiment("1");
  store.restore_experiment("1");
  store.set_experiment_tag("1", ExperimentTag{"k", "v"});
  store.delete_experiment_tag("1", "k");
  const auto& rs = transport_->requests;
  ASSERT_EQ(rs.size(), 5u);
  for (const auto& r : rs) EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(rs[0].url, std::string(kApi) + "experiments/update");
  EXPECT_EQ(Json::parse(rs[0].body), Json::parse(R"({"experiment_id":"1","new_name":"new"})"));
  EXPECT_EQ(rs[1].url, std::string(kApi) + "experiments/delete");
  EXPECT_EQ(Json::parse(rs[1].body), Json::parse(R"({"experiment_id":"1"})"));
  EXPECT_EQ(rs[2].url, std::string(kApi) + "experiments/restore");
  EXPECT_EQ(Json::parse(rs[2].body), Json::parse(R"({"experiment_id":"1"})"));
  EXPECT_EQ(rs[3].url, std::string(kApi) + "experiments/set-experiment-tag");
  EXPECT_EQ(Json::parse(rs[3].body), Json::parse(R"({"experiment_id":"1","key":"k","value":"v"})"));
  EXPECT_EQ(rs[4].url, std::string(kApi) + "experiments/delete-experiment-tag");
  EXPECT_EQ(Json::parse(rs[4].body), Json::parse(R"({"experiment_id":"1","key":"k"})"));
}

TEST_F(RestStoreTest, CreateRunShapeAndRealAnswer) {
  auto store = make();
  // Verbatim answer of a 3.18 server (no "outputs" in a create answer).
  transport_->reply(200, R"({
  "run": {
    "info": {
      "run_uuid": "d9881f3ffdfc4a5b9a15adaf9055630d",
      "experiment_id": "1",
      "run_name": "my-run",
      "user_id": "alice",
      "status": "RUNNING",
      "start_time": 1718000000000,
      "artifact_uri": "mlflow-artifacts:/1/d9881f3ffdfc4a5b9a15adaf9055630d/artifacts",
      "lifecycle_stage": "active",
      "run_id": "d9881f3ffdfc4a5b9a15adaf9055630d"
    },
    "data": {
      "tags": [
        {
          "key": "mlflow.user",
          "value": "alice"
        },
        {
          "key": "mlflow.runName",
          "value": "my-run"
        }
      ]
    },
    "inputs": {}
  }
})");
  CreateRunRequest request;
  request.experiment_id = "1";
  request.user_id = "alice";
  request.start_time = 1718000000000;
  request.run_name = "my-run";
  request.tags = {RunTag{"mlflow.user", "alice"}};
  const mlflow::Run run = store.create_run(request);
  EXPECT_EQ(only_request().url, std::string(kApi) + "runs/create");
  EXPECT_EQ(only_request().body,
            R"({"experiment_id":"1","run_name":"my-run","start_time":1718000000000,)"
            R"("tags":[{"key":"mlflow.user","value":"alice"}],"user_id":"alice"})");
  EXPECT_EQ(run.info.run_id, "d9881f3ffdfc4a5b9a15adaf9055630d");
  EXPECT_EQ(run.data.tags.at("mlflow.runName"), "my-run");
  EXPECT_TRUE(run.data.metrics.empty());
}

TEST_F(RestStoreTest, CreateRunWithoutNameOrTags) {
  auto store = make();
  transport_->reply(200, R"({"run":{"info":{"run_id":"r"}}})");
  CreateRunRequest request;
  request.experiment_id = "0";
  request.user_id = "unknown";
  request.start_time = 5;
  store.create_run(request);
  EXPECT_EQ(body(), Json::parse(R"({"experiment_id":"0","user_id":"unknown","start_time":5})"));
}

TEST_F(RestStoreTest, GetRunSendsRunIdAndRunUuid) {
  auto store = make();
  transport_->reply(200, R"({"run":{"info":{"run_id":"r1","status":"FAILED"},
      "data":{"metrics":[{"key":"m","value":"Infinity","timestamp":1,"step":0}]},
      "inputs":{},"outputs":{}}})");
  const mlflow::Run run = store.get_run("r1");
  EXPECT_EQ(only_request().method, "GET");
  EXPECT_EQ(only_request().url, std::string(kApi) + "runs/get?run_id=r1&run_uuid=r1");
  EXPECT_EQ(run.info.status, RunStatus::kFailed);
  EXPECT_EQ(run.data.metrics.at("m"), std::numeric_limits<double>::infinity());
}

TEST_F(RestStoreTest, AnswerWithoutTheExpectedObjectIsAnError) {
  auto store = make();
  transport_->reply(200, "{}");
  EXPECT_THROW(store.get_run("r1"), MlflowException);
}

TEST_F(RestStoreTest, UpdateRunSendsRunUuidAndOnlyGivenFields) {
  auto store = make();
  transport_->reply(200,
                    R"({"run_info":{"run_id":"r1","status":"FINISHED","end_time":1718000100000}})");
  const RunInfo info =
      store.update_run_info("r1", RunStatus::kFinished, 1718000100000, std::nullopt);
  EXPECT_EQ(only_request().url, std::string(kApi) + "runs/update");
  EXPECT_EQ(only_request().body,
            R"({"end_time":1718000100000,"run_id":"r1","run_uuid":"r1","status":"FINISHED"})");
  EXPECT_EQ(info.end_time, std::optional<std::int64_t>(1718000100000));

  transport_->requests.clear();
  transport_->reply(200, R"({"run_info":{"run_id":"r1"}})");
  store.update_run_info("r1", std::nullopt, std::nullopt, std::string("renamed"));
  EXPECT_EQ(body(), Json::parse(R"({"run_id":"r1","run_uuid":"r1","run_name":"renamed"})"));
}

TEST_F(RestStoreTest, RunWritesShapes) {
  auto store = make();
  store.delete_run("r1");
  store.restore_run("r1");
  store.log_metric("r1", Metric{"m",
                                std::numeric_limits<double>::quiet_NaN(),
                                10,
                                3,
                                std::string("m-1"),
                                std::string("ds"),
                                std::string("dg"),
                                {}});
  store.log_param("r1", Param{"p", "v"});
  store.set_tag("r1", RunTag{"t", "v"});
  store.delete_tag("r1", "t");
  const auto& rs = transport_->requests;
  ASSERT_EQ(rs.size(), 6u);
  for (const auto& r : rs) EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(rs[0].url, std::string(kApi) + "runs/delete");
  EXPECT_EQ(Json::parse(rs[0].body), Json::parse(R"({"run_id":"r1"})"));
  EXPECT_EQ(rs[1].url, std::string(kApi) + "runs/restore");
  EXPECT_EQ(Json::parse(rs[1].body), Json::parse(R"({"run_id":"r1"})"));
  EXPECT_EQ(rs[2].url, std::string(kApi) + "runs/log-metric");
  EXPECT_EQ(rs[2].body, R"({"dataset_digest":"dg","dataset_name":"ds","key":"m","model_id":"m-1",)"
                        R"("run_id":"r1","run_uuid":"r1","step":3,"timestamp":10,"value":"NaN"})");
  EXPECT_EQ(rs[3].url, std::string(kApi) + "runs/log-parameter");
  EXPECT_EQ(Json::parse(rs[3].body),
            Json::parse(R"({"run_id":"r1","run_uuid":"r1","key":"p","value":"v"})"));
  EXPECT_EQ(rs[4].url, std::string(kApi) + "runs/set-tag");
  EXPECT_EQ(Json::parse(rs[4].body),
            Json::parse(R"({"run_id":"r1","run_uuid":"r1","key":"t","value":"v"})"));
  EXPECT_EQ(rs[5].url, std::string(kApi) + "runs/delete-tag");
  EXPECT_EQ(Json::parse(rs[5].body), Json::parse(R"({"run_id":"r1","key":"t"})"));
}

TEST_F(RestStoreTest, SearchRunsIsAPostWithEveryField) {
  auto store = make();
  transport_->reply(200, testing::recorded_server_json("search_runs"));
  SearchRunsOptions options;
  options.filter_string = "metrics.loss < 1";
  options.run_view_type = ViewType::kAll;
  options.max_results = 1;
  options.order_by = {"start_time DESC"};
  options.page_token = "p";
  const PagedList<mlflow::Run> page = store.search_runs({"1", "2"}, options);
  EXPECT_EQ(only_request().method, "POST");
  EXPECT_EQ(only_request().url, std::string(kApi) + "runs/search");
  EXPECT_EQ(body(), Json::parse(R"({"experiment_ids":["1","2"],"filter":"metrics.loss < 1",
      "run_view_type":"ALL","max_results":1,"order_by":["start_time DESC"],"page_token":"p"})"));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.run_name, "second");
  EXPECT_EQ(page.token, "eyJvZmZzZXQiOiAxfQ==");
}

TEST_F(RestStoreTest, SearchRunsDefaults) {
  auto store = make();
  store.search_runs({"0"}, SearchRunsOptions{});
  EXPECT_EQ(
      body(),
      Json::parse(R"({"experiment_ids":["0"],"run_view_type":"ACTIVE_ONLY","max_results":1000})"));
}

TEST_F(RestStoreTest, LogInputsShape) {
  auto store = make();
  DatasetInput in;
  in.dataset = Dataset{"ds", "abc", "local", "{}", {}, std::string("{\"rows\":3}")};
  in.tags = {InputTag{"mlflow.data.context", "training"}};
  store.log_inputs("r1", {in}, {ModelInput{"m-1"}});
  EXPECT_EQ(only_request().url, std::string(kApi) + "runs/log-inputs");
  EXPECT_EQ(body(), Json::parse(R"({"run_id":"r1","datasets":[{"tags":[{"key":"mlflow.data.context",
      "value":"training"}],"dataset":{"name":"ds","digest":"abc","source_type":"local",
      "source":"{}","profile":"{\"rows\":3}"}}],"models":[{"model_id":"m-1"}]})"));
}

// ---- error mapping ----

TEST_F(RestStoreTest, JsonErrorMapsToItsCode) {
  auto store = make();
  transport_->reply(
      400,
      R"({"error_code": "INVALID_PARAMETER_VALUE", "message": "Changing param\n values is not allowed.", "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"})");
  try {
    store.log_param("r1", Param{"p", "v2"});
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_EQ(e.server_error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(std::string(e.what()), "Changing param\n values is not allowed.");
  }
}

TEST_F(RestStoreTest, ResourceAlreadyExistsIs400AndAlreadyExists) {
  auto store = make();
  transport_->reply(400, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"exists"})");
  EXPECT_THROW(store.create_experiment("e", std::nullopt, {}), AlreadyExists);
}

TEST_F(RestStoreTest, NumericAndUnknownErrorCodes) {
  auto store = make();
  transport_->reply(404, R"({"error_code":"3002","message":"gone"})");
  try {
    store.get_run("r");
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_EQ(e.server_error_code(), "3002");
  }
  // A code this release does not know falls back to the HTTP status, keeping the raw code.
  transport_->reply(503, R"({"error_code":"WORKSPACE_TEMPORARILY_UNAVAILABLE","message":"busy"})");
  try {
    store.get_run("r");
    FAIL();
  } catch (const Unavailable& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kTemporarilyUnavailable);
    EXPECT_EQ(e.server_error_code(), "WORKSPACE_TEMPORARILY_UNAVAILABLE");
    EXPECT_EQ(std::string(e.what()), "busy");
  }
}

TEST_F(RestStoreTest, PlainText403FromHostCheck) {
  auto store = make();
  transport_->reply(403, "Invalid Host header - possible DNS rebinding attack detected",
                    "text/plain");
  try {
    store.delete_run("r1");
    FAIL() << "expected PermissionDenied";
  } catch (const PermissionDenied& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.error_code(), ErrorCode::kPermissionDenied);
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_TRUE(e.server_error_code().empty());
    EXPECT_NE(what.find("POST " + std::string(kApi) + "runs/delete"), std::string::npos) << what;
    EXPECT_NE(what.find("403"), std::string::npos) << what;
    EXPECT_NE(what.find("Invalid Host header"), std::string::npos) << what;
    EXPECT_NE(what.find("MLFLOW_TRACKING_TOKEN"), std::string::npos) << what;
  }
}

TEST_F(RestStoreTest, Html404NamesUrlStripsTagsAndHints) {
  auto store = make();
  // Verbatim answer of a 3.18 server for an unknown route.
  transport_->reply(404, R"(<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
)",
                    "text/html; charset=utf-8");
  try {
    store.get_run("r1");
    FAIL() << "expected NotFound";
  } catch (const NotFound& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.error_code(), ErrorCode::kEndpointNotFound);
    EXPECT_NE(what.find("GET " + std::string(kApi) + "runs/get?run_id=r1"), std::string::npos)
        << what;
    EXPECT_NE(what.find("404 Not Found Not Found The requested URL"), std::string::npos) << what;
    EXPECT_EQ(what.find('<'), std::string::npos) << what;
    EXPECT_NE(what.find("path prefix"), std::string::npos) << what;
    EXPECT_LT(what.size(), 600u) << what;
  }
}

TEST_F(RestStoreTest, PlainText503IsUnavailable) {
  auto store = make();
  transport_->reply(503, "Service Unavailable", "text/plain");
  try {
    store.get_run("r1");
    FAIL();
  } catch (const Unavailable& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kTemporarilyUnavailable);
    EXPECT_EQ(e.http_status(), 503);
    EXPECT_NE(std::string(e.what()).find("Service Unavailable"), std::string::npos);
  }
}

TEST_F(RestStoreTest, Empty500IsInternalError) {
  auto store = make();
  transport_->reply(500, "", "text/plain");
  const auto error =
      testing::expect_mlflow_error([&] { store.get_run("r1"); }, ErrorCode::kInternalError);
  EXPECT_EQ(error.http_status, 500);
  EXPECT_THAT(error.message, ::testing::HasSubstr("empty body"));
}

TEST_F(RestStoreTest, StatusClassificationOfNonJsonBodies) {
  auto store = make();
  const std::vector<std::pair<long, ErrorCode>> cases = {
      {400, ErrorCode::kBadRequest},           {401, ErrorCode::kUnauthenticated},
      {429, ErrorCode::kRequestLimitExceeded}, {504, ErrorCode::kDeadlineExceeded},
      {502, ErrorCode::kInternalError},        {418, ErrorCode::kBadRequest}};
  for (const auto& [status, code] : cases) {
    transport_->reply(status, "<html><body>proxy says no</body></html>", "text/html");
    try {
      store.get_run("r1");
      ADD_FAILURE() << "no throw for " << status;
    } catch (const MlflowException& e) {
      EXPECT_EQ(e.error_code(), code) << status;
      EXPECT_EQ(e.http_status(), status);
      EXPECT_NE(std::string(e.what()).find("proxy says no"), std::string::npos) << e.what();
    }
  }
  transport_->reply(401, "", "text/plain");
  EXPECT_THROW(store.get_run("r1"), Unauthenticated);
}

TEST_F(RestStoreTest, LongBodiesAreCut) {
  auto store = make();
  transport_->reply(502, std::string(5000, 'x'), "text/plain");
  try {
    store.get_run("r1");
    FAIL();
  } catch (const MlflowException& e) {
    EXPECT_LT(std::string(e.what()).size(), 600u);
    EXPECT_NE(std::string(e.what()).find("..."), std::string::npos);
  }
}

TEST_F(RestStoreTest, JsonWithoutErrorCodeIsClassifiedByStatus) {
  auto store = make();
  transport_->reply(422, R"({"detail":"Unprocessable"})");
  try {
    store.get_run("r1");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kBadRequest);
    EXPECT_NE(std::string(e.what()).find("Unprocessable"), std::string::npos);
  }
}

TEST_F(RestStoreTest, CredentialsInTheUriNeverReachMessages) {
  ResolvedConfig config = test_config();
  config.tracking_uri = "http://user:hunter2@127.0.0.1:5000";
  auto store = make(config);
  transport_->reply(403, "Forbidden", "text/plain");
  try {
    store.get_run("r1");
    FAIL();
  } catch (const PermissionDenied& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("http://127.0.0.1:5000/api/2.0/mlflow/runs/get"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(RestStoreTest, SuccessWithEmptyBodyIsAnEmptyObject) {
  auto store = make();
  transport_->reply(200, "");
  EXPECT_NO_THROW(store.delete_run("r1"));
}

TEST_F(RestStoreTest, SuccessWithNonJsonBodyIsUnparseable) {
  auto store = make();
  transport_->reply(200, "<html>Please log in</html>", "text/html");
  try {
    store.get_run("r1");
    FAIL();
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kUnparseableHttpError);
    EXPECT_NE(std::string(e.what()).find("Please log in"), std::string::npos) << e.what();
  }
}

// ---- retry classes ----
// With one retry allowed and a first attempt that times out (it may have reached the server),
// a retry-safe call is sent twice and any other call once. The classes are those of MLflow
// 3.18's Python client.

TEST_F(RestStoreTest, TimeoutRetriesExactlyTheRetrySafeCalls) {
  ResolvedConfig config = test_config();
  config.retry.max_retries = 1;
  auto store = make(config);
  CreateRunRequest create;
  create.experiment_id = "0";
  const std::vector<std::pair<std::string, std::function<void()>>> safe = {
      {"get_experiment", [&] { store.get_experiment("1"); }},
      {"get_experiment_by_name", [&] { store.get_experiment_by_name("n"); }},
      {"search_experiments", [&] { store.search_experiments({}); }},
      {"set_experiment_tag",
       [&] {
         store.set_experiment_tag("1", {"k", "v"});
       }},
      {"get_run", [&] { store.get_run("r"); }},
      {"update_run_info", [&] { store.update_run_info("r", RunStatus::kFailed, 1, {}); }},
      {"delete_run", [&] { store.delete_run("r"); }},
      {"restore_run", [&] { store.restore_run("r"); }},
      {"search_runs", [&] { store.search_runs({"0"}, {}); }},
      {"log_metric", [&] { store.log_metric("r", Metric{}); }},
      {"log_param",
       [&] {
         store.log_param("r", {"k", "v"});
       }},
      {"set_tag",
       [&] {
         store.set_tag("r", {"k", "v"});
       }},
      {"log_batch",
       [&] {
         store.log_batch("r", {}, {{"k", "v"}}, {});
       }},
      {"get_metric_history_page", [&] { store.get_metric_history_page("r", "k", 1, ""); }},
      {"get_metric_history_bulk_interval",
       [&] { store.get_metric_history_bulk_interval({"r"}, "k", {}); }},
  };
  const std::vector<std::pair<std::string, std::function<void()>>> unsafe = {
      {"create_experiment", [&] { store.create_experiment("e", std::nullopt, {}); }},
      {"rename_experiment", [&] { store.rename_experiment("1", "n"); }},
      {"delete_experiment", [&] { store.delete_experiment("1"); }},
      {"restore_experiment", [&] { store.restore_experiment("1"); }},
      {"delete_experiment_tag", [&] { store.delete_experiment_tag("1", "k"); }},
      {"create_run", [&] { store.create_run(create); }},
      {"delete_tag", [&] { store.delete_tag("r", "k"); }},
      {"log_inputs", [&] { store.log_inputs("r", {}, {ModelInput{"m"}}); }},
  };
  // An answer every call accepts.
  const std::string ok = R"({"experiment_id":"1","experiment":{},"run":{},"run_info":{}})";
  for (const auto& [name, call] : safe) {
    transport_->requests.clear();
    transport_->answers.clear();
    transport_->fail(TransportErrorKind::kTimeout);
    transport_->reply(200, ok);
    EXPECT_NO_THROW(call()) << name;
    EXPECT_EQ(transport_->requests.size(), 2u) << name;
  }
  for (const auto& [name, call] : unsafe) {
    transport_->requests.clear();
    transport_->answers.clear();
    transport_->fail(TransportErrorKind::kTimeout);
    transport_->reply(200, ok);
    EXPECT_THROW(call(), MlflowException) << name;
    EXPECT_EQ(transport_->requests.size(), 1u) << name;
  }
}

// ---- logging ----

TEST_F(RestStoreTest, DebugLogNamesTheCallButNotTheCredentials) {
  std::vector<std::string> lines;
  std::mutex mu;
  set_log_handler(
      [&](LogLevel, const std::string& line) {
        std::lock_guard<std::mutex> lock(mu);
        lines.push_back(line);
      },
      LogLevel::kDebug);
  ResolvedConfig config = test_config();
  config.authorization = "Bearer s3cret-token";
  auto store = make(config);
  store.delete_run("r1");
  set_log_handler(nullptr);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("runs/delete"), std::string::npos) << all;
  EXPECT_EQ(all.find("s3cret"), std::string::npos) << all;
}

// ---- helpers ----

TEST(RestClientHelpersTest, UrlEncodingAndQueryStrings) {
  EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(url_encode("a b+c/d=e&f"), "a%20b%2Bc%2Fd%3De%26f");
  EXPECT_EQ(url_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(build_query_string({{"k", "1"}, {"k", "2"}, {"x y", "z"}}), "k=1&k=2&x%20y=z");
  EXPECT_EQ(build_query_string({}), "");
}

TEST(RestClientHelpersTest, StripCredentials) {
  EXPECT_EQ(strip_credentials("https://u:p@h:1/x?y=1"), "https://h:1/x?y=1");
  EXPECT_EQ(strip_credentials("https://h/x@y"), "https://h/x@y");
  EXPECT_EQ(strip_credentials("http://h"), "http://h");
}

TEST(RestClientHelpersTest, TransportOptionsComeFromTheConfig) {
  ResolvedConfig config;
  config.verify_tls = false;
  config.server_cert_path = "/ca.pem";
  config.client_cert_path = "/c.pem";
  config.client_key_path = "/k.pem";
  config.allow_redirects = false;
  const TransportOptions o = transport_options_for(config);
  EXPECT_FALSE(o.verify_tls);
  EXPECT_EQ(o.ca_bundle_path, "/ca.pem");
  EXPECT_EQ(o.client_cert_path, "/c.pem");
  EXPECT_EQ(o.client_key_path, "/k.pem");
  EXPECT_FALSE(o.follow_redirects);
  EXPECT_EQ(o.user_agent, std::string("mlflow-cpp/") + mlflow::kVersion);
}

}  // namespace
}  // namespace mlflow::internal
