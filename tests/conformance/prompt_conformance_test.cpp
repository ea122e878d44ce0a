// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Every prompt registry method of MlflowClient, run by the same scenario on the embedded SQLite
// store and on the real MLflow 3.18 server: the transcripts (fields, errors, search results)
// must be identical, and the embedded transcript must show the expected values.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "conformance/conformance_harness.hpp"

namespace mlflow::conformance {
namespace {

std::string join(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += k + "=" + v + ";";
  return out;
}

std::string describe(const PromptVersion& pv) {
  std::ostringstream s;
  std::vector<std::string> aliases = pv.aliases();
  std::sort(aliases.begin(), aliases.end());
  std::string alias_text;
  for (const auto& a : aliases) alias_text += a + ",";
  s << pv.name() << " v" << pv.version() << (pv.is_text_prompt() ? " text " : " chat ")
    << pv.template_text() << " | commit=" << pv.commit_message().value_or("")
    << " | tags=" << join(pv.tags()) << " | aliases=" << alias_text
    << " | rf=" << pv.response_format().value_or("<none>")
    << " | mc=" << (pv.model_config() ? pv.model_config()->to_json() : "<none>")
    << " | uri=" << pv.uri() << " | created=" << (pv.creation_timestamp() > 0);
  return s.str();
}

std::string describe(const Prompt& p) {
  // Never set: None on the embedded store, "" from the server (as Python reads them).
  return p.name + " | desc=" + p.description.value_or("") + " | tags=" + join(p.tags) +
         " | created=" + (p.creation_timestamp > 0 ? "yes" : "no");
}

void scenario(MlflowClient& c, const std::string& prefix, Transcript& t) {
  t.set_prefix(prefix);
  const std::string name = prefix + "-greet";
  const std::string chat = prefix + "-chat";

  PromptModelConfig config;
  config.model_name = "gpt-4";
  config.temperature = 0.5;
  config.extra_params = {{"seed", "1"}};
  RegisterPromptOptions o1;
  o1.commit_message = "first";
  o1.tags = {{"team", "a"}};
  o1.response_format = R"({"type": "object"})";
  o1.model_config = config;
  t.add("register v1: " + describe(c.register_prompt(name, "Hello {{ who }}!", o1)));
  RegisterPromptOptions o2;
  o2.commit_message = "second";
  o2.tags = {{"team", "b"}, {"extra", "x"}};
  t.add("register v2: " + describe(c.register_prompt(name, "Hi {{who}} v2", o2)));
  t.add("register chat: " +
        describe(c.register_prompt(
            chat, std::vector<ChatMessage>{{"system", "Be {{ style }}"}, {"user", "{{q}}"}})));

  LoadPromptOptions nocache;
  nocache.cache_ttl_seconds = 0;
  t.add("load latest: " + describe(c.load_prompt(name, nocache).value()));
  LoadPromptOptions v1;
  v1.version = 1;
  t.add("load version: " + describe(c.load_prompt(name, v1).value()));
  t.add("load uri: " + describe(c.load_prompt("prompts:/" + name + "/2").value()));
  t.expect_call("set alias", [&] { c.set_prompt_alias(name, "prod", 1); });
  t.add("load alias: " + describe(c.load_prompt("prompts:/" + name + "@prod").value()));
  t.expect_call("set alias on missing version", [&] { c.set_prompt_alias(name, "x", 9); });
  t.add("by alias: " + describe(c.get_prompt_version_by_alias(name, "prod").value()));
  t.add("get version: " + describe(c.get_prompt_version(name, 2).value()));
  t.expect_call("get missing version", [&] { c.get_prompt_version(name, 7); });
  t.add("get prompt: " + describe(c.get_prompt(name).value()));
  t.add(std::string("get missing prompt: ") + (c.get_prompt(prefix + "-nope") ? "found" : "none"));

  SearchPromptsOptions search;
  search.filter_string = "name LIKE '" + prefix + "%'";
  search.order_by = {"name ASC"};
  for (const auto& p : c.search_prompts(search).items) t.add("search: " + describe(p));
  search.max_results = 1;
  const auto page1 = c.search_prompts(search);
  t.add("page1: " + page1.items.at(0).name + " next=" + (page1.token.empty() ? "no" : "yes"));
  search.page_token = page1.token;
  const auto page2 = c.search_prompts(search);
  t.add("page2: " + page2.items.at(0).name + " next=" + (page2.token.empty() ? "no" : "yes"));
  SearchPromptsOptions by_tag;
  by_tag.filter_string = "tags.team = 'b' AND name LIKE '" + prefix + "%'";
  for (const auto& p : c.search_prompts(by_tag).items) t.add("search tag: " + p.name);
  for (const auto& v : c.search_prompt_versions(name).items) t.add("versions: " + describe(v));
  SearchPromptVersionsOptions one;
  one.max_results = 1;
  const auto vpage = c.search_prompt_versions(name, one);
  t.add("versions page: v" + std::to_string(vpage.items.at(0).version()) +
        " next=" + (vpage.token.empty() ? "no" : "yes"));

  t.expect_call("set prompt tag", [&] { c.set_prompt_tag(name, "owner", "me"); });
  t.expect_call("delete prompt tag", [&] { c.delete_prompt_tag(name, "team"); });
  t.add("prompt tags: " + join(c.get_prompt(name)->tags));
  t.expect_call("set version tag", [&] { c.set_prompt_version_tag(name, 1, "reviewed", "yes"); });
  t.expect_call("delete version tag", [&] { c.delete_prompt_version_tag(name, 1, "team"); });
  PromptModelConfig other;
  other.provider = "anthropic";
  other.max_tokens = 10;
  t.expect_call("set model config", [&] { c.set_prompt_model_config(name, 1, other); });
  t.add("after edits: " + describe(c.get_prompt_version(name, 1).value()));
  t.expect_call("delete model config", [&] { c.delete_prompt_model_config(name, 1); });
  t.add("after delete config: " + describe(c.get_prompt_version(name, 1).value()));

  t.expect_call("delete alias", [&] { c.delete_prompt_alias(name, "prod"); });
  LoadPromptOptions missing;
  missing.allow_missing = true;
  t.add(std::string("load deleted alias (allow_missing): ") +
        (c.load_prompt("prompts:/" + name + "@prod", missing) ? "found" : "none"));
  t.expect_call("load deleted alias", [&] { c.load_prompt("prompts:/" + name + "@prod"); });
  t.add(std::string("load missing prompt (allow_missing): ") +
        (c.load_prompt(prefix + "-nope", missing) ? "found" : "none"));
  t.expect_call("load missing prompt", [&] { c.load_prompt(prefix + "-nope"); });

  // An ordinary registered model never becomes a prompt.
  const std::string model = prefix + "-model";
  c.create_registered_model(model);
  t.expect_call("register prompt over model", [&] { c.register_prompt(model, "x"); });
  t.expect_call("load model as prompt", [&] { c.load_prompt(model); });
  t.add(std::string("get_prompt of model: ") + (c.get_prompt(model) ? "found" : "none"));
  t.expect_call("bad name", [&] { c.register_prompt("bad name!", "x"); });

  t.expect_call("delete version 1", [&] { c.delete_prompt_version(name, 1); });
  t.expect_call("get deleted version", [&] { c.get_prompt_version(name, 1); });
  t.add("latest after delete: " + describe(c.load_prompt(name, nocache).value()));
  t.expect_call("delete prompt", [&] { c.delete_prompt(name); });
  t.add(std::string("get deleted prompt: ") + (c.get_prompt(name) ? "found" : "none"));
  t.expect_call("delete chat prompt", [&] { c.delete_prompt(chat); });
}

TEST(PromptConformance, EveryPromptMethodAgreesOnBothStores) {
  const Transcript t = run_on_both_stores(scenario);
  const auto& lines = t.lines();
  const auto has = [&lines](const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(
      has("register v1: P-greet v1 text Hello {{ who }}! | commit=first | tags=team=a; "
          "| aliases= | rf={\"type\": \"object\"} | mc={\"model_name\": \"gpt-4\", "
          "\"temperature\": 0.5, \"seed\": 1}"));
  EXPECT_TRUE(has("load alias: P-greet v1"));
  // Linked to the current experiment ("0" here) by register and load, as Python links it.
  EXPECT_TRUE(
      has("get prompt: P-greet | desc=first | tags=_mlflow_experiment_ids=,0,;extra=x;team=b;"));
  EXPECT_TRUE(has("search tag: P-greet"));
  EXPECT_TRUE(has("versions page: v2 next=yes"));
  EXPECT_TRUE(has("load deleted alias (allow_missing): none"));
  EXPECT_TRUE(has("register prompt over model: InvalidArgument"));
  EXPECT_TRUE(has("get deleted prompt: none"));
  EXPECT_TRUE(
      has("after edits: P-greet v1 text Hello {{ who }}! | commit=first | "
          "tags=reviewed=yes; | aliases=prod,"));
  EXPECT_TRUE(has("mc={\"provider\": \"anthropic\", \"max_tokens\": 10}"));
  for (const auto& l : lines) std::cout << l << "\n";
}

}  // namespace
}  // namespace mlflow::conformance
