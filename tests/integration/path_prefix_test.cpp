// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// A tracking URI with a path prefix (`http://host:port/prefix`), against a real MLflow server
// started with `--static-prefix`: every call goes under the prefix, artifacts of the run
// resolve under it too, and a wrong prefix gives a NotFound that says what to check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/mlflow.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;

TEST(PathPrefix, EveryCallWorksUnderTheServersStaticPrefix) {
  testing::ScopedServer server("--static-prefix /tracking/v1");
  ASSERT_TRUE(server.started()) << server.output() << "\n" << server.log();
  ASSERT_THAT(server.uri(), HasSubstr("/tracking/v1"));

  MlflowClient client(server.uri() + "/");  // a trailing slash is tolerated too
  const std::string exp = client.create_experiment("prefixed");
  const std::string run = client.create_run(exp).info.run_id;
  client.log_batch(run, {{"loss", 0.5, 1718000000000, 0}, {"loss", 0.25, 1718000000001, 1}},
                   {{"lr", "0.1"}}, {{"k", "v"}});
  client.log_metric(run, "acc", 0.9);
  EXPECT_EQ(client.get_metric_history(run, "loss").size(), 2u);
  SearchRunsOptions o;
  o.filter_string = "params.lr = '0.1'";
  EXPECT_EQ(client.search_runs({exp}, o).size(), 1u);
  EXPECT_EQ(client.get_run(run).data.tags.at("k"), "v");

  // Without the prefix the same server has no API: a clear NotFound, not a parse error.
  const std::string bare = server.uri().substr(0, server.uri().find("/tracking/v1"));
  ClientOptions wrong;
  wrong.tracking_uri = bare;
  wrong.max_retries = 0;
  try {
    MlflowClient(wrong).get_run(run);
    FAIL() << "expected NotFound";
  } catch (const NotFound& e) {
    EXPECT_EQ(e.http_status(), 404);
    EXPECT_THAT(std::string(e.what()), HasSubstr("prefix"));
  }
}

}  // namespace
}  // namespace mlflow
