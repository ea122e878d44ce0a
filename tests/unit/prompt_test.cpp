// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// PromptVersion, PromptModelConfig, prompt URIs and the prompt cache without a server. Expected
// bytes were produced by Python MLflow 3.18 (json.dumps of PromptModelConfig.to_dict() and of
// chat messages).

#include "mlflow/prompt.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/prompt_cache.hpp"
#include "support/test_env.hpp"

namespace {

using mlflow::ChatMessage;
using mlflow::InvalidArgument;
using mlflow::PromptCache;
using mlflow::PromptModelConfig;
using mlflow::PromptUri;
using mlflow::PromptValue;
using mlflow::PromptVersion;

TEST(PromptModelConfig, WritesPythonBytesWithFlatExtraParams) {
  PromptModelConfig c;
  c.model_name = "gpt-4\xc3\xa9";
  c.temperature = 1;
  c.max_tokens = 100;
  c.top_p = 1e-05;
  c.stop_sequences = std::vector<std::string>{"\n", "\""};
  c.extra_params = {{"zeta", R"({"b":[1,2.0,null]})"}, {"anthropic_version", R"("2023-06-01")"}};
  EXPECT_EQ(
      c.to_json(),
      R"({"model_name": "gpt-4\u00e9", "temperature": 1.0, "max_tokens": 100, "top_p": 1e-05, )"
      R"("stop_sequences": ["\n", "\""], "zeta": {"b": [1, 2.0, null]}, )"
      R"("anthropic_version": "2023-06-01"})");
}

TEST(PromptModelConfig, ReadsUnknownKeysIntoExtraParamsAndRoundTrips) {
  const std::string stored =
      R"({"provider": "openai", "temperature": 0.7, "top_k": 5, "seed": 42, "nested": {"a": "\u00e9"}})";
  const PromptModelConfig c = PromptModelConfig::from_json(stored);
  EXPECT_EQ(c.provider, "openai");
  EXPECT_EQ(c.temperature, 0.7);
  EXPECT_EQ(c.top_k, 5);
  ASSERT_EQ(c.extra_params.size(), 2u);
  EXPECT_EQ(c.extra_params[0].first, "seed");
  EXPECT_EQ(c.extra_params[0].second, "42");
  EXPECT_EQ(c.extra_params[1].second, R"({"a": "\u00e9"})");
  EXPECT_EQ(c.to_json(), stored);
}

TEST(PromptModelConfig, RangeRulesAsPython) {
  PromptModelConfig c;
  c.temperature = -0.1;
  EXPECT_THROW(c.validate(), InvalidArgument);
  c = {};
  c.max_tokens = 0;
  EXPECT_THROW(c.validate(), InvalidArgument);
  c = {};
  c.top_p = 1.5;
  EXPECT_THROW(c.to_json(), InvalidArgument);
  c = {};
  c.top_k = 0;
  EXPECT_THROW(c.validate(), InvalidArgument);
  c = {};
  c.extra_params = {{"x", "not json"}};
  EXPECT_THROW(c.validate(), InvalidArgument);
  EXPECT_THROW(PromptModelConfig::from_json(R"({"max_tokens": 1.5})"), InvalidArgument);
  EXPECT_THROW(PromptModelConfig::from_json("[]"), InvalidArgument);
}

TEST(PromptVersion, ChatMessagesStoredAsPythonJson) {
  const PromptVersion pv("p", 1,
                         std::vector<ChatMessage>{
                             {"system", "H\xc3\xa9llo <b>&\xe2\x80\xa8 \xf0\x9f\x98\x80 {{ x }}"}});
  EXPECT_EQ(pv.template_text(),
            R"([{"role": "system", "content": "H\u00e9llo <b>&\u2028 \ud83d\ude00 {{ x }}"}])");
  EXPECT_EQ(pv.variables(), std::vector<std::string>{"x"});
  EXPECT_EQ(pv.to_single_brace_messages()[0].content,
            "H\xc3\xa9llo <b>&\xe2\x80\xa8 \xf0\x9f\x98\x80 {x}");
  EXPECT_FALSE(pv.is_text_prompt());
  EXPECT_THROW(PromptVersion("p", 1, std::vector<ChatMessage>{}), InvalidArgument);
  EXPECT_THROW(PromptVersion("p", 1, std::vector<ChatMessage>{{"", "x"}}), InvalidArgument);
}

