// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent registry URI and get_artifact_uri's path joining (Python's append_to_uri_path;
// expected values produced by mlflow 3.18 on CPython 3.11). The artifact functions themselves
// run on both stores in tests/integration/fluent_artifacts_test.cpp.

#include <gtest/gtest.h>

#include "fluent/artifact_uri.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using Env = std::map<std::string, std::optional<std::string>>;

TEST(AppendToUriPath, MatchesPython) {
  struct Case {
    const char* uri;
    const char* path;
    const char* expected;
  };
  const Case cases[] = {
      {"file:///tmp/x/artifacts", "a/b", "file:///tmp/x/artifacts/a/b"},
      {"file:///tmp/x/artifacts", "/a/b", "file:///tmp/x/artifacts/a/b"},
      {"file:///tmp/x/artifacts", "", "file:///tmp/x/artifacts/"},
      {"file:///tmp/x/artifacts/", "a", "file:///tmp/x/artifacts/a"},
      {"mlflow-artifacts:/0/abc/artifacts", "m/w.json",
       "mlflow-artifacts:/0/abc/artifacts/m/w.json"},
      {"mlflow-artifacts://host:5000/0/abc/artifacts", "x",
       "mlflow-artifacts://host:5000/0/abc/artifacts/x"},
      {"/tmp/x/artifacts", "a", "/tmp/x/artifacts/a"},
      {"relative/dir", "a", "relative/dir/a"},
      {"http://h/p;q?x=1#f", "a", "http://h/p/a;q?x=1#f"},
      {"s3://b/root?p=1", "s/t", "s3://b/root/s/t?p=1"},
      {"file:/tmp/x", "a", "file:///tmp/x/a"},
      {"file:rel/x", "a", "file:rel/x/a"},
      {"file:///tmp/x/artifacts", "a/./b", "file:///tmp/x/artifacts/a/./b"},
      {"file:///tmp/x/artifacts", "a//b", "file:///tmp/x/artifacts/a//b"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(internal::append_to_uri_path(c.uri, c.path), c.expected) << c.uri << " + " << c.path;
  }
  EXPECT_THROW(internal::append_to_uri_path("s3://b/root?p=../x", "a"), InvalidArgument);
  EXPECT_THROW(internal::append_to_uri_path("s3://b/root?p=%252e%252e", "a"), InvalidArgument);
}

class FluentRegistryUriTest : public ::testing::Test {
 protected:
  void SetUp() override { internal::reset_fluent_state(); }
  void TearDown() override { internal::reset_fluent_state(); }
  testing::ScopedEnv env_{
      Env{{"MLFLOW_REGISTRY_URI", std::nullopt}, {"MLFLOW_TRACKING_URI", std::nullopt}}};
};

TEST_F(FluentRegistryUriTest, DefaultsToTrackingUriThenEnvThenExplicit) {
  set_tracking_uri("sqlite:////tmp/tracking.db");
  EXPECT_EQ(get_registry_uri(), "sqlite:////tmp/tracking.db");
  {
    testing::ScopedEnv env(Env{{"MLFLOW_REGISTRY_URI", "sqlite:////tmp/env-registry.db"}});
    EXPECT_EQ(get_registry_uri(), "sqlite:////tmp/env-registry.db");
    set_registry_uri("http://127.0.0.1:1/");
    EXPECT_EQ(get_registry_uri(), "http://127.0.0.1:1/");  // explicit wins over the env
    set_registry_uri("");
    EXPECT_EQ(get_registry_uri(), "sqlite:////tmp/env-registry.db");
  }
  set_registry_uri("sqlite:////tmp/registry.db");
  internal::reset_fluent_state();
  EXPECT_EQ(get_registry_uri(), get_tracking_uri());
}

}  // namespace
}  // namespace mlflow
