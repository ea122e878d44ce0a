// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's model registry methods: validation as MLflow 3.18's server does it (so both
// stores refuse bad input alike), paging ranges, and register_model's resolution of
// `runs:/` URIs as Python's mlflow.register_model does it.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

#include "client/client_impl.hpp"
#include "client/prompt_marker.hpp"
#include "client/registry_validation.hpp"
#include "core/log.hpp"
#include "core/posix_path.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "prompts/python_json.hpp"
#include "store/models_uri.hpp"

namespace mlflow {
namespace {

constexpr const char* kModelVersionsTag = "mlflow.modelVersions";
constexpr OperationKind kRegistry = OperationKind::kRegistry;
using internal::on_registered_model;

// Notes a model version's ids for the hooks' after().
void note_version(Operation* op, const ModelVersion& version) {
  if (!op) return;
  op->target.registered_model = version.name;
  op->target.version = version.version;
  if (!version.run_id.empty()) op->target.run_id = version.run_id;
}

void refuse_prompt_tag(const std::map<std::string, std::string>& tags) {
  // Python's MlflowClient refuses the prompt marker on models and versions; prompts are made
  // by the prompt registry, which calls the store directly.
  if (internal::has_prompt_tag(tags)) {
    throw_error(ErrorCode::kInvalidParameterValue, "Prompts cannot be registered as models.");
  }
}

// Python's _validate_model_version: "version" must be an integer; stages are canonical.
void check_name_version(const std::string& name, const std::string& version) {
  internal::validate_model_name(name);
  internal::validate_model_version(version);
}

// The checks of a registry call on one version of a model: Python refuses a prompt's name
// before the store looks at the version.
void guard_version_call(internal::RegistryStore& store, const std::string& name,
                        const std::string& version) {
  internal::validate_model_name(name);
  internal::raise_if_prompt(store, name);
  internal::validate_model_version(version);
}

// Python's register_model appends {"name", "version"} to the logged model's
// mlflow.modelVersions tag (a JSON list, json.dumps'd), so the model lists its registrations.
// The version is what Python's registry store returned: an int from its SQL store, the
// proto's string from a server.
void link_model_version(MlflowClient& client, const std::string& model_id,
                        const ModelVersion& version, bool integer_versions) {
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  const LoggedModel model = client.get_logged_model(model_id);
  const auto it = model.tags.find(kModelVersionsTag);
  if (it != model.tags.end()) {
    links = nlohmann::ordered_json::parse(it->second, nullptr, false);
    if (!links.is_array()) links = nlohmann::ordered_json::array();
  }
  nlohmann::ordered_json entry = {{"name", version.name}, {"version", version.version}};
  if (integer_versions) entry["version"] = std::stoll(version.version);
  links.push_back(std::move(entry));
  client.set_logged_model_tags(model_id, {{kModelVersionsTag, internal::pyjson::dumps(links)}});
}

// The scheme of a URI as urllib.parse.urlparse finds it ("" for a plain path).
std::string uri_scheme(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const auto ch = static_cast<unsigned char>(uri[i]);
    if (!(std::isalnum(ch) || ch == '+' || ch == '-' || ch == '.')) return "";
  }
  return internal::to_lower(uri.substr(0, colon));
}

// urlparse(uri).path: after "scheme:" and "//netloc", before '?' or '#'.
std::string uri_path(const std::string& uri) {
  const std::string scheme = uri_scheme(uri);
  std::string rest = scheme.empty() ? uri : uri.substr(scheme.size() + 1);
  if (rest.rfind("//", 0) == 0) {
    const auto slash = rest.find('/', 2);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
  }
  const auto end = rest.find_first_of("?#");
  return end == std::string::npos ? rest : rest.substr(0, end);
}

std::string percent_decode_plus(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

[[noreturn]] void invalid_source(const std::string& source, const std::string& why) {
  throw_error(ErrorCode::kInvalidParameterValue,
              "Invalid model version source: '" + source + "'. " + why);
}

// The server's create-model-version source checks (handlers._validate_source_run in 3.18),
// made here so that the embedded store refuses what the server refuses: a local source must
// lie inside the artifact directory of the given run; any other source must be an absolute
// path without relative references, and a runs:/ source must name the given run.
void validate_source(MlflowClient& client, const std::string& source,
                     const std::optional<std::string>& run_id) {
  const std::string scheme = uri_scheme(source);
  if (scheme.empty() || scheme == "file") {
    if (run_id && !run_id->empty()) {
      const Run run = client.get_run(*run_id);
      const std::string artifacts = run.info.artifact_uri;
      const std::string artifact_scheme = uri_scheme(artifacts);
      if (artifact_scheme.empty() || artifact_scheme == "file") {
        const std::string dir = internal::posix_normpath(uri_path(artifacts));
        const std::string path = internal::posix_normpath(uri_path(source));
        if (path == dir || path.rfind(dir == "/" ? dir : dir + "/", 0) == 0) return;
      }
    }
    invalid_source(source,
                   "To use a local path as a model version source, the run_id request parameter "
                   "has to be specified and the local path has to be contained within the "
                   "artifact directory of the run specified by the run_id.");
  }
  std::string decoded = source;
  for (std::string next = percent_decode_plus(decoded); next != decoded;
       next = percent_decode_plus(decoded)) {
    decoded = next;
  }
  std::string path;
  for (char ch : uri_path(decoded)) {
    if (ch == '/' && !path.empty() && path.back() == '/') continue;
    path += ch;
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  bool dotdot = false;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    const auto end = decoded.find('/', start);
    const std::string seg =
        decoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (seg == "..") dotdot = true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (path.find('\0') != std::string::npos || dotdot || path.empty() || path[0] != '/' ||
      internal::posix_normpath(path) != path) {
    invalid_source(source,
                   "If supplying a source as an http, https, local file path, ftp, objectstore, "
                   "or mlflow-artifacts uri, an absolute path must be provided without relative "
                   "path references present. Please provide an absolute path.");
  }
  if (scheme == "runs") {
    std::string rest = source.substr(5);
    if (rest.rfind("//", 0) == 0) {
      invalid_source(source,
                     "The run_id request parameter must identify the resource that "
                     "contains the source.");
    }
    while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
    const std::string source_run = rest.substr(0, rest.find('/'));
    if (!run_id || *run_id != source_run) {
      invalid_source(source,
                     "The run_id request parameter must identify the resource that "
                     "contains the source.");
    }
  }
}

// Python's _get_logged_models_from_run and its choice among them: the logged models named
// `name` that `run` produced; with several, the one the run logged at the largest step.
std::string logged_model_of_run(MlflowClient& client, const Run& run, const std::string& name) {
  std::vector<LoggedModel> found;
  SearchLoggedModelsOptions search;
  search.filter_string = "name = '" + name + "'";
  for (;;) {
    const PagedList<LoggedModel> page =
        client.search_logged_models({run.info.experiment_id}, search);
    for (const LoggedModel& m : page.items) {
      if (m.source_run_id == run.info.run_id) found.push_back(m);
    }
    if (!page.has_next_page()) break;
    search.page_token = page.token;
  }
  if (found.empty()) {
    // Python means NOT_FOUND but passes its name where a number is expected, so the exception
    // carries INTERNAL_ERROR; the code is Python's.
    throw_error(ErrorCode::kInternalError, "Unable to find a logged_model with artifact_path " +
                                               name + " under run " + run.info.run_id);
  }
  if (found.size() == 1) return found.front().model_id;
  if (run.outputs.model_outputs.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Multiple logged models found for run " + run.info.run_id +
                    ". Cannot determine which model to register. Please use "
                    "`models:/<model_id>` instead.");
  }
  std::map<std::string, std::int64_t> step_of;
  for (const ModelOutput& o : run.outputs.model_outputs) step_of[o.model_id] = o.step;
  const auto best =
      std::max_element(found.begin(), found.end(), [&](const LoggedModel& a, const LoggedModel& b) {
        return step_of[a.model_id] < step_of[b.model_id];
      });
  return best->model_id;
}

}  // namespace

// ---- Registered models ------------------------------------------------------------------------
// The order of the checks is Python MlflowClient's (a prompt's name is refused before the rest of
// the input is looked at, as Python's _raise_if_prompt runs before the store validates), so the
// first error reported for a call with several faults is Python's.

RegisteredModel MlflowClient::create_registered_model(const std::string& name,
                                                      const CreateRegisteredModelOptions& options) {
  return impl_->hooks().run(
      "create_registered_model", kRegistry, on_registered_model(name), [&](Operation* op) {
        refuse_prompt_tag(options.tags);
        internal::validate_model_name(name);
        if (options.description) internal::utf8::require_valid(*options.description, "description");
        std::vector<RegisteredModelTag> tags;
        const auto add = [&](const std::string& key, const std::string& value) {
          internal::validate_registry_tag(key, value);
          tags.push_back({key, value});
        };
        for (const auto& [key, value] : options.tags) add(key, value);
        internal::for_added_tags(op, options.tags, add);
        return impl_->registry()->create_registered_model(name, tags, options.description);
      });
}

RegisteredModel MlflowClient::get_registered_model(const std::string& name) {
  return impl_->hooks().run("get_registered_model", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    RegisteredModel rm = impl_->registry()->get_registered_model(name);
    if (internal::has_prompt_tag(rm.tags)) internal::throw_model_not_found(name);
    return rm;
  });
}

