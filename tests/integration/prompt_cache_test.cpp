// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// load_prompt's cache against the real server, with Python's rules: an alias stays cached for
// its TTL even when another client moves it, cache_ttl_seconds = 0 and
// MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS = 0 bypass it, this client's own alias and tag changes
// invalidate it, and pinned versions stay cached.

#include <gtest/gtest.h>

#include "mlflow/mlflow.hpp"
#include "support/test_env.hpp"

namespace {

using mlflow::LoadPromptOptions;
using mlflow::MlflowClient;
using mlflow::testing::ScopedEnv;
using mlflow::testing::server_uri;
using mlflow::testing::unique_name;

TEST(PromptCacheServer, AliasAndVersionCachingFollowsPython) {
  ScopedEnv env({{"MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS", std::nullopt},
                 {"MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS", std::nullopt}});
  MlflowClient a(server_uri());
  MlflowClient b(server_uri());  // another process, in effect: its own cache entries
  const std::string name = unique_name("pcache");
  a.register_prompt(name, "one {{x}}");
  a.register_prompt(name, "two {{x}}");
  a.set_prompt_alias(name, "prod", 1);
  const std::string alias_uri = "prompts:/" + name + "@prod";
  EXPECT_EQ(a.load_prompt(alias_uri)->version(), 1);

  b.set_prompt_alias(name, "prod", 2);
  EXPECT_EQ(b.load_prompt(alias_uri)->version(), 2);
  EXPECT_EQ(a.load_prompt(alias_uri)->version(), 1) << "cached for 60 s, as in Python";
  LoadPromptOptions fresh;
  fresh.cache_ttl_seconds = 0;
  EXPECT_EQ(a.load_prompt(alias_uri, fresh)->version(), 2);
  {
    ScopedEnv off({{"MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS", std::string("0")}});
    EXPECT_EQ(a.load_prompt(alias_uri)->version(), 2);
  }
  a.set_prompt_alias(name, "prod", 1);  // own change: entry dropped
  EXPECT_EQ(a.load_prompt(alias_uri)->version(), 1);

  // @latest is an alias: a version registered by this client is seen at once.
  EXPECT_EQ(a.load_prompt(name)->version(), 2);
  a.register_prompt(name, "three {{x}}");
  EXPECT_EQ(a.load_prompt(name)->version(), 3);

  // Pinned versions stay cached; another client's model config change shows with TTL 0 only.
  LoadPromptOptions v1;
  v1.version = 1;
  EXPECT_FALSE(a.load_prompt(name, v1)->model_config().has_value());
  mlflow::PromptModelConfig config;
  config.model_name = "m";
  b.set_prompt_model_config(name, 1, config);
  EXPECT_FALSE(a.load_prompt(name, v1)->model_config().has_value());
  v1.cache_ttl_seconds = 0;
  EXPECT_EQ(a.load_prompt(name, v1)->model_config()->model_name, "m");

  LoadPromptOptions bad;
  bad.cache_ttl_seconds = -1;
  EXPECT_THROW(a.load_prompt(alias_uri, bad), mlflow::InvalidArgument);
  a.delete_prompt(name);
  LoadPromptOptions missing;
  missing.allow_missing = true;
  missing.cache_ttl_seconds = 0;
  EXPECT_FALSE(a.load_prompt(alias_uri, missing).has_value());
}

}  // namespace
