// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// How many HTTP requests each read makes, counted by a pass-through proxy in front of the real
// MLflow server (tests/support/fault_proxy): as few as Python's semantics allow (ADR 0017).
// Python 3.18 makes one request for get_run, a page of a search or of a metric history, and
// two for every uncached load_prompt (registered model, then the version).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"
#include "transport/http_transport.hpp"

namespace mlflow {
namespace {

using ::testing::ElementsAre;
using testing::FaultProxy;
using ::testing::HasSubstr;
using testing::server_uri;
using testing::unique_name;

constexpr const char* kRmGet = "/api/2.0/mlflow/registered-models/get";
constexpr const char* kMvGet = "/api/2.0/mlflow/model-versions/get";
constexpr const char* kAliasGet = "/api/2.0/mlflow/registered-models/alias";

class RoundTrips : public ::testing::Test {
 protected:
  RoundTrips() : proxy_(server_uri()), client_(proxy_.url()) {}

  // Requests the server received while `call` ran.
  template <typename F>
  int requests(F&& call) {
    proxy_.reset_counts();
    call();
    return proxy_.total_requests();
  }

  std::optional<PromptVersion> load(const std::string& uri) {
    LoadPromptOptions options;
    options.cache_ttl_seconds = 0;  // every call goes to the server
    return client_.load_prompt(uri, options);
  }