RegisteredModel MlflowClient::rename_registered_model(const std::string& name,
                                                      const std::string& new_name) {
  return impl_->hooks().run("rename_registered_model", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    if (internal::trim(new_name).empty()) {
      throw_error(ErrorCode::kInternalError, "The name must not be an empty string.");
    }
    internal::validate_model_name(new_name, "new_name");
    return impl_->registry()->rename_registered_model(name, new_name);
  });
}

RegisteredModel MlflowClient::update_registered_model(
    const std::string& name, const std::optional<std::string>& description) {
  return impl_->hooks().run("update_registered_model", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    if (description) internal::utf8::require_valid(*description, "description");
    return impl_->registry()->update_registered_model(name, description);
  });
}

void MlflowClient::delete_registered_model(const std::string& name) {
  impl_->hooks().run("delete_registered_model", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    impl_->registry()->delete_registered_model(name);
  });
}

PagedList<RegisteredModel> MlflowClient::search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  return impl_->hooks().run("search_registered_models", kRegistry, internal::no_target(), [&] {
    internal::validate_max_results_at_most(options.max_results,
                                           internal::kMaxSearchRegisteredModels);
    return impl_->registry()->search_registered_models(options);
  });
}

PageRange<RegisteredModel> MlflowClient::search_registered_models_all(
    SearchRegisteredModelsOptions options) {
  internal::validate_registry_max_results(options.max_results,
                                          internal::kMaxSearchRegisteredModels);
  auto impl = impl_;
  return PageRange<RegisteredModel>([impl, options](const std::string& token) mutable {
    options.page_token = token;
    return impl->hooks().run("search_registered_models", kRegistry, internal::no_target(),
                             [&] { return impl->registry()->search_registered_models(options); });
  });
}

