// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's prompt registry: prompts as registered models and versions with MLflow's
// prompt tags, written through the RegistryStore seam (REST server and embedded store alike)
// with the calls and bytes of Python MLflow 3.18's OSS path (mlflow/tracking/client.py,
// mlflow/store/model_registry/abstract_store.py). The public registry methods refuse the prompt
// marker tag, so this layer talks to the store directly.
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string_view>

#include "client/client_impl.hpp"
#include "client/prompt_experiment_link.hpp"
#include "client/prompt_marker.hpp"
#include "client/registry_validation.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/prompt_cache.hpp"
#include "prompts/python_json.hpp"

namespace mlflow {
namespace {

constexpr const char* kIsPrompt = "mlflow.prompt.is_prompt";
constexpr const char* kText = "mlflow.prompt.text";
constexpr const char* kType = "_mlflow_prompt_type";
constexpr const char* kResponseFormat = "_mlflow_prompt_response_format";
constexpr const char* kModelConfig = "_mlflow_prompt_model_config";
// The placeholder source Python's MlflowClient.register_prompt sends; the server accepts only
// MLflow's own placeholders as prompt sources.
constexpr const char* kPromptSource = "dummy-source";
constexpr OperationKind kPrompt = OperationKind::kPrompt;
using internal::on_prompt;

bool is_reserved_version_tag(const std::string& key) {
  return key == kIsPrompt || key == kText || key == kType || key == kResponseFormat ||
         key == kModelConfig;
}

[[noreturn]] void invalid(const std::string& message) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue, message);
}

void validate_prompt_name(const std::string& name) {
  if (name.empty()) invalid("Prompt name must be a non-empty string.");
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) {
      invalid(
          "Prompt name can only contain alphanumeric characters, hyphens, underscores, and "
          "dots.");
    }
  }
}

using internal::has_prompt_tag;

void require_prompt(const RegisteredModel& rm, const char* instead) {
  const auto it = rm.tags.find(kIsPrompt);
  if (it == rm.tags.end() || it->second != "true") {
    invalid("Name `" + rm.name + "` is registered as a model, not a prompt. Use " + instead +
            " instead.");
  }
}

Prompt to_prompt(const RegisteredModel& rm) {
  Prompt p;
  p.name = rm.name;
  p.description = rm.description;  // None when unset on the embedded store, "" over REST
  p.creation_timestamp = rm.creation_timestamp;
  p.tags = rm.tags;
  p.tags.erase(kIsPrompt);
  return p;
}

// model_version_to_prompt_version of Python.
PromptVersion to_prompt_version(const ModelVersion& mv) {
  if (!has_prompt_tag(mv.tags)) {
    invalid("Name `" + mv.name + "` is registered as a model, not a prompt. MLflow does not " +
            "allow registering a prompt with the same name as an existing model.");
  }
  const auto text = mv.tags.find(kText);
  if (text == mv.tags.end()) invalid("Prompt `" + mv.name + "` does not contain a prompt text");
  int version = 0;
  try {
    version = std::stoi(mv.version);
  } catch (const std::exception&) {
    invalid("Prompt `" + mv.name + "` has a non-numeric version '" + mv.version + "'.");
  }
  const auto type = mv.tags.find(kType);
  PromptVersion pv;
  if (type != mv.tags.end() && type->second == "chat") {
    const auto j = internal::pyjson::parse(text->second, "The chat prompt's messages");
    if (!j.is_array() || j.empty()) invalid("Prompt `" + mv.name + "` has no chat messages.");
    std::vector<ChatMessage> messages;
    for (const auto& m : j) {
      if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
        invalid("Prompt `" + mv.name + "` has a chat message without a string role.");
      }
      ChatMessage msg;
      msg.role = m["role"].get<std::string>();
      if (m.contains("content") && !m["content"].is_null()) {
        if (!m["content"].is_string()) {
          invalid("Prompt `" + mv.name +
                  "` has structured (non-text) message content, which mlflow-cpp does not "
                  "support.");
        }
        msg.content = m["content"].get<std::string>();
      }
      messages.push_back(std::move(msg));
    }
    pv = PromptVersion(mv.name, version, std::move(messages));
  } else {
    pv = PromptVersion(mv.name, version, text->second);
  }
  // None on the embedded store when the version has no description; "" over REST, as Python.
  pv = pv.with_commit_message(mv.description);
  const auto rf = mv.tags.find(kResponseFormat);
  if (rf != mv.tags.end()) pv = pv.with_response_format(rf->second);
  const auto mc = mv.tags.find(kModelConfig);
  if (mc != mv.tags.end()) pv = pv.with_model_config(PromptModelConfig::from_json(mc->second));
  std::map<std::string, std::string> tags;
  for (const auto& [k, v] : mv.tags) {
    if (!is_reserved_version_tag(k)) tags.emplace(k, v);
  }
  return pv.with_tags(std::move(tags))
      .with_aliases(mv.aliases)
      .with_timestamps(mv.creation_timestamp, mv.last_updated_timestamp,
                       mv.user_id.empty() ? std::nullopt : std::optional<std::string>(mv.user_id));
}

