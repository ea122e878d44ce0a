// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/rest_registry_store.hpp"

#include <utility>

#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"
#include "rest/registry_json_codec.hpp"
#include "rest/rest_backend.hpp"

namespace mlflow::internal {
namespace {

namespace codec = json_codec;
using Json = nlohmann::json;

// Retry classes of the calls below (kSafe, kUnsafe): reads, and writes that upsert (tags,
// aliases, descriptions, stage moves), may be repeated after a timeout; creates, renames and
// deletes would fail spuriously on a repeat the server had already applied, so they are
// retried only when the server surely did not act.

// The query of a registry search; both search option types carry these four fields.
template <typename SearchOptions>
QueryParams search_query(const SearchOptions& options) {
  QueryParams q;
  if (!options.filter_string.empty()) q.emplace_back("filter", options.filter_string);
  q.emplace_back("max_results", std::to_string(options.max_results));
  for (const auto& o : options.order_by) q.emplace_back("order_by", o);
  if (!options.page_token.empty()) q.emplace_back("page_token", options.page_token);
  return q;
}

// The registered model, or model version, an answer to `endpoint` must hold.
RegisteredModel registered_model_in(const Json& answer, const char* endpoint) {
  return codec::decode_registered_model(
      codec::required_object(answer, "registered_model", endpoint));
}
ModelVersion model_version_in(const Json& answer, const char* endpoint) {
  return codec::decode_model_version(codec::required_object(answer, "model_version", endpoint));
}

}  // namespace

RestRegistryStore::RestRegistryStore(const ResolvedConfig& config,
                                     std::shared_ptr<HttpTransport> transport, RetryHooks hooks)
    : RestRegistryStore(make_rest_client(config, std::move(transport), std::move(hooks))) {}

RestRegistryStore::RestRegistryStore(std::shared_ptr<RestClient> client)
    : shared_client_(std::move(client)), client_(*shared_client_) {}

// ---- Registered models ----

RegisteredModel RestRegistryStore::create_registered_model(
    const std::string& name, const std::vector<RegisteredModelTag>& tags,
    const std::optional<std::string>& description) {
  Json body = {{"name", name}};
  if (!tags.empty()) body["tags"] = codec::encode_all(tags);
  if (description) body["description"] = *description;
  const Json r = client_.call("POST", "registered-models/create", {}, json_body(body), kUnsafe);
  return registered_model_in(r, "registered-models/create");
}

RegisteredModel RestRegistryStore::get_registered_model(const std::string& name) {
  const Json r = client_.call("GET", "registered-models/get", {{"name", name}}, {}, kSafe);
  return registered_model_in(r, "registered-models/get");
}

RegisteredModel RestRegistryStore::rename_registered_model(const std::string& name,
                                                           const std::string& new_name) {
  const Json r = client_.call("POST", "registered-models/rename", {},
                              json_body({{"name", name}, {"new_name", new_name}}), kUnsafe);
  return registered_model_in(r, "registered-models/rename");
}

RegisteredModel RestRegistryStore::update_registered_model(
    const std::string& name, const std::optional<std::string>& description) {
  Json body = {{"name", name}};
  if (description) body["description"] = *description;
  const Json r = client_.call("PATCH", "registered-models/update", {}, json_body(body), kSafe);
  return registered_model_in(r, "registered-models/update");
}

void RestRegistryStore::delete_registered_model(const std::string& name) {
  client_.call("DELETE", "registered-models/delete", {}, json_body(Json{{"name", name}}), kUnsafe);
}

PagedList<RegisteredModel> RestRegistryStore::search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  const Json r = client_.call("GET", "registered-models/search", search_query(options), {}, kSafe);
  return codec::decode_page(r, "registered_models", codec::decode_registered_model);
}

std::vector<ModelVersion> RestRegistryStore::get_latest_versions(
    const std::string& name, const std::vector<std::string>& stages) {
  Json body = {{"name", name}};
  if (!stages.empty()) body["stages"] = stages;
  const Json r =
      client_.call("POST", "registered-models/get-latest-versions", {}, json_body(body), kSafe);
  std::vector<ModelVersion> out;
  for (const Json& v : codec::array_field(r, "model_versions")) {
    out.push_back(codec::decode_model_version(v));
  }
  return out;
}

void RestRegistryStore::set_registered_model_tag(const std::string& name,
                                                 const RegisteredModelTag& tag) {
  client_.call("POST", "registered-models/set-tag", {},
               json_body({{"name", name}, {"key", tag.key}, {"value", tag.value}}), kSafe);
}