std::vector<ModelVersion> MlflowClient::get_latest_versions(
    const std::string& name, const std::vector<std::string>& stages) {
  return impl_->hooks().run("get_latest_versions", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    std::vector<std::string> canonical;
    for (const auto& s : stages)
      canonical.emplace_back(to_string(model_version_stage_from_string(s)));
    return impl_->registry()->get_latest_versions(name, canonical);
  });
}

void MlflowClient::set_registered_model_tag(const std::string& name, const std::string& key,
                                            const std::string& value) {
  impl_->hooks().run("set_registered_model_tag", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    internal::validate_registry_tag(key, value);
    impl_->registry()->set_registered_model_tag(name, {key, value});
  });
}

void MlflowClient::delete_registered_model_tag(const std::string& name, const std::string& key) {
  impl_->hooks().run("delete_registered_model_tag", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::raise_if_prompt(*impl_->registry(), name);
    internal::validate_registry_tag_key(key);
    impl_->registry()->delete_registered_model_tag(name, key);
  });
}

// ---- Model versions ---------------------------------------------------------------------------

ModelVersion MlflowClient::create_model_version(const std::string& name, const std::string& source,
                                                const CreateModelVersionOptions& options) {
  const auto describe = [&](Operation& op) {
    op.target.registered_model = name;
    op.target.run_id = options.run_id.value_or("");
    op.target.model_id = options.model_id.value_or("");
  };
  return impl_->hooks().run("create_model_version", kRegistry, describe, [&](Operation* op) {
    refuse_prompt_tag(options.tags);
    internal::validate_model_name(name);
    if (source.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Missing value for required parameter 'source'. See the API docs for more "
                  "information about request parameters.");
    }
    internal::utf8::require_valid(source, "source");
    const std::pair<const std::optional<std::string>*, const char*> fields[] = {
        {&options.run_id, "run_id"},
        {&options.run_link, "run_link"},
        {&options.description, "description"},
        {&options.model_id, "model_id"}};
    for (const auto& [field, field_name] : fields) {
      if (*field) internal::utf8::require_valid(**field, field_name);
    }
    validate_source(*this, source, options.run_id);
    internal::CreateModelVersionRequest request;
    request.name = name;
    request.source = source;
    request.run_id = options.run_id;
    request.run_link = options.run_link;
    request.description = options.description;
    request.model_id = options.model_id;
    const auto add = [&](const std::string& key, const std::string& value) {
      internal::validate_registry_tag(key, value);
      request.tags.push_back({key, value});
    };
    for (const auto& [key, value] : options.tags) add(key, value);
    internal::for_added_tags(op, options.tags, add);
    ModelVersion version = impl_->registry()->create_model_version(request);
    note_version(op, version);
    return version;
  });
}

