// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Prompt registry interop with Python MLflow 3.18 on the real server, both ways: prompts
// registered by C++ (text and chat, model config with extra params, response format, tags,
// aliases) load in Python's mlflow.genai.load_prompt with identical fields, identical stored tag
// bytes and identical format() output; prompts registered by Python load in C++ the same way.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlflow/mlflow.hpp"
#include "store/registry_store.hpp"
#include "support/backend_access.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using nlohmann::ordered_json;
using testing::python_peer_command;
using testing::registry_store_of;
using testing::server_uri;
using testing::shell_quote;
using testing::unique_name;

ordered_json run_python(const std::string& args) {
  const auto r = mlflow::testing::run_command(
      "MLFLOW_TRACKING_URI= " + python_peer_command("prompt_registry_interop.py", {}) + " " + args +
      " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return ordered_json::parse(r.output);
}

PromptValue to_value(const ordered_json& j) {
  if (j.is_null()) return PromptValue();
  if (j.is_boolean()) return PromptValue(j.get<bool>());
  if (j.is_number_integer()) return PromptValue(static_cast<long long>(j.get<std::int64_t>()));
  if (j.is_number_float()) return PromptValue(j.get<double>());
  return PromptValue(j.get<std::string>());
}

ordered_json messages_json(const std::vector<ChatMessage>& messages) {
  ordered_json out = ordered_json::array();
  for (const auto& m : messages) out.push_back({{"role", m.role}, {"content", m.content}});
  return out;
}

ordered_json template_json(const PromptVersion& pv) {
  return pv.is_text_prompt() ? ordered_json(pv.template_text()) : messages_json(pv.messages());
}

ordered_json parse_or_null(const std::optional<std::string>& text) {
  return text ? ordered_json::parse(*text) : ordered_json(nullptr);
}

// What C++ sees of a prompt version, in the shape the Python script prints.
ordered_json describe_cpp(MlflowClient& client, const std::string& uri,
                          const ordered_json& values) {
  mlflow::LoadPromptOptions load;
  load.cache_ttl_seconds = 0;
  const PromptVersion pv = client.load_prompt(uri, load).value();
  PromptValues vals;
  std::string first_key;
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (first_key.empty()) first_key = it.key();
    vals[it.key()] = to_value(*it);
  }
  ordered_json out;
  out["name"] = pv.name();
  out["version"] = pv.version();
  out["is_text"] = pv.is_text_prompt();
  out["template"] = template_json(pv);
  out["variables"] = pv.variables();
  out["commit_message"] = pv.commit_message() ? ordered_json(*pv.commit_message()) : nullptr;
  out["tags"] = pv.tags();
  std::vector<std::string> aliases = pv.aliases();
  std::sort(aliases.begin(), aliases.end());
  out["aliases"] = aliases;
  out["response_format"] = parse_or_null(pv.response_format());
  out["model_config"] =
      pv.model_config() ? ordered_json::parse(pv.model_config()->to_json()) : nullptr;
  out["uri"] = pv.uri();
  out["single_brace"] = pv.is_text_prompt() ? ordered_json(pv.to_single_brace_format())
                                            : messages_json(pv.to_single_brace_messages());
  out["formatted"] = template_json(pv.format(vals));
  mlflow::FormatOptions partial;
  partial.allow_partial = true;
  out["partial"] = template_json(pv.format({{first_key, vals[first_key]}}, partial));
  // MlflowClient::get_model_version refuses prompts (as Python's); the store gives the raw tags.
  const mlflow::ModelVersion mv =
      registry_store_of(client)->get_model_version(pv.name(), std::to_string(pv.version()));
  out["raw_version_tags"] = mv.tags;
  out["source"] = mv.source;
  const auto prompt = client.get_prompt(pv.name()).value();
  out["prompt_tags"] = prompt.tags;
  out["prompt_description"] =
      prompt.description ? ordered_json(*prompt.description) : ordered_json(nullptr);
  return out;
}

// Compares key by key so a failure names the field.
void expect_same(const ordered_json& python, const ordered_json& cpp, const std::string& what) {
  for (auto it = python.begin(); it != python.end(); ++it) {
    ASSERT_TRUE(cpp.contains(it.key())) << what << ": C++ lacks " << it.key();
    // Maps compare independent of key order (Python dicts vs std::map); tag values as bytes.
    EXPECT_EQ(ordered_json::parse(it.value().dump()).get<nlohmann::json>(),
              ordered_json::parse(cpp[it.key()].dump()).get<nlohmann::json>())
        << what << " field '" << it.key() << "'\n  python: " << it.value().dump()
        << "\n  c++:    " << cpp[it.key()].dump();
  }
}