// The cache namespace of a client: its tracking URI plus an id unique to its registry store
// object, so that clients with different credentials or workspaces never share entries (Python
// keys by registry URI and workspace; a client here does not expose its workspace).
std::string cache_namespace(const MlflowClient& client,
                            const std::shared_ptr<internal::RegistryStore>& store) {
  static std::mutex mu;
  static std::map<const void*, std::pair<std::weak_ptr<internal::RegistryStore>, std::uint64_t>>
      ids;
  static std::uint64_t next_id = 0;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = ids[store.get()];
  if (slot.first.expired() || slot.first.lock() != store) {
    slot = {store, ++next_id};
  }
  return client.tracking_uri() + "#" + std::to_string(slot.second);
}

// The version `uri` names, taken from the registered model's own answer when that answer
// carries it: `latest_versions` holds the newest version of each stage with all its tags, and
// `aliases` maps every alias to its version. Python asks the registry a second time
// (get_model_version / get_model_version_by_alias) and gets the same version back, its
// aliases being those of the model that point at it (in the store's alias order, by name).
// So a prompt's newest version (by number, by an alias on it, or as `@latest`) costs one
// round trip; any other version, or an alias the model does not list, costs Python's second
// request, whose answer (or error) is then the store's own.
std::optional<ModelVersion> version_carried_by(const RegisteredModel& rm, const PromptUri& uri) {
  std::string wanted;
  if (uri.version) {
    wanted = std::to_string(*uri.version);
  } else if (uri.alias && internal::to_lower(*uri.alias) == "latest") {
    // MLflow 3.18's `latest`: the highest version among the newest of each stage.
    long long best = -1;
    for (const ModelVersion& mv : rm.latest_versions) {
      try {
        if (std::stoll(mv.version) > best) {
          best = std::stoll(mv.version);
          wanted = mv.version;
        }
      } catch (const std::exception&) {
        return std::nullopt;  // not a number: let the store answer
      }
    }
  } else if (uri.alias) {
    const auto it = rm.aliases.find(*uri.alias);
    if (it == rm.aliases.end()) return std::nullopt;
    wanted = it->second;
  }
  if (wanted.empty()) return std::nullopt;
  for (const ModelVersion& mv : rm.latest_versions) {
    if (mv.version != wanted) continue;
    ModelVersion out = mv;
    out.aliases.clear();
    for (const auto& [alias, version] : rm.aliases) {
      if (version == wanted) out.aliases.push_back(alias);
    }
    return out;
  }
  return std::nullopt;
}

// Python passes int(version) on; a version that does not exist (0, -1) is the store's
// RESOURCE_DOES_NOT_EXIST.
std::string version_text(int version) { return std::to_string(version); }