ModelVersion MlflowClient::get_model_version(const std::string& name, const std::string& version) {
  return impl_->hooks().run("get_model_version", kRegistry, on_registered_model(name, version),
                            [&] {
                              check_name_version(name, version);
                              ModelVersion mv = impl_->registry()->get_model_version(name, version);
                              if (internal::has_prompt_tag(mv.tags)) {
                                internal::throw_model_not_found(name);
                              }
                              return mv;
                            });
}

ModelVersion MlflowClient::update_model_version(const std::string& name, const std::string& version,
                                                const std::optional<std::string>& description) {
  return impl_->hooks().run(
      "update_model_version", kRegistry, on_registered_model(name, version), [&] {
        if (!description) {
          throw_error(ErrorCode::kInternalError,
                      "Attempting to update model version with no new field values.");
        }
        guard_version_call(*impl_->registry(), name, version);
        internal::utf8::require_valid(*description, "description");
        return impl_->registry()->update_model_version(name, version, description);
      });
}

ModelVersion MlflowClient::transition_model_version_stage(const std::string& name,
                                                          const std::string& version,
                                                          const std::string& stage,
                                                          bool archive_existing_versions) {
  return impl_->hooks().run(
      "transition_model_version_stage", kRegistry, on_registered_model(name, version), [&] {
        internal::validate_model_name(name);
        internal::raise_if_prompt(*impl_->registry(), name);
        if (internal::trim(stage).empty()) {
          throw_error(ErrorCode::kInternalError, "The stage must not be an empty string.");
        }
        const ModelVersionStage target = model_version_stage_from_string(stage);
        if (archive_existing_versions && target != ModelVersionStage::kStaging &&
            target != ModelVersionStage::kProduction) {
          // The server and Python's SQL store refuse this with INTERNAL_ERROR; over REST that is
          // an HTTP 500, which clients retry for minutes, so it is refused here at once, same
          // code and wording.
          throw_error(ErrorCode::kInternalError,
                      "Model version transition cannot archive existing model versions because '" +
                          stage +
                          "' is not an Active stage. Valid stages are ['Staging', 'Production']");
        }
        internal::validate_model_version(version);
        const std::string canonical = to_string(target);
        return impl_->registry()->transition_model_version_stage(name, version, canonical,
                                                                 archive_existing_versions);
      });
}