TEST(PromptRegistryInterop, CppRegisteredPromptsLoadIdenticallyInPython) {
  MlflowClient client(server_uri());
  const std::string prefix = unique_name("pinterop");
  const std::string text_name = prefix + "-text";
  const std::string chat_name = prefix + "-chat";

  mlflow::PromptModelConfig config;
  config.provider = "openai";
  config.model_name = "gpt-4o-mini";
  config.temperature = 0.7;
  config.max_tokens = 1000;
  config.top_p = 0.95;
  config.stop_sequences = std::vector<std::string>{"\n\n", "END"};
  config.extra_params = {{"seed", "42"}, {"response_metadata", R"({"cache_control": true})"}};
  mlflow::RegisterPromptOptions text_options;
  text_options.commit_message = "first text \xc3\xa9";
  text_options.tags = {{"team", "cpp"}, {"lang", "en"}};
  text_options.response_format =
      R"({"type":"object","properties":{"answer":{"type":"string"},"score":{"type":"number"}}})";
  text_options.model_config = config;
  client.register_prompt(text_name,
                         "Time to walk {{ dog }} at {{place}}! \"{{ time }}\" \xe2\x9c\x93\n",
                         text_options);
  const PromptVersion v2 =
      client.register_prompt(text_name, "v2 {{ dog }}", mlflow::RegisterPromptOptions{});
  EXPECT_EQ(v2.version(), 2);
  client.set_prompt_alias(text_name, "prod", 1);

  mlflow::RegisterPromptOptions chat_options;
  chat_options.commit_message = "chat v1";
  chat_options.tags = {{"kind", "chat"}};
  mlflow::PromptModelConfig chat_config;
  chat_config.model_name = "claude";
  chat_config.top_k = 3;
  chat_options.model_config = chat_config;
  client.register_prompt(
      chat_name,
      std::vector<ChatMessage>{{"system", "You help {{ owner }} with <dogs> & \xc3\xbc."},
                               {"user", "Walk {{dog}}? {% if x %}jinja {{ x }}{% endif %}"}},
      chat_options);

  const ordered_json spec =
      ordered_json::array({{{"uri", "prompts:/" + text_name + "@prod"},
                            {"values", {{"dog", "Bella"}, {"place", "the park"}, {"time", 3}}}},
                           {{"uri", "prompts:/" + text_name + "/2"}, {"values", {{"dog", "Dora"}}}},
                           {{"uri", "prompts:/" + chat_name + "@latest"},
                            {"values", {{"owner", "Alice"}, {"dog", "Rex"}, {"x", 1.5}}}}});
  const ordered_json python =
      run_python("read " + shell_quote(server_uri()) + " " + shell_quote(spec.dump()));
  for (const auto& item : spec) {
    const std::string uri = item["uri"].get<std::string>();
    SCOPED_TRACE(uri);
    ASSERT_TRUE(python.contains(uri));
    expect_same(python[uri], describe_cpp(client, uri, item["values"]), uri);
  }
  // Python's own bytes for what C++ wrote, checked against the known encoding.
  const auto& raw = python["prompts:/" + text_name + "@prod"]["raw_version_tags"];
  EXPECT_EQ(raw["_mlflow_prompt_model_config"].get<std::string>(),
            R"({"provider": "openai", "model_name": "gpt-4o-mini", "temperature": 0.7, )"
            R"("max_tokens": 1000, "top_p": 0.95, "stop_sequences": ["\n\n", "END"], )"
            R"("seed": 42, "response_metadata": {"cache_control": true}})");
  EXPECT_EQ(python["prompts:/" + text_name + "@prod"]["source"], "dummy-source");
}

TEST(PromptRegistryInterop, PythonRegisteredPromptsLoadIdenticallyInCpp) {
  MlflowClient client(server_uri());
  const std::string prefix = unique_name("pyinterop");
  const ordered_json python = run_python("write " + shell_quote(server_uri()) + " " + prefix);
  const ordered_json text_values = {{"name", "Ann"}, {"place", "Oslo"}, {"time", 3}};
  const ordered_json chat_values = {{"owner", "Bo"}, {"dog", "Rex"}, {"x", 1}};
  expect_same(python["text"],
              describe_cpp(client, "prompts:/" + prefix + "-py-text@prod", text_values), "text");
  expect_same(python["chat"],
              describe_cpp(client, "prompts:/" + prefix + "-py-chat/1", chat_values), "chat");
  // Re-registering what was loaded writes the same bytes Python wrote.
  const PromptVersion loaded = client.load_prompt(prefix + "-py-text").value();
  mlflow::RegisterPromptOptions again;
  again.model_config = loaded.model_config();
  again.response_format = loaded.response_format();
  const PromptVersion copy =
      client.register_prompt(prefix + "-py-text", loaded.template_text(), again);
  const auto mv = registry_store_of(client)->get_model_version(prefix + "-py-text",
                                                               std::to_string(copy.version()));
  for (const char* key : {"mlflow.prompt.text", "_mlflow_prompt_model_config",
                          "_mlflow_prompt_response_format", "_mlflow_prompt_type"}) {
    EXPECT_EQ(mv.tags.at(key), python["text"]["raw_version_tags"][key].get<std::string>()) << key;
  }
}

}  // namespace
}  // namespace mlflow