// Python's translate_prompt_exception, around every public prompt call: in an error's message
// "registered model" / "model version" (any case) become "prompt", capitalised when the
// original was ("Registered Model with name=x not found" -> "Prompt with name=x not found");
// the error code is kept.
std::string prompt_wording(const std::string& message) {
  static const char* const kPhrases[] = {"registered model", "model version"};
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    bool replaced = false;
    for (const char* phrase : kPhrases) {
      const std::string_view p(phrase);
      if (i + p.size() <= message.size() && internal::iequals(message.substr(i, p.size()), p)) {
        out += std::isupper(static_cast<unsigned char>(message[i])) ? "Prompt" : "prompt";
        i += p.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += message[i++];
  }
  return out;
}

// Called from a catch block: rethrows `e`, in prompt words when the registry's appear in it.
[[noreturn]] void rethrow_in_prompt_words(const MlflowException& e) {
  const std::string message = e.what();
  const std::string translated = prompt_wording(message);
  if (translated == message) throw;
  throw_error(e.error_code(), translated, e.http_status(), e.server_error_code());
}

template <typename Call>
auto prompt_call(Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const MlflowException& e) {
    rethrow_in_prompt_words(e);
  }
}

// A cache key of one alias (built directly: any alias text the store refuses never gets here).
PromptUri alias_uri(const std::string& name, const std::string& alias) {
  PromptUri uri;
  uri.name = name;
  uri.alias = alias;
  return uri;
}