void MlflowClient::delete_model_version(const std::string& name, const std::string& version) {
  impl_->hooks().run("delete_model_version", kRegistry, on_registered_model(name, version), [&] {
    guard_version_call(*impl_->registry(), name, version);
    impl_->registry()->delete_model_version(name, version);
  });
}

PagedList<ModelVersion> MlflowClient::search_model_versions(
    const SearchModelVersionsOptions& options) {
  return impl_->hooks().run("search_model_versions", kRegistry, internal::no_target(), [&] {
    internal::validate_model_versions_max_results(options.max_results);
    return impl_->registry()->search_model_versions(options);
  });
}

PageRange<ModelVersion> MlflowClient::search_model_versions_all(
    SearchModelVersionsOptions options) {
  internal::validate_model_versions_max_results(options.max_results);
  auto impl = impl_;
  return PageRange<ModelVersion>([impl, options](const std::string& token) mutable {
    options.page_token = token;
    return impl->hooks().run("search_model_versions", kRegistry, internal::no_target(),
                             [&] { return impl->registry()->search_model_versions(options); });
  });
}

std::string MlflowClient::get_model_version_download_uri(const std::string& name,
                                                         const std::string& version) {
  return impl_->hooks().run(
      "get_model_version_download_uri", kRegistry, on_registered_model(name, version), [&] {
        guard_version_call(*impl_->registry(), name, version);
        return impl_->registry()->get_model_version_download_uri(name, version);
      });
}

void MlflowClient::set_model_version_tag(const std::string& name, const std::string& version,
                                         const std::string& key, const std::string& value) {
  impl_->hooks().run("set_model_version_tag", kRegistry, on_registered_model(name, version), [&] {
    guard_version_call(*impl_->registry(), name, version);
    internal::validate_registry_tag(key, value);
    impl_->registry()->set_model_version_tag(name, version, {key, value});
  });
}

void MlflowClient::delete_model_version_tag(const std::string& name, const std::string& version,
                                            const std::string& key) {
  impl_->hooks().run("delete_model_version_tag", kRegistry, on_registered_model(name, version),
                     [&] {
                       guard_version_call(*impl_->registry(), name, version);
                       internal::validate_registry_tag_key(key);
                       impl_->registry()->delete_model_version_tag(name, version, key);
                     });
}

void MlflowClient::set_registered_model_alias(const std::string& name, const std::string& alias,
                                              const std::string& version) {
  impl_->hooks().run("set_registered_model_alias", kRegistry, on_registered_model(name, version),
                     [&] {
                       internal::validate_model_name(name);
                       internal::validate_alias_name(alias);
                       internal::validate_model_version(version);
                       internal::raise_if_prompt(*impl_->registry(), name);
                       internal::validate_alias_not_reserved(alias);
                       impl_->registry()->set_registered_model_alias(name, alias, version);
                     });
}

void MlflowClient::delete_registered_model_alias(const std::string& name,
                                                 const std::string& alias) {
  impl_->hooks().run("delete_registered_model_alias", kRegistry, on_registered_model(name), [&] {
    internal::validate_model_name(name);
    internal::validate_alias_name(alias);
    internal::raise_if_prompt(*impl_->registry(), name);
    impl_->registry()->delete_registered_model_alias(name, alias);
  });
}

ModelVersion MlflowClient::get_model_version_by_alias(const std::string& name,
                                                      const std::string& alias) {
  return impl_->hooks().run(
      "get_model_version_by_alias", kRegistry, on_registered_model(name), [&](Operation* op) {
        internal::validate_model_name(name);
        internal::validate_alias_name(alias);
        ModelVersion version = impl_->registry()->get_model_version_by_alias(name, alias);
        if (internal::has_prompt_tag(version.tags)) internal::throw_model_not_found(name);
        note_version(op, version);
        return version;
      });
}

