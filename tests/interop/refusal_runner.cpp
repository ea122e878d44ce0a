// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The C++ runner of the refusal conformance table: the mirror of refusal_conformance.py (same
// worlds, same calls, same descriptions of results and stored state).
#include "interop/refusal_runner.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "store/registry_store.hpp"
#include "support/backend_access.hpp"

namespace mlflow::testing {
namespace {

using nlohmann::json;

constexpr const char* kIsPrompt = "mlflow.prompt.is_prompt";
const std::vector<std::string> kWorldNames = {"M", "P", "D", "Q"};
const std::vector<std::string> kSharedWorld = {"M", "P3", "D", "Q"};

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

json describe(const ModelVersion& mv) {
  return {{"kind", "model_version"},
          {"name", mv.name},
          {"version", mv.version},
          {"stage", to_string(mv.current_stage)},
          {"description", opt(mv.description)},
          {"source", mv.source},
          {"run_id", mv.run_id},
          {"status", to_string(mv.status)},
          {"tags", mv.tags},
          {"aliases", sorted(mv.aliases)}};
}

json describe(const RegisteredModel& rm) {
  auto tags = rm.tags;
  tags.erase(kIsPrompt);
  std::vector<std::string> latest;
  for (const auto& mv : rm.latest_versions) {
    latest.push_back(std::string(to_string(mv.current_stage)) + ":" + mv.version);
  }
  return {{"kind", "registered_model"},
          {"name", rm.name},
          {"description", opt(rm.description)},
          {"tags", tags},
          {"aliases", rm.aliases},
          {"latest", sorted(latest)}};
}

json describe(const PromptVersion& pv) {
  json tmpl;
  if (pv.is_text_prompt()) {
    tmpl = pv.template_text();
  } else {
    tmpl = json::array();
    for (const auto& m : pv.messages()) tmpl.push_back({{"role", m.role}, {"content", m.content}});
  }
  return {{"kind", "prompt_version"},
          {"name", pv.name()},
          {"version", pv.version()},
          {"template", tmpl},
          {"commit_message", opt(pv.commit_message())},
          {"tags", pv.tags()},
          {"aliases", sorted(pv.aliases())},
          {"model_config", pv.model_config() ? json::parse(pv.model_config()->to_json()) : json()},
          {"response_format",
           pv.response_format() ? json::parse(*pv.response_format()) : json(nullptr)}};
}

json describe(const Prompt& p) {
  return {
      {"kind", "prompt"}, {"name", p.name}, {"description", opt(p.description)}, {"tags", p.tags}};
}

json describe(const std::string& s) { return s; }

template <typename T>
json describe(const std::optional<T>& v) {
  return v ? describe(*v) : json(nullptr);
}

template <typename T>
json describe(const std::vector<T>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(describe(item));
  return out;
}

template <typename T>
json describe(const PagedList<T>& page) {
  return {{"items", describe(page.items)}, {"more", page.has_next_page()}};
}

void build_world(MlflowClient& c, const std::map<std::string, std::string>& names,
                 const std::vector<std::string>& parts) {
  const auto has = [&](const std::string& p) {
    return std::find(parts.begin(), parts.end(), p) != parts.end();
  };
  if (has("M")) {
    const std::string& m = names.at("M");
    CreateRegisteredModelOptions o;
    o.tags = {{"t", "1"}};
    o.description = "d";
    c.create_registered_model(m, o);
    CreateModelVersionOptions v1;
    v1.description = "v1";
    v1.tags = {{"vt", "1"}};
    c.create_model_version(m, "s3://b/1", v1);
    c.create_model_version(m, "s3://b/2");
    c.create_model_version(m, "s3://b/3");
    c.delete_model_version(m, "3");
    c.transition_model_version_stage(m, "2", "Staging");
    c.set_registered_model_alias(m, "champ", "1");
  }
  if (has("P") || has("P3")) {
    const std::string& p = names.at("P");
    RegisterPromptOptions o;
    o.commit_message = "c1";
    o.tags = {{"team", "a"}};
    c.register_prompt(p, "hello {{x}}", o);
    RegisterPromptOptions o2;
    o2.commit_message = "c2";
    c.register_prompt(p, "bye {{x}}", o2);
    if (has("P3")) {
      RegisterPromptOptions o3;
      o3.commit_message = "c3";
      c.register_prompt(p, "gone", o3);
      c.delete_prompt_version(p, 3);
    }
    c.set_prompt_alias(p, "prod", 1);
  }
  if (has("D")) {
    c.create_registered_model(names.at("D"));
    c.delete_registered_model(names.at("D"));
  }
  if (has("Q")) {
    c.register_prompt(names.at("Q"), "q {{x}}");
    c.delete_prompt(names.at("Q"));
  }
}

// The raw stored state of one name, read through the store (no client-side checks).
json read_state(internal::RegistryStore& store, const std::string& name) {
  json out;
  try {
    const RegisteredModel rm = store.get_registered_model(name);
    out["model"] = {
        {"description", opt(rm.description)}, {"tags", rm.tags}, {"aliases", rm.aliases}};
  } catch (const MlflowException& e) {
    out["model"] = error_code_name(e.error_code());
  }
  for (int v = 1; v <= 4; ++v) {
    try {
      const ModelVersion mv = store.get_model_version(name, std::to_string(v));
      out[std::to_string(v)] = {{"stage", to_string(mv.current_stage)},
                                {"description", opt(mv.description)},
                                {"source", mv.source},
                                {"run_id", mv.run_id},
                                {"tags", mv.tags},
                                {"aliases", sorted(mv.aliases)}};
    } catch (const MlflowException& e) {
      out[std::to_string(v)] = error_code_name(e.error_code());
    }
  }
  return out;
}

std::string s(const json& a, const char* key) { return a.at(key).get<std::string>(); }
int i(const json& a, const char* key) { return a.at(key).get<int>(); }
std::optional<std::string> opt_s(const json& a, const char* key) {
  if (!a.contains(key) || a[key].is_null()) return std::nullopt;
  return a[key].get<std::string>();
}
std::map<std::string, std::string> tags(const json& a) {
  return a.contains("tags") ? a["tags"].get<std::map<std::string, std::string>>()
                            : std::map<std::string, std::string>{};
}

LoadPromptOptions load_options(const json& a) {
  LoadPromptOptions o;
  if (a.contains("version")) o.version = i(a, "version");
  o.allow_missing = a.value("allow_missing", false);
  o.cache_ttl_seconds = 0;  // as the Python runner: every load reads the store
  return o;
}

RegisterPromptOptions register_options(const json& a) {
  RegisterPromptOptions o;
  o.commit_message = opt_s(a, "commit_message");
  o.tags = tags(a);
  return o;
}

json register_prompt(MlflowClient* c, const json& a) {
  const RegisterPromptOptions o = register_options(a);
  if (a.at("template").is_string()) {
    const std::string t = s(a, "template");
    return describe(c ? c->register_prompt(s(a, "name"), t, o)
                      : mlflow::register_prompt(s(a, "name"), t, o));
  }
  std::vector<ChatMessage> messages;
  for (const auto& m : a.at("template")) messages.push_back({m.at("role"), m.at("content")});
  return describe(c ? c->register_prompt(s(a, "name"), messages, o)
                    : mlflow::register_prompt(s(a, "name"), messages, o));
}

SearchRegisteredModelsOptions rm_search(const json& a) {
  SearchRegisteredModelsOptions o;
  o.filter_string = a.value("filter_string", "");
  if (a.contains("max_results")) o.max_results = i(a, "max_results");
  if (a.contains("order_by")) o.order_by = a["order_by"].get<std::vector<std::string>>();
  return o;
}

SearchModelVersionsOptions mv_search(const json& a) {
  SearchModelVersionsOptions o;
  o.filter_string = a.value("filter_string", "");
  if (a.contains("max_results")) o.max_results = i(a, "max_results");
  return o;
}

using Op = std::function<json(MlflowClient&, const json&)>;

const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> table = {
      {"create_registered_model",
       [](MlflowClient& c, const json& a) {
         CreateRegisteredModelOptions o;
         o.tags = tags(a);
         o.description = opt_s(a, "description");
         return describe(c.create_registered_model(s(a, "name"), o));
       }},
      {"get_registered_model",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_registered_model(s(a, "name")));
       }},
      {"rename_registered_model",
       [](MlflowClient& c, const json& a) {
         return describe(c.rename_registered_model(s(a, "name"), s(a, "new_name")));
       }},
      {"update_registered_model",
       [](MlflowClient& c, const json& a) {
         return describe(c.update_registered_model(s(a, "name"), opt_s(a, "description")));
       }},
      {"delete_registered_model",
       [](MlflowClient& c, const json& a) {
         c.delete_registered_model(s(a, "name"));
         return json();
       }},
      {"search_registered_models",
       [](MlflowClient& c, const json& a) {
         return describe(c.search_registered_models(rm_search(a)));
       }},
      {"get_latest_versions",
       [](MlflowClient& c, const json& a) {
         std::vector<std::string> stages;
         if (a.contains("stages")) stages = a["stages"].get<std::vector<std::string>>();
         return describe(c.get_latest_versions(s(a, "name"), stages));
       }},
      {"set_registered_model_tag",
       [](MlflowClient& c, const json& a) {
         c.set_registered_model_tag(s(a, "name"), s(a, "key"), s(a, "value"));
         return json();
       }},
      {"delete_registered_model_tag",
       [](MlflowClient& c, const json& a) {
         c.delete_registered_model_tag(s(a, "name"), s(a, "key"));
         return json();
       }},
      {"create_model_version",
       [](MlflowClient& c, const json& a) {
         CreateModelVersionOptions o;
         o.tags = tags(a);
         o.run_id = opt_s(a, "run_id");
         o.description = opt_s(a, "description");
         return describe(c.create_model_version(s(a, "name"), s(a, "source"), o));
       }},
      {"get_model_version",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_model_version(s(a, "name"), s(a, "version")));
       }},
      {"update_model_version",
       [](MlflowClient& c, const json& a) {
         return describe(
             c.update_model_version(s(a, "name"), s(a, "version"), opt_s(a, "description")));
       }},
      {"transition_model_version_stage",
       [](MlflowClient& c, const json& a) {
         return describe(
             c.transition_model_version_stage(s(a, "name"), s(a, "version"), s(a, "stage"),
                                              a.value("archive_existing_versions", false)));
       }},
      {"delete_model_version",
       [](MlflowClient& c, const json& a) {
         c.delete_model_version(s(a, "name"), s(a, "version"));
         return json();
       }},
      {"search_model_versions",
       [](MlflowClient& c, const json& a) {
         return describe(c.search_model_versions(mv_search(a)));
       }},
      {"get_model_version_download_uri",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_model_version_download_uri(s(a, "name"), s(a, "version")));
       }},
      {"set_model_version_tag",
       [](MlflowClient& c, const json& a) {
         c.set_model_version_tag(s(a, "name"), s(a, "version"), s(a, "key"), s(a, "value"));
         return json();
       }},
      {"delete_model_version_tag",
       [](MlflowClient& c, const json& a) {
         c.delete_model_version_tag(s(a, "name"), s(a, "version"), s(a, "key"));
         return json();
       }},
      {"set_registered_model_alias",
       [](MlflowClient& c, const json& a) {
         c.set_registered_model_alias(s(a, "name"), s(a, "alias"), s(a, "version"));
         return json();
       }},
      {"delete_registered_model_alias",
       [](MlflowClient& c, const json& a) {
         c.delete_registered_model_alias(s(a, "name"), s(a, "alias"));
         return json();
       }},
      {"get_model_version_by_alias",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_model_version_by_alias(s(a, "name"), s(a, "alias")));
       }},
      {"register_model",
       [](MlflowClient& c, const json& a) {
         RegisterModelOptions o;
         o.tags = tags(a);
         return describe(c.register_model(s(a, "model_uri"), s(a, "name"), o));
       }},
      {"register_prompt", [](MlflowClient& c, const json& a) { return register_prompt(&c, a); }},
      {"load_prompt",
       [](MlflowClient& c, const json& a) {
         return describe(c.load_prompt(s(a, "name_or_uri"), load_options(a)));
       }},
      {"search_prompts",
       [](MlflowClient& c, const json& a) {
         SearchPromptsOptions o;
         o.filter_string = a.value("filter_string", "");
         return describe(c.search_prompts(o));
       }},
      {"search_prompt_versions",
       [](MlflowClient& c, const json& a) {
         return describe(c.search_prompt_versions(s(a, "name")));
       }},
      {"get_prompt",
       [](MlflowClient& c, const json& a) { return describe(c.get_prompt(s(a, "name"))); }},
      {"get_prompt_version",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_prompt_version(s(a, "name"), i(a, "version")));
       }},
      {"get_prompt_version_by_alias",
       [](MlflowClient& c, const json& a) {
         return describe(c.get_prompt_version_by_alias(s(a, "name"), s(a, "alias")));
       }},
      {"delete_prompt",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt(s(a, "name"));
         return json();
       }},
      {"delete_prompt_version",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt_version(s(a, "name"), i(a, "version"));
         return json();
       }},
      {"set_prompt_alias",
       [](MlflowClient& c, const json& a) {
         c.set_prompt_alias(s(a, "name"), s(a, "alias"), i(a, "version"));
         return json();
       }},
      {"delete_prompt_alias",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt_alias(s(a, "name"), s(a, "alias"));
         return json();
       }},
      {"set_prompt_tag",
       [](MlflowClient& c, const json& a) {
         c.set_prompt_tag(s(a, "name"), s(a, "key"), s(a, "value"));
         return json();
       }},
      {"delete_prompt_tag",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt_tag(s(a, "name"), s(a, "key"));
         return json();
       }},
      {"set_prompt_version_tag",
       [](MlflowClient& c, const json& a) {
         c.set_prompt_version_tag(s(a, "name"), i(a, "version"), s(a, "key"), s(a, "value"));
         return json();
       }},
      {"delete_prompt_version_tag",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt_version_tag(s(a, "name"), i(a, "version"), s(a, "key"));
         return json();
       }},
      {"set_prompt_model_config",
       [](MlflowClient& c, const json& a) {
         c.set_prompt_model_config(s(a, "name"), i(a, "version"),
                                   PromptModelConfig::from_json(a.at("model_config").dump()));
         return json();
       }},
      {"delete_prompt_model_config",
       [](MlflowClient& c, const json& a) {
         c.delete_prompt_model_config(s(a, "name"), i(a, "version"));
         return json();
       }},
      // The fluent functions (through the default client, set to the same store).
      {"fluent.register_model",
       [](MlflowClient&, const json& a) {
         RegisterModelOptions o;
         o.tags = tags(a);
         return describe(mlflow::register_model(s(a, "model_uri"), s(a, "name"), o));
       }},
      {"fluent.search_registered_models",
       [](MlflowClient&, const json& a) {
         return describe(mlflow::search_registered_models(rm_search(a)));
       }},
      {"fluent.search_model_versions",
       [](MlflowClient&, const json& a) {
         return describe(mlflow::search_model_versions(mv_search(a)));
       }},
      {"fluent.set_model_version_tag",
       [](MlflowClient&, const json& a) {
         mlflow::set_model_version_tag(s(a, "name"), s(a, "version"), s(a, "key"), s(a, "value"));
         return json();
       }},
      {"fluent.register_prompt",
       [](MlflowClient&, const json& a) { return register_prompt(nullptr, a); }},
      {"fluent.load_prompt",
       [](MlflowClient&, const json& a) {
         return describe(mlflow::load_prompt(s(a, "name_or_uri"), load_options(a)));
       }},
      {"fluent.search_prompts",
       [](MlflowClient&, const json& a) {
         SearchPromptsOptions o;
         o.filter_string = a.value("filter_string", "");
         return describe(mlflow::search_prompts(o));
       }},
      {"fluent.set_prompt_alias",
       [](MlflowClient&, const json& a) {
         mlflow::set_prompt_alias(s(a, "name"), s(a, "alias"), i(a, "version"));
         return json();
       }},
      {"fluent.delete_prompt_alias",
       [](MlflowClient&, const json& a) {
         mlflow::delete_prompt_alias(s(a, "name"), s(a, "alias"));
         return json();
       }},
  };
  return table;
}

