// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The logged-model RPCs of RestTrackingStore against a recording fake transport: methods,
// paths, bodies as Python's RestStore sends them, and decoding of the server's answers.
#include <gtest/gtest.h>

#include <deque>

#include "rest/rest_tracking_store.hpp"
#include "support/fake_transport.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;
using testing::FakeTransport;

constexpr const char* kApi = "http://127.0.0.1:5000/api/2.0/mlflow/";

const char* kModelJson = R"({"model": {"info": {
    "model_id": "m-1", "experiment_id": "7", "name": "net",
    "creation_timestamp_ms": "1718000000000", "last_updated_timestamp_ms": 1718000000001,
    "artifact_uri": "mlflow-artifacts:/7/models/m-1/artifacts", "status": "LOGGED_MODEL_PENDING",
    "model_type": "", "source_run_id": "r1", "tags": [{"key": "t", "value": "v"}]},
  "data": {"params": [{"key": "lr", "value": "0.1"}],
           "metrics": [{"key": "acc", "value": 0.5, "timestamp": 3, "step": 2, "run_id": "r1",
                        "model_id": "m-1", "dataset_name": "d", "dataset_digest": "x"}]}}})";

struct RestLoggedModelTest : ::testing::Test {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  RestTrackingStore store{[] {
                            ResolvedConfig c;
                            c.tracking_uri = "http://127.0.0.1:5000";
                            c.retry.max_retries = 0;
                            return c;
                          }(),
                          transport,
                          [] {
                            RetryHooks h;
                            h.sleep = [](std::chrono::milliseconds) {};
                            h.random = [] { return 0.0; };
                            return h;
                          }()};
  const HttpRequest& last() const { return transport->requests.back(); }
};

TEST_F(RestLoggedModelTest, CreateSendsPythonsBodyAndDecodesTheModel) {
  transport->reply_ok(kModelJson);
  CreateLoggedModelRequest r;
  r.experiment_id = "7";
  r.name = "net";
  r.source_run_id = "r1";
  r.params = {{"lr", "0.1"}};
  r.tags = {{"t", "v"}};
  const LoggedModel m = store.create_logged_model(r);
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models");
  EXPECT_EQ(Json::parse(last().body),
            Json::parse(R"({"experiment_id": "7", "name": "net", "source_run_id": "r1",
                            "params": [{"key": "lr", "value": "0.1"}],
                            "tags": [{"key": "t", "value": "v"}]})"));
  EXPECT_EQ(m.model_id, "m-1");
  EXPECT_EQ(m.experiment_id, "7");
  EXPECT_EQ(m.creation_timestamp, 1718000000000);
  EXPECT_EQ(m.last_updated_timestamp, 1718000000001);
  EXPECT_EQ(m.artifact_location, "mlflow-artifacts:/7/models/m-1/artifacts");
  EXPECT_EQ(m.status, LoggedModelStatus::kPending);
  EXPECT_EQ(m.model_type, std::nullopt);  // proto's "" reads as unset
  EXPECT_EQ(m.source_run_id, std::optional<std::string>("r1"));
  EXPECT_EQ(m.tags, (std::map<std::string, std::string>{{"t", "v"}}));
  EXPECT_EQ(m.params, (std::map<std::string, std::string>{{"lr", "0.1"}}));
  ASSERT_EQ(m.metrics.size(), 1u);
  EXPECT_EQ(m.metrics[0].dataset_digest, std::optional<std::string>("x"));
}

TEST_F(RestLoggedModelTest, PathsMethodsAndBodies) {
  transport->reply_ok(kModelJson);
  transport->reply_ok(kModelJson);
  store.finalize_logged_model("m-1", LoggedModelStatus::kFailed);
  EXPECT_EQ(last().method, "PATCH");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1");
  EXPECT_EQ(Json::parse(last().body),
            Json::parse(R"({"model_id": "m-1", "status": "LOGGED_MODEL_UPLOAD_FAILED"})"));
  store.get_logged_model("m-1", true);
  EXPECT_EQ(last().method, "GET");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1?allow_deleted=true");
  store.delete_logged_model("m-1");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1");
  store.set_logged_model_tags("m-1", {{"a", "1"}});
  EXPECT_EQ(last().method, "PATCH");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1/tags");
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"tags": [{"key": "a", "value": "1"}]})"));
  store.delete_logged_model_tag("m-1", "a/b c");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1/tags/a%2Fb%20c");
  store.log_logged_model_params("m-1", {{"p", "q"}});
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/m-1/params");
  EXPECT_EQ(Json::parse(last().body),
            Json::parse(R"({"model_id": "m-1", "params": [{"key": "p", "value": "q"}]})"));
  store.log_outputs("r1", {ModelOutput{"m-1", 4}});
  EXPECT_EQ(last().url, std::string(kApi) + "runs/outputs");
  EXPECT_EQ(Json::parse(last().body),
            Json::parse(R"({"run_id": "r1", "models": [{"model_id": "m-1", "step": 4}]})"));
}

TEST_F(RestLoggedModelTest, SearchSendsEveryFieldAndKeepsEmptyExperimentIds) {
  transport->reply_ok(R"({"models": [], "next_page_token": "tok"})");
  SearchLoggedModelsOptions o;
  o.filter_string = "metrics.acc > 0.5";
  o.datasets = {{"d", std::string("x")}};
  o.max_results = 5;
  o.order_by = {{"metrics.acc", false, std::string("d"), std::nullopt}};
  o.page_token = "p";
  const auto page = store.search_logged_models({"1", "2"}, o);
  EXPECT_EQ(page.token, "tok");
  EXPECT_EQ(last().url, std::string(kApi) + "logged-models/search");
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"experiment_ids": ["1", "2"],
      "filter": "metrics.acc > 0.5", "datasets": [{"dataset_name": "d", "dataset_digest": "x"}],
      "max_results": 5, "page_token": "p",
      "order_by": [{"field_name": "metrics.acc", "ascending": false, "dataset_name": "d"}]})"));
  store.search_logged_models({}, {});
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"experiment_ids": []})"));
}

}  // namespace
}  // namespace mlflow::internal