// ---- register_model ---------------------------------------------------------------------------

ModelVersion MlflowClient::register_model(const std::string& model_uri, const std::string& name,
                                          const RegisterModelOptions& options) {
  const auto describe = [&](Operation& op) { op.target.registered_model = name; };
  return impl_->hooks().run("register_model", kRegistry, describe, [&](Operation* op) {
    // Python's _register_model creates the registered model first (an existing one is kept),
    // then resolves the URI and creates the version: a failure after that leaves the model, as
    // there.
    try {
      create_registered_model(name);
      internal::log(LogLevel::kInfo, "Successfully registered model '" + name + "'.");
    } catch (const AlreadyExists&) {
      internal::log(LogLevel::kInfo,
                    "Registered model " + internal::python_repr(name) +
                        " already exists. Creating a new version of this model...");
    }
    // models:/<model_id>: a logged model (MLflow 3), registered as Python's register_model does.
    std::optional<std::string> logged_model_id = internal::logged_model_id_of_uri(model_uri);
    if (model_uri.rfind("models:/", 0) == 0 && !logged_model_id) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "register_model('" + model_uri +
                      "'): models:/<name>/<version> and models:/<name>@<alias> URIs are not "
                      "resolved by this release of mlflow-cpp. Register models:/<model_id>, a "
                      "runs:/<run_id>/<path> URI, or call create_model_version with the model's "
                      "artifact location as source.");
    }
    std::string source = model_uri;
    std::optional<std::string> run_id;
    if (logged_model_id) {
      // Python passes source = the URI and model_id; the version's run is the model's source run
      // (the server and the SQL registry fill it in), so an unknown model fails here first.
      run_id = get_logged_model(*logged_model_id).source_run_id;
    } else if (model_uri.rfind("runs:/", 0) == 0) {
      // runs:/<run_id>[/<artifact path>], as RunsArtifactRepository.parse_runs_uri reads it.
      std::string rest = model_uri.substr(6);
      while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
      const auto slash = rest.find('/');
      const std::string id = rest.substr(0, slash);
      std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
      while (!path.empty() && path.back() == '/') path.pop_back();
      if (id.empty()) {
        throw_error(ErrorCode::kInvalidParameterValue,
                    "Not a proper runs:/ URI: '" + model_uri +
                        "'. Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/"
                        "artifact'");
      }
      run_id = id;
      // Python uses the run's artifact directory when it holds an MLmodel file, else the logged
      // model of that name that the run produced.
      bool has_mlmodel = false;
      for (const FileInfo& f : list_artifacts(id, path)) {
        const auto pos = f.path.rfind('/');
        if ((pos == std::string::npos ? f.path : f.path.substr(pos + 1)) == "MLmodel" &&
            !f.is_dir) {
          has_mlmodel = true;
        }
      }
      if (has_mlmodel) {
        std::string root = get_run(id).info.artifact_uri;
        while (!root.empty() && root.back() == '/') root.pop_back();
        source = path.empty() ? root : root + "/" + path;
      } else {
        logged_model_id = logged_model_of_run(*this, get_run(id), path);
        source = "models:/" + *logged_model_id;
        internal::log(LogLevel::kWarning,
                      "Run with id " + id + " has no artifacts at artifact path " +
                          internal::python_repr(path) + ", registering model based on " + source +
                          " instead");
      }
    }
    CreateModelVersionOptions mv;
    mv.run_id = run_id;
    mv.tags = options.tags;
    mv.model_id = logged_model_id;
    ModelVersion version = create_model_version(name, source, mv);
    if (logged_model_id) {
      link_model_version(*this, *logged_model_id, version,
                         impl_->registry()->python_versions_are_integers());
    }
    note_version(op, version);
    return version;
  });
}

}  // namespace mlflow