json substitute(const json& value, const std::map<std::string, std::string>& names) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (const auto& [key, name] : names) {
      const std::string token = "{" + key + "}";
      for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos)) {
        text.replace(pos, token.size(), name);
        pos += name.size();
      }
    }
    return text;
  }
  if (value.is_array() || value.is_object()) {
    json out = value;
    for (auto it = out.begin(); it != out.end(); ++it) *it = substitute(*it, names);
    return out;
  }
  return value;
}

std::string replace_all(std::string text,
                        const std::vector<std::pair<std::string, std::string>>& replacements) {
  for (const auto& [raw, placeholder] : replacements) {
    for (auto pos = text.find(raw); pos != std::string::npos; pos = text.find(raw, pos)) {
      text.replace(pos, raw.size(), placeholder);
      pos += placeholder.size();
    }
  }
  return text;
}

json normalise(const json& value,
               const std::vector<std::pair<std::string, std::string>>& replacements) {
  if (value.is_string()) return replace_all(value.get<std::string>(), replacements);
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) out.push_back(normalise(v, replacements));
    return out;
  }
  if (value.is_object()) {
    json out = json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      out[replace_all(it.key(), replacements)] = normalise(it.value(), replacements);
    }
    return out;
  }
  return value;
}

}  // namespace

json run_refusal_cases(const json& cases, const std::string& uri, const std::string& token) {
  set_tracking_uri(uri);
  set_registry_uri(uri);
  MlflowClient c(uri);
  const auto store_owner = registry_store_of(c);
  auto& store = *store_owner;
  const std::string run_id = c.create_run("0").info.run_id;
  std::set<std::string> built;
  json results = json::object();
  std::vector<std::string> all_names = kWorldNames;
  all_names.insert(all_names.end(), {"X", "N"});
  for (const auto& tc : cases) {
    const std::string id = tc.at("id");
    const std::string world_id = tc.at("world_id");
    const std::string prefix = "rf" + token + world_id + "_";
    std::map<std::string, std::string> names;
    for (const auto& k : all_names) names[k] = prefix + k;
    names["RUN"] = run_id;
    if (built.insert(world_id).second) {
      build_world(
          c, names,
          world_id == "shared" ? kSharedWorld : tc.at("world").get<std::vector<std::string>>());
    }
    const json args = substitute(tc.at("args"), names);
    json entry;
    try {
      entry["outcome"] = {{"result", ops().at(tc.at("op").get<std::string>())(c, args)}};
    } catch (const MlflowException& e) {
      entry["outcome"] = {{"error", error_code_name(e.error_code())}, {"message", e.what()}};
    }
    if (world_id != "shared") {
      const std::string used = tc.at("args").dump();
      std::set<char> parts;
      for (const auto& p : tc.at("world")) parts.insert(p.get<std::string>()[0]);
      json state = json::object();
      for (const auto& k : all_names) {
        if (parts.count(k[0]) != 0 || used.find("{" + k + "}") != std::string::npos) {
          state[k] = read_state(store, names[k]);
        }
      }
      entry["state"] = state;
    }
    std::vector<std::pair<std::string, std::string>> replacements = {{run_id, "{RUN}"}};
    for (const auto& k : all_names) replacements.emplace_back(prefix + k, k);
    results[id] = normalise(entry, replacements);
  }
  return results;
}

}  // namespace mlflow::testing