TEST(PromptVersion, VariablesSingleBraceAndUri) {
  const PromptVersion pv("greet", 3, "a {{ x }} {{y.z}} {{ x}} {{ 1bad }}");
  EXPECT_EQ(pv.variables(), (std::vector<std::string>{"x", "y.z"}));
  EXPECT_EQ(pv.to_single_brace_format(), "a {x} {y.z} {x} {{ 1bad }}");
  EXPECT_EQ(pv.uri(), "prompts:/greet/3");
  EXPECT_FALSE(pv.is_jinja_template());
  EXPECT_TRUE(PromptVersion("j", 1, "{% if a %}x{% endif %}").is_jinja_template());
}

TEST(PromptVersion, FormatAsTextAndMessages) {
  const PromptVersion text("t", 1, "Meet at {{ location }} at {{time}}.");
  EXPECT_EQ(text.format_as_text({{"location", "Central Park"}, {"time", "3pm"}, {"x", 1}}),
            "Meet at Central Park at 3pm.");
  EXPECT_THROW(text.format_as_text({{"location", "Park"}}), InvalidArgument);
  mlflow::FormatOptions partial;
  partial.allow_partial = true;
  EXPECT_EQ(text.format_as_text({{"location", "Park"}}, partial), "Meet at Park at {{time}}.");
  EXPECT_THROW(text.format_as_messages({}), InvalidArgument);

  const PromptVersion chat(
      "c", 1,
      std::vector<ChatMessage>{{"system", "You help {{ owner }}."}, {"user", "Walk {{dog}}?"}});
  const auto messages = chat.format_as_messages({{"owner", "Alice"}, {"dog", "Bella"}});
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], (ChatMessage{"system", "You help Alice."}));
  EXPECT_EQ(messages[1], (ChatMessage{"user", "Walk Bella?"}));
  EXPECT_THROW(chat.format_as_text({}), InvalidArgument);
  // format() keeps everything else of the version.
  const PromptVersion formatted =
      chat.with_commit_message("m").format({{"owner", PromptValue(nullptr)}, {"dog", 2.0}});
  EXPECT_EQ(formatted.messages()[0].content, "You help None.");
  EXPECT_EQ(formatted.messages()[1].content, "Walk 2.0?");
  EXPECT_EQ(formatted.commit_message(), "m");
}

TEST(PromptVersion, LocalEditsReturnNewObjects) {
  const PromptVersion original("p", 2, "Hi {{name}}");
  PromptModelConfig config;
  config.model_name = "m";
  const PromptVersion edited = original.with_template("Hey {{ owner }}!")
                                   .with_commit_message("changed")
                                   .with_model_config(config)
                                   .with_response_format(R"({"type":"object","b":1.0})");
  EXPECT_EQ(original.template_text(), "Hi {{name}}");
  EXPECT_FALSE(original.commit_message().has_value());
  EXPECT_FALSE(original.model_config().has_value());
  EXPECT_EQ(edited.template_text(), "Hey {{ owner }}!");
  EXPECT_EQ(edited.commit_message(), "changed");
  EXPECT_EQ(edited.model_config()->model_name, "m");
  EXPECT_EQ(edited.response_format(), R"({"type": "object", "b": 1.0})");
  EXPECT_EQ(edited.name(), "p");
  EXPECT_EQ(edited.version(), 2);
  const PromptVersion chat = original.with_messages({{"user", "{{q}}"}});
  EXPECT_FALSE(chat.is_text_prompt());
  EXPECT_TRUE(original.is_text_prompt());
  EXPECT_THROW(original.with_response_format("[1]"), InvalidArgument);
  PromptModelConfig bad;
  bad.top_p = 2;
  EXPECT_THROW(original.with_model_config(bad), InvalidArgument);
}