// _parse_experiment_id_filter of Python: `experiment_id = "N"` becomes a LIKE on the prompt's
// linked-experiments tag.
std::string rewrite_experiment_filter(const std::string& filter) {
  static const std::regex pattern(R"(experiment_id\s*=\s*['"]([^'"]+)['"])");
  std::smatch m;
  if (!std::regex_search(filter, m, pattern)) return filter;
  const std::string id = m[1].str();  // the first clause's id; every clause is removed
  std::string rest = std::regex_replace(filter, pattern, "");
  const auto trim = [](std::string s) {
    const auto b = s.find_first_not_of(" \t\n\r");
    const auto e = s.find_last_not_of(" \t\n\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  rest = trim(rest);
  rest = std::regex_replace(rest, std::regex(R"(^\s*AND\s+)"), "");
  rest = std::regex_replace(rest, std::regex(R"(\s+AND\s*$)"), "");
  rest = std::regex_replace(rest, std::regex(R"(\s+AND\s+AND\s+)"), " AND ");
  for (const char c : id) {
    if (c < '0' || c > '9') {
      invalid("Invalid experiment_id: " + id + ". Must be a numeric value.");
    }
  }
  const std::string clause =
      std::string("tags.") + internal::kPromptExperimentIdsTag + " LIKE '%," + id + ",%'";
  return rest.empty() ? clause : clause + " AND " + rest;
}

// The OSS path of Python's MlflowClient.register_prompt, after the template is encoded.
PromptVersion register_version(const MlflowClient& client,
                               const std::shared_ptr<internal::RegistryStore>& store,
                               const std::string& name, const std::string& type,
                               const std::string& text, const RegisterPromptOptions& options) {
  validate_prompt_name(name);
  // Everything that can be refused locally is checked before the registry is touched.
  internal::utf8::require_valid(text, "template");
  if (options.commit_message)
    internal::utf8::require_valid(*options.commit_message, "commit_message");
  // Python's registry store checks every tag of the new prompt and version, the template
  // (stored as the mlflow.prompt.text tag) included.
  for (const auto& [k, v] : options.tags) {
    internal::utf8::require_valid(k, "tag key");
    internal::utf8::require_valid(v, "tag value");
    internal::validate_registry_tag(k, v);
  }
  if (internal::utf8::length(text) > internal::kMaxRegistryTagValueLength) {
    invalid("Prompt text exceeds max length of " +
            std::to_string(internal::kMaxRegistryTagValueLength) + " characters.");
  }
  std::optional<std::string> response_format;
  if (options.response_format) {
    const auto j = internal::pyjson::parse(*options.response_format, "The response format");
    if (!j.is_object()) invalid("The response format must be a JSON object (a JSON schema).");
    if (!j.empty()) response_format = internal::pyjson::dumps(j);  // `if response_format:`
  }
  std::optional<std::string> model_config;
  if (options.model_config) model_config = options.model_config->to_json();

  bool is_new = false;
  std::optional<RegisteredModel> existing;
  try {
    existing = store->get_registered_model(name);
  } catch (const MlflowException&) {
    // Python creates the prompt after any registry error of this read.
    std::vector<RegisteredModelTag> tags{{kIsPrompt, "true"}};
    for (const auto& [k, v] : options.tags) {
      if (k != kIsPrompt) tags.push_back({k, v});
    }
    store->create_registered_model(name, tags, options.commit_message);
    is_new = true;
  }
  if (existing && !has_prompt_tag(existing->tags)) {
    invalid("Model '" + name +
            "' exists with the same name. MLflow does not allow registering a prompt with the "
            "same name as an existing model. Please choose a different name for the prompt.");
  }
  if (!is_new) {
    for (const auto& [k, v] : options.tags) store->set_registered_model_tag(name, {k, v});
  }

  // User tags first; MLflow's own keys win, as in Python's tags.update(...).
  std::map<std::string, std::string> merged = options.tags;
  merged[kIsPrompt] = "true";
  merged[kType] = type;
  merged[kText] = text;
  if (response_format) merged[kResponseFormat] = *response_format;
  if (model_config) merged[kModelConfig] = *model_config;
  internal::CreateModelVersionRequest request;
  request.name = name;
  request.source = kPromptSource;
  request.description = options.commit_message;
  for (const auto& [k, v] : merged) request.tags.push_back({k, v});

  ModelVersion mv;
  try {
    mv = store->create_model_version(request);
  } catch (...) {
    // A prompt without versions would be left behind; Python deletes it the same way.
    if (is_new) {
      try {
        store->delete_registered_model(name);
      } catch (const std::exception&) {
        // the original error is the one worth reporting
      }
    }
    throw;
  }
  PromptCache::instance().erase(cache_namespace(client, store), "", alias_uri(name, "latest"));
  // Python reads the prompt's tags again here; they also say which experiments it is linked to.
  const RegisteredModel prompt = store->get_registered_model(name);
  internal::link_prompt_to_current_experiment(*store, name, &prompt.tags);
  return to_prompt_version(mv);
}

bool missing_error(const MlflowException& e) {
  const ErrorCode c = e.error_code();
  return c == ErrorCode::kResourceDoesNotExist || c == ErrorCode::kInvalidParameterValue ||
         c == ErrorCode::kNotFound;
}

}  // namespace

PromptVersion MlflowClient::register_prompt(const std::string& name,
                                            const std::string& template_text,
                                            const RegisterPromptOptions& options) {
  return impl_->hooks().run("register_prompt", kPrompt, on_prompt(name), [&] {
    return prompt_call([&] {
      return register_version(*this, impl_->registry(), name, "text", template_text, options);
    });
  });
}

PromptVersion MlflowClient::register_prompt(const std::string& name,
                                            const std::vector<ChatMessage>& messages,
                                            const RegisterPromptOptions& options) {
  return impl_->hooks().run("register_prompt", kPrompt, on_prompt(name), [&] {
    return prompt_call([&] {
      // The constructor checks the messages; template_text() is Python's json.dumps of them.
      const PromptVersion draft(name, 1, messages);
      return register_version(*this, impl_->registry(), name, "chat", draft.template_text(),
                              options);
    });
  });
}

std::optional<PromptVersion> MlflowClient::load_prompt(const std::string& name_or_uri,
                                                       const LoadPromptOptions& options) {
  const auto describe = [&](Operation& op) {
    try {
      const PromptUri uri = PromptUri::resolve(name_or_uri, options.version);
      op.target.prompt = op.target.registered_model = uri.name;
      if (uri.version) op.target.version = std::to_string(*uri.version);
    } catch (const MlflowException&) {
      op.target.prompt = name_or_uri;  // the body refuses it
    }
  };
  return impl_->hooks().run(
      "load_prompt", kPrompt, describe, [&]() -> std::optional<PromptVersion> {
        const PromptUri uri = PromptUri::resolve(name_or_uri, options.version);
        std::optional<std::chrono::duration<double>> ttl;
        if (options.cache_ttl_seconds) {
          if (!(*options.cache_ttl_seconds >= 0)) {
            invalid("`cache_ttl_seconds` argument must be greater than or equal to 0.");
          }
          if (!std::isinf(*options.cache_ttl_seconds)) {
            ttl = std::chrono::duration<double>(*options.cache_ttl_seconds);
          }
        } else {
          ttl = PromptCache::default_ttl(uri);
        }
        const bool use_cache = !ttl || ttl->count() > 0;
        const auto& store = impl_->registry();
        std::string ns;
        if (use_cache) {
          ns = cache_namespace(*this, store);
          if (auto cached = PromptCache::instance().get(ns, "", uri)) return cached;
        }
        try {
          // get_prompt_version of Python: the registered model must be a prompt, then the
          // version (from the model's answer when it carries it: see version_carried_by).
          const RegisteredModel rm = store->get_registered_model(uri.name);
          require_prompt(rm, "get_model_version() or load_model()");
          std::optional<ModelVersion> carried = version_carried_by(rm, uri);
          const ModelVersion mv =
              carried       ? std::move(*carried)
              : uri.version ? store->get_model_version(uri.name, std::to_string(*uri.version))
                            : store->get_model_version_by_alias(uri.name, *uri.alias);
          if (!has_prompt_tag(mv.tags)) return std::nullopt;
          PromptVersion pv = to_prompt_version(mv);
          // A load from the registry (not the cache) links the prompt to the current experiment.
          internal::link_prompt_to_current_experiment(*store, uri.name, &rm.tags);
          if (use_cache) PromptCache::instance().set(ns, "", uri, pv, ttl);
          return pv;
        } catch (const MlflowException& e) {
          if (options.allow_missing && missing_error(e)) return std::nullopt;
          rethrow_in_prompt_words(e);
        }
      });
}

PagedList<Prompt> MlflowClient::search_prompts(const SearchPromptsOptions& options) {
  return impl_->hooks().run("search_prompts", kPrompt, internal::no_target(), [&] {
    return prompt_call([&] {
      SearchRegisteredModelsOptions search;
      search.filter_string = std::string("tags.`") + kIsPrompt + "` = 'true'";
      if (!options.filter_string.empty()) {
        search.filter_string += " AND " + rewrite_experiment_filter(options.filter_string);
      }
      search.max_results = options.max_results;
      search.order_by = options.order_by;
      search.page_token = options.page_token;
      const PagedList<RegisteredModel> page = impl_->registry()->search_registered_models(search);
      PagedList<Prompt> out;
      for (const auto& rm : page.items) out.items.push_back(to_prompt(rm));
      out.token = page.token;
      return out;
    });
  });
}

PageRange<Prompt> MlflowClient::search_prompts_all(SearchPromptsOptions options) {
  MlflowClient client = *this;
  return PageRange<Prompt>([client, options](const std::string& token) mutable {
    options.page_token = token;
    return client.search_prompts(options);
  });
}

PagedList<PromptVersion> MlflowClient::search_prompt_versions(
    const std::string& name, const SearchPromptVersionsOptions& options) {
  return impl_->hooks().run("search_prompt_versions", kPrompt, on_prompt(name), [&] {
    return prompt_call([&] {
      const auto& store = impl_->registry();
      require_prompt(store->get_registered_model(name), "search_model_versions()");
      SearchModelVersionsOptions search;
      // The prompt marker clause is what makes the server include prompt versions at all.
      std::string quoted = name;
      for (std::size_t i = 0; (i = quoted.find('\'', i)) != std::string::npos; i += 2) {
        quoted.insert(i, "\\");
      }
      search.filter_string = "name = '" + quoted + "' AND tag.`" + kIsPrompt + "` = 'true'";
      search.max_results = options.max_results;
      search.order_by = {"version_number DESC"};
      search.page_token = options.page_token;
      const PagedList<ModelVersion> page = store->search_model_versions(search);
      PagedList<PromptVersion> out;
      for (const auto& mv : page.items) out.items.push_back(to_prompt_version(mv));
      out.token = page.token;
      return out;
    });
  });
}

PageRange<PromptVersion> MlflowClient::search_prompt_versions_all(
    const std::string& name, SearchPromptVersionsOptions options) {
  MlflowClient client = *this;
  return PageRange<PromptVersion>([client, name, options](const std::string& token) mutable {
    options.page_token = token;
    return client.search_prompt_versions(name, options);
  });
}

std::optional<Prompt> MlflowClient::get_prompt(const std::string& name) {
  return impl_->hooks().run("get_prompt", kPrompt, on_prompt(name), [&]() -> std::optional<Prompt> {
    try {
      const RegisteredModel rm = impl_->registry()->get_registered_model(name);
      const auto it = rm.tags.find(kIsPrompt);
      if (it == rm.tags.end() || it->second != "true") return std::nullopt;
      return to_prompt(rm);
    } catch (const MlflowException&) {
      // Python's store answers None for any failure to read it.
      return std::nullopt;
    }
  });
}

std::optional<PromptVersion> MlflowClient::get_prompt_version(const std::string& name,
                                                              int version) {
  return impl_->hooks().run(
      "get_prompt_version", kPrompt, on_prompt(name, version),
      [&]() -> std::optional<PromptVersion> {
        return prompt_call([&]() -> std::optional<PromptVersion> {
          const auto& store = impl_->registry();
          require_prompt(store->get_registered_model(name), "get_model_version() or load_model()");
          const ModelVersion mv = store->get_model_version(name, version_text(version));
          if (!has_prompt_tag(mv.tags)) return std::nullopt;
          return to_prompt_version(mv);
        });
      });
}

std::optional<PromptVersion> MlflowClient::get_prompt_version_by_alias(const std::string& name,
                                                                       const std::string& alias) {
  return impl_->hooks().run(
      "get_prompt_version_by_alias", kPrompt, on_prompt(name),
      [&]() -> std::optional<PromptVersion> {
        return prompt_call([&]() -> std::optional<PromptVersion> {
          // Python's store reads an alias through get_prompt_version, with its wording.
          const auto& store = impl_->registry();
          require_prompt(store->get_registered_model(name), "get_model_version() or load_model()");
          const ModelVersion mv = store->get_model_version_by_alias(name, alias);
          if (!has_prompt_tag(mv.tags)) return std::nullopt;
          return to_prompt_version(mv);
        });
      });
}

// The calls below, as Python's, act on whatever registered model has the name: Python checks
// the prompt marker only where it reads a prompt (load, get, search, set_prompt_alias).

void MlflowClient::delete_prompt(const std::string& name) {
  impl_->hooks().run("delete_prompt", kPrompt, on_prompt(name), [&] {
    prompt_call([&] {
      const auto& store = impl_->registry();
      store->delete_registered_model(name);
      PromptCache::instance().erase_all(cache_namespace(*this, store), "", name);
    });
  });
}

void MlflowClient::delete_prompt_version(const std::string& name, int version) {
  impl_->hooks().run("delete_prompt_version", kPrompt, on_prompt(name, version), [&] {
    prompt_call([&] {
      const auto& store = impl_->registry();
      store->delete_model_version(name, version_text(version));
      PromptCache::instance().erase_all(cache_namespace(*this, store), "", name);
    });
  });
}

void MlflowClient::set_prompt_alias(const std::string& name, const std::string& alias,
                                    int version) {
  impl_->hooks().run("set_prompt_alias", kPrompt, on_prompt(name, version), [&] {
    prompt_call([&] {
      const auto& store = impl_->registry();
      // _validate_prompt of Python: the version must exist as a prompt version.
      bool exists = false;
      try {
        require_prompt(store->get_registered_model(name), "set_registered_model_alias()");
        exists = has_prompt_tag(store->get_model_version(name, version_text(version)).tags);
      } catch (const MlflowException&) {
      }
      if (!exists) {
        throw NotFound(
            ErrorCode::kResourceDoesNotExist,
            "Prompt '" + name + "' version " + std::to_string(version) + " does not exist.");
      }
      // The alias rules of the store's set_registered_model_alias.
      internal::validate_alias_name(alias);
      internal::validate_alias_not_reserved(alias);
      store->set_registered_model_alias(name, alias, version_text(version));
      PromptCache::instance().erase(cache_namespace(*this, store), "", alias_uri(name, alias));
    });
  });
}

void MlflowClient::delete_prompt_alias(const std::string& name, const std::string& alias) {
  impl_->hooks().run("delete_prompt_alias", kPrompt, on_prompt(name), [&] {
    prompt_call([&] {
      const auto& store = impl_->registry();
      internal::validate_alias_name(alias);
      store->delete_registered_model_alias(name, alias);
      PromptCache::instance().erase(cache_namespace(*this, store), "", alias_uri(name, alias));
    });
  });
}

void MlflowClient::set_prompt_tag(const std::string& name, const std::string& key,
                                  const std::string& value) {
  impl_->hooks().run("set_prompt_tag", kPrompt, on_prompt(name), [&] {
    prompt_call([&] {
      internal::validate_registry_tag(key, value);
      impl_->registry()->set_registered_model_tag(name, {key, value});
    });
  });
}

void MlflowClient::delete_prompt_tag(const std::string& name, const std::string& key) {
  impl_->hooks().run("delete_prompt_tag", kPrompt, on_prompt(name), [&] {
    prompt_call([&] {
      internal::validate_registry_tag_key(key);
      impl_->registry()->delete_registered_model_tag(name, key);
    });
  });
}

void MlflowClient::set_prompt_version_tag(const std::string& name, int version,
                                          const std::string& key, const std::string& value) {
  impl_->hooks().run("set_prompt_version_tag", kPrompt, on_prompt(name, version), [&] {
    prompt_call([&] {
      internal::validate_registry_tag(key, value);
      const auto& store = impl_->registry();
      store->set_model_version_tag(name, version_text(version), {key, value});
      PromptCache::instance().erase_all(cache_namespace(*this, store), "", name);
    });
  });
}

void MlflowClient::delete_prompt_version_tag(const std::string& name, int version,
                                             const std::string& key) {
  impl_->hooks().run("delete_prompt_version_tag", kPrompt, on_prompt(name, version), [&] {
    prompt_call([&] {
      internal::validate_registry_tag_key(key);
      const auto& store = impl_->registry();
      store->delete_model_version_tag(name, version_text(version), key);
      PromptCache::instance().erase_all(cache_namespace(*this, store), "", name);
    });
  });
}

void MlflowClient::set_prompt_model_config(const std::string& name, int version,
                                           const PromptModelConfig& config) {
  impl_->hooks().run("set_prompt_model_config", kPrompt, on_prompt(name, version), [&] {
    set_prompt_version_tag(name, version, kModelConfig, config.to_json());
  });
}

void MlflowClient::delete_prompt_model_config(const std::string& name, int version) {
  impl_->hooks().run("delete_prompt_model_config", kPrompt, on_prompt(name, version),
                     [&] { delete_prompt_version_tag(name, version, kModelConfig); });
}

}  // namespace mlflow