void RestRegistryStore::delete_registered_model_tag(const std::string& name,
                                                    const std::string& key) {
  client_.call("DELETE", "registered-models/delete-tag", {},
               json_body(Json{{"name", name}, {"key", key}}), kUnsafe);
}

void RestRegistryStore::set_registered_model_alias(const std::string& name,
                                                   const std::string& alias,
                                                   const std::string& version) {
  client_.call("POST", "registered-models/alias", {},
               json_body({{"name", name}, {"alias", alias}, {"version", version}}), kSafe);
}

void RestRegistryStore::delete_registered_model_alias(const std::string& name,
                                                      const std::string& alias) {
  client_.call("DELETE", "registered-models/alias", {},
               json_body(Json{{"name", name}, {"alias", alias}}), kUnsafe);
}

ModelVersion RestRegistryStore::get_model_version_by_alias(const std::string& name,
                                                           const std::string& alias) {
  const Json r =
      client_.call("GET", "registered-models/alias", {{"name", name}, {"alias", alias}}, {}, kSafe);
  return model_version_in(r, "registered-models/alias");
}

// ---- Model versions ----

ModelVersion RestRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  Json body = {{"name", request.name}, {"source", request.source}};
  if (request.run_id) body["run_id"] = *request.run_id;
  if (!request.tags.empty()) body["tags"] = codec::encode_all(request.tags);
  if (request.run_link) body["run_link"] = *request.run_link;
  if (request.description) body["description"] = *request.description;
  if (request.model_id) body["model_id"] = *request.model_id;
  const Json r = client_.call("POST", "model-versions/create", {}, json_body(body), kUnsafe);
  return model_version_in(r, "model-versions/create");
}

ModelVersion RestRegistryStore::get_model_version(const std::string& name,
                                                  const std::string& version) {
  const Json r =
      client_.call("GET", "model-versions/get", {{"name", name}, {"version", version}}, {}, kSafe);
  return model_version_in(r, "model-versions/get");
}

ModelVersion RestRegistryStore::update_model_version(
    const std::string& name, const std::string& version,
    const std::optional<std::string>& description) {
  Json body = {{"name", name}, {"version", version}};
  if (description) body["description"] = *description;
  const Json r = client_.call("PATCH", "model-versions/update", {}, json_body(body), kSafe);
  return model_version_in(r, "model-versions/update");
}

ModelVersion RestRegistryStore::transition_model_version_stage(const std::string& name,
                                                               const std::string& version,
                                                               const std::string& stage,
                                                               bool archive_existing_versions) {
  const Json body = {{"name", name},
                     {"version", version},
                     {"stage", stage},
                     {"archive_existing_versions", archive_existing_versions}};
  const Json r =
      client_.call("POST", "model-versions/transition-stage", {}, json_body(body), kSafe);
  return model_version_in(r, "model-versions/transition-stage");
}

void RestRegistryStore::delete_model_version(const std::string& name, const std::string& version) {
  client_.call("DELETE", "model-versions/delete", {},
               json_body(Json{{"name", name}, {"version", version}}), kUnsafe);
}

PagedList<ModelVersion> RestRegistryStore::search_model_versions(
    const SearchModelVersionsOptions& options) {
  const Json r = client_.call("GET", "model-versions/search", search_query(options), {}, kSafe);
  return codec::decode_page(r, "model_versions", codec::decode_model_version);
}

std::string RestRegistryStore::get_model_version_download_uri(const std::string& name,
                                                              const std::string& version) {
  const Json r = client_.call("GET", "model-versions/get-download-uri",
                              {{"name", name}, {"version", version}}, {}, kSafe);
  const auto it = r.find("artifact_uri");
  if (it == r.end() || it->is_null()) return {};
  return codec::decode_string(*it, "artifact_uri");
}

void RestRegistryStore::set_model_version_tag(const std::string& name, const std::string& version,
                                              const ModelVersionTag& tag) {
  client_.call(
      "POST", "model-versions/set-tag", {},
      json_body({{"name", name}, {"version", version}, {"key", tag.key}, {"value", tag.value}}),
      kSafe);
}

void RestRegistryStore::delete_model_version_tag(const std::string& name,
                                                 const std::string& version,
                                                 const std::string& key) {
  client_.call("DELETE", "model-versions/delete-tag", {},
               json_body(Json{{"name", name}, {"version", version}, {"key", key}}), kUnsafe);
}

}  // namespace mlflow::internal