  FaultProxy proxy_;
  MlflowClient client_;
};

TEST_F(RoundTrips, GetRunAndHistoryAndSearchPages) {
  const std::string exp = client_.create_experiment(unique_name("rt"));
  std::vector<std::string> runs;
  for (int i = 0; i < 5; ++i) runs.push_back(client_.create_run(exp).info.run_id);
  std::vector<Metric> points;
  for (int i = 0; i < 30; ++i) points.push_back({"loss", 0.5 * i, 1700000000000 + i, i});
  client_.log_batch(runs[0], points);

  EXPECT_EQ(requests([&] { client_.get_run(runs[0]); }), 1);
  EXPECT_EQ(requests([&] { EXPECT_EQ(client_.get_metric_history(runs[0], "loss").size(), 30u); }),
            1);
  EXPECT_EQ(requests([&] { client_.get_experiment(exp); }), 1);
  EXPECT_EQ(requests([&] { client_.get_experiment_by_name("Default"); }), 1);

  SearchRunsOptions one_page;
  one_page.max_results = 10;
  EXPECT_EQ(requests([&] { EXPECT_EQ(client_.search_runs({exp}, one_page).items.size(), 5u); }), 1);
  // Pages of 2, 2 and 1 runs: one request each, none for an empty page after the last.
  SearchRunsOptions paged;
  paged.max_results = 2;
  int seen = 0;
  EXPECT_EQ(requests([&] {
              for (const mlflow::Run& run : client_.search_runs_all({exp}, paged)) {
                (void)run;
                ++seen;
              }
            }),
            3);
  EXPECT_EQ(seen, 5);
}

// load_prompt: the registered model's answer carries the newest version of the prompt with all
// its tags, and every alias; a load of that version (by number, by an alias, or as @latest)
// needs no second request. Other versions cost Python's second request, and give the same
// PromptVersion as the one-request path did.
TEST_F(RoundTrips, LoadPromptOfTheNewestVersionIsOneRequest) {
  const std::string name = unique_name("rt-prompt");
  RegisterPromptOptions first;
  first.commit_message = "first";
  first.tags = {{"team", "a"}};
  client_.register_prompt(name, "Hello {{who}}", first);
  client_.register_prompt(name, "Hi {{who}}");
  RegisterPromptOptions third;
  third.commit_message = "third";
  third.tags = {{"lang", "en"}};
  client_.register_prompt(name, "Hey {{who}}", third);
  client_.set_prompt_alias(name, "prod", 3);
  client_.set_prompt_alias(name, "stable", 3);
  client_.set_prompt_alias(name, "old", 1);

  std::optional<PromptVersion> by_alias, by_version, by_name, by_latest;
  EXPECT_EQ(requests([&] { by_alias = load("prompts:/" + name + "@prod"); }), 1);
  EXPECT_EQ(requests([&] { by_version = load("prompts:/" + name + "/3"); }), 1);
  LoadPromptOptions uncached;
  uncached.cache_ttl_seconds = 0;
  EXPECT_EQ(requests([&] { by_name = client_.load_prompt(name, uncached); }), 1);
  EXPECT_EQ(requests([&] { by_latest = load("prompts:/" + name + "@latest"); }), 1);
  EXPECT_EQ(proxy_.count(kRmGet), 1);
  ASSERT_TRUE(by_alias && by_version && by_name && by_latest);
  EXPECT_EQ(by_alias->version(), 3);
  EXPECT_EQ(by_alias->template_text(), "Hey {{who}}");
  EXPECT_EQ(by_alias->commit_message(), std::optional<std::string>("third"));
  EXPECT_EQ(by_alias->tags(), (std::map<std::string, std::string>{{"lang", "en"}}));
  EXPECT_THAT(by_alias->aliases(), ElementsAre("prod", "stable"));

  // Not the newest: Python's two requests, by version and by alias.
  std::optional<PromptVersion> old_by_alias, old_by_version;
  EXPECT_EQ(requests([&] { old_by_alias = load("prompts:/" + name + "@old"); }), 2);
  EXPECT_EQ(proxy_.count(kAliasGet), 1);
  EXPECT_EQ(requests([&] { old_by_version = load("prompts:/" + name + "/1"); }), 2);
  EXPECT_EQ(proxy_.count(kMvGet), 1);
  ASSERT_TRUE(old_by_alias && old_by_version);
  EXPECT_EQ(old_by_alias->version(), 1);
  EXPECT_EQ(old_by_alias->template_text(), "Hello {{who}}");
  EXPECT_THAT(old_by_alias->aliases(), ElementsAre("old"));

  // A fourth version makes version 3 an older one: the two-request path now serves it, with
  // exactly what the one-request path gave.
  client_.register_prompt(name, "Yo {{who}}");
  std::optional<PromptVersion> two_request;
  EXPECT_EQ(requests([&] { two_request = load("prompts:/" + name + "@prod"); }), 2);
  ASSERT_TRUE(two_request);
  for (const auto& one_request : {by_alias, by_version, by_name, by_latest}) {
    EXPECT_EQ(one_request->version(), 3);
    EXPECT_EQ(one_request->template_text(), two_request->template_text());
    EXPECT_EQ(one_request->commit_message(), two_request->commit_message());
    EXPECT_EQ(one_request->tags(), two_request->tags());
    EXPECT_EQ(one_request->aliases(), two_request->aliases());
    EXPECT_EQ(one_request->creation_timestamp(), two_request->creation_timestamp());
    EXPECT_EQ(one_request->last_updated_timestamp(), two_request->last_updated_timestamp());
    EXPECT_EQ(one_request->user_id(), two_request->user_id());
  }

  // Missing alias: the store's own answer (Python's second request), here turned into nullopt.
  LoadPromptOptions missing;
  missing.cache_ttl_seconds = 0;
  missing.allow_missing = true;
  EXPECT_EQ(
      requests([&] { EXPECT_FALSE(client_.load_prompt("prompts:/" + name + "@nope", missing)); }),
      2);
}

// Why the registered model is still asked first: Python refuses a registered *model* even when
// its version carries the prompt tags (set through the REST API directly). The version's own
// answer could not tell.
TEST_F(RoundTrips, ModelWithPromptTaggedVersionIsStillRefused) {
  const std::string name = unique_name("rt-model");
  auto transport = internal::make_curl_transport(internal::TransportOptions{});
  const auto post = [&](const std::string& path, const std::string& body) {
    internal::HttpRequest r;
    r.method = "POST";
    r.url = server_uri() + "/api/2.0/mlflow/" + path;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    const auto result = transport->send(r);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.response->status, 200) << result.response->body;
  };
  post("registered-models/create", R"({"name":")" + name + R"("})");
  post("model-versions/create", R"({"name":")" + name +
                                    R"(","source":"dummy-source","tags":[)"
                                    R"({"key":"mlflow.prompt.is_prompt","value":"true"},)"
                                    R"({"key":"mlflow.prompt.text","value":"Hi"}]})");
  try {
    load("prompts:/" + name + "/1");
    ADD_FAILURE() << "a model was loaded as a prompt";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("registered as a model, not a prompt"));
  }
}

}  // namespace
}  // namespace mlflow