TEST(PromptUri, ParsesVersionsAndAliasesAsPython) {
  const PromptUri v = PromptUri::parse("prompts:/my.prompt/12");
  EXPECT_EQ(v.name, "my.prompt");
  EXPECT_EQ(v.version, 12);
  EXPECT_FALSE(v.alias.has_value());
  const PromptUri a = PromptUri::parse("prompts:/name@prod");
  EXPECT_EQ(a.name, "name");
  EXPECT_EQ(a.alias, "prod");
  EXPECT_EQ(PromptUri::parse("prompts:/a@b@c").name, "a@b");
  EXPECT_EQ(PromptUri::parse("prompts:///n/1").name, "n");
  for (const char* bad : {"prompts:/name", "prompts:/name/Production", "prompts:/name/latest",
                          "prompts:/", "prompts:/name@", "prompts:/a/b/c", "models:/a/1",
                          "prompts://host/a/1", "prompts:/ /1", "prompts:/name/-1"}) {
    EXPECT_THROW(PromptUri::parse(bad), InvalidArgument) << bad;
  }
  EXPECT_EQ(PromptUri::resolve("n").str(), "prompts:/n@latest");
  EXPECT_EQ(PromptUri::resolve("n", 4).str(), "prompts:/n/4");
  EXPECT_EQ(PromptUri::resolve("prompts:/n@a").alias, "a");
  EXPECT_THROW(PromptUri::resolve("prompts:/n/1", 2), InvalidArgument);
}

TEST(PromptCache, TtlRulesAndEnvironment) {
  using mlflow::testing::ScopedEnv;
  const PromptUri alias = PromptUri::parse("prompts:/n@prod");
  const PromptUri version = PromptUri::parse("prompts:/n/1");
  {
    ScopedEnv env({{"MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS", std::nullopt},
                   {"MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS", std::nullopt}});
    EXPECT_EQ(PromptCache::default_ttl(alias)->count(), 60.0);
    EXPECT_FALSE(PromptCache::default_ttl(version).has_value());
  }
  {
    ScopedEnv env({{"MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS", "5.5"},
                   {"MLFLOW_VERSION_PROMPT_CACHE_TTL_SECONDS", "0"}});
    EXPECT_EQ(PromptCache::default_ttl(alias)->count(), 5.5);
    EXPECT_EQ(PromptCache::default_ttl(version)->count(), 0.0);
  }
  {
    ScopedEnv env({{"MLFLOW_ALIAS_PROMPT_CACHE_TTL_SECONDS", std::string("-1")}});
    EXPECT_THROW(PromptCache::default_ttl(alias), InvalidArgument);
  }

  PromptCache cache;
  const PromptVersion pv("n", 1, "t");
  cache.set("reg", "", alias, pv, std::chrono::duration<double>(0.001));
  cache.set("reg", "", version, pv, std::nullopt);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(cache.get("reg", "", alias).has_value());   // expired
  EXPECT_TRUE(cache.get("reg", "", version).has_value());  // pinned: no expiry
  EXPECT_FALSE(cache.get("other-registry", "", version).has_value());
  EXPECT_FALSE(cache.get("reg", "team-a", version).has_value());
  cache.set("reg", "", alias, pv, std::chrono::duration<double>(3600));
  cache.erase("reg", "", alias);
  EXPECT_FALSE(cache.get("reg", "", alias).has_value());
  cache.set("reg", "", alias, pv, std::nullopt);
  cache.erase_all("reg", "", "n");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PromptCache, ConcurrentUseIsSafe) {
  PromptCache cache;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 500; ++i) {
        const PromptUri u =
            PromptUri::parse("prompts:/n" + std::to_string(i % 7) + "/" + std::to_string(t));
        cache.set("r", "", u, PromptVersion("n", t, "x"), std::nullopt);
        const auto got = cache.get("r", "", u);
        if (got) {
          EXPECT_EQ(got->template_text(), "x");
        }
        if (i % 50 == 0) cache.erase_all("r", "", "n3");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 7u * 8u);
}

}  // namespace
