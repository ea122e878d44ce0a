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

// Reads, and writes that upsert (tags, aliases, descriptions, stage moves), may be repeated
// after a timeout; creates, renames and deletes would fail spuriously on a repeat the server
// had already applied, so they are retried only when the server surely did not act.
constexpr Idempotency kSafe = Idempotency::kIdempotent;
constexpr Idempotency kUnsafe = Idempotency::kNonIdempotent;

const Json& required_object(const Json& response, const char* key, const std::string& what) {
  const auto it = response.find(key);
  if (it == response.end() || !it->is_object()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "The MLflow server's answer to " + what + " has no '" + key +
                    "' object. Is the registry URI pointing at an MLflow server?");
  }
  return *it;
}

std::string next_page_token(const Json& response) {
  const auto it = response.find("next_page_token");
  if (it == response.end() || it->is_null()) return {};
  return codec::decode_string(*it, "next_page_token");
}

template <typename T>
Json encode_all(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(codec::encode(item));
  return out;
}

QueryParams search_query(const std::string& filter, int max_results,
                         const std::vector<std::string>& order_by, const std::string& token) {
  QueryParams q;
  if (!filter.empty()) q.emplace_back("filter", filter);
  q.emplace_back("max_results", std::to_string(max_results));
  for (const auto& o : order_by) q.emplace_back("order_by", o);
  if (!token.empty()) q.emplace_back("page_token", token);
  return q;
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
  if (!tags.empty()) body["tags"] = encode_all(tags);
  if (description) body["description"] = *description;
  const Json r = client_.post("registered-models/create", body, kUnsafe);
  return codec::decode_registered_model(
      required_object(r, "registered_model", "registered-models/create"));
}

RegisteredModel RestRegistryStore::get_registered_model(const std::string& name) {
  const Json r = client_.get("registered-models/get", {{"name", name}});
  return codec::decode_registered_model(
      required_object(r, "registered_model", "registered-models/get"));
}

RegisteredModel RestRegistryStore::rename_registered_model(const std::string& name,
                                                           const std::string& new_name) {
  const Json r =
      client_.post("registered-models/rename", {{"name", name}, {"new_name", new_name}}, kUnsafe);
  return codec::decode_registered_model(
      required_object(r, "registered_model", "registered-models/rename"));
}

RegisteredModel RestRegistryStore::update_registered_model(
    const std::string& name, const std::optional<std::string>& description) {
  Json body = {{"name", name}};
  if (description) body["description"] = *description;
  const Json r = client_.call("PATCH", "registered-models/update", {}, body, kSafe);
  return codec::decode_registered_model(
      required_object(r, "registered_model", "registered-models/update"));
}

void RestRegistryStore::delete_registered_model(const std::string& name) {
  client_.call("DELETE", "registered-models/delete", {}, Json{{"name", name}}, kUnsafe);
}

PagedList<RegisteredModel> RestRegistryStore::search_registered_models(
    const SearchRegisteredModelsOptions& options) {
  const Json r = client_.get("registered-models/search",
                             search_query(options.filter_string, options.max_results,
                                          options.order_by, options.page_token));
  PagedList<RegisteredModel> page;
  for (const Json& m : codec::array_field(r, "registered_models")) {
    page.items.push_back(codec::decode_registered_model(m));
  }
  page.token = next_page_token(r);
  return page;
}

std::vector<ModelVersion> RestRegistryStore::get_latest_versions(
    const std::string& name, const std::vector<std::string>& stages) {
  Json body = {{"name", name}};
  if (!stages.empty()) body["stages"] = stages;
  const Json r = client_.post("registered-models/get-latest-versions", body, kSafe);
  std::vector<ModelVersion> out;
  for (const Json& v : codec::array_field(r, "model_versions")) {
    out.push_back(codec::decode_model_version(v));
  }
  return out;
}

void RestRegistryStore::set_registered_model_tag(const std::string& name,
                                                 const RegisteredModelTag& tag) {
  client_.post("registered-models/set-tag",
               {{"name", name}, {"key", tag.key}, {"value", tag.value}}, kSafe);
}

void RestRegistryStore::delete_registered_model_tag(const std::string& name,
                                                    const std::string& key) {
  client_.call("DELETE", "registered-models/delete-tag", {}, Json{{"name", name}, {"key", key}},
               kUnsafe);
}

void RestRegistryStore::set_registered_model_alias(const std::string& name,
                                                   const std::string& alias,
                                                   const std::string& version) {
  client_.post("registered-models/alias", {{"name", name}, {"alias", alias}, {"version", version}},
               kSafe);
}

void RestRegistryStore::delete_registered_model_alias(const std::string& name,
                                                      const std::string& alias) {
  client_.call("DELETE", "registered-models/alias", {}, Json{{"name", name}, {"alias", alias}},
               kUnsafe);
}

ModelVersion RestRegistryStore::get_model_version_by_alias(const std::string& name,
                                                           const std::string& alias) {
  const Json r = client_.get("registered-models/alias", {{"name", name}, {"alias", alias}});
  return codec::decode_model_version(
      required_object(r, "model_version", "registered-models/alias"));
}

// ---- Model versions ----

ModelVersion RestRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  Json body = {{"name", request.name}, {"source", request.source}};
  if (request.run_id) body["run_id"] = *request.run_id;
  if (!request.tags.empty()) body["tags"] = encode_all(request.tags);
  if (request.run_link) body["run_link"] = *request.run_link;
  if (request.description) body["description"] = *request.description;
  if (request.model_id) body["model_id"] = *request.model_id;
  const Json r = client_.post("model-versions/create", body, kUnsafe);
  return codec::decode_model_version(required_object(r, "model_version", "model-versions/create"));
}

ModelVersion RestRegistryStore::get_model_version(const std::string& name,
                                                  const std::string& version) {
  const Json r = client_.get("model-versions/get", {{"name", name}, {"version", version}});
  return codec::decode_model_version(required_object(r, "model_version", "model-versions/get"));
}

ModelVersion RestRegistryStore::update_model_version(
    const std::string& name, const std::string& version,
    const std::optional<std::string>& description) {
  Json body = {{"name", name}, {"version", version}};
  if (description) body["description"] = *description;
  const Json r = client_.call("PATCH", "model-versions/update", {}, body, kSafe);
  return codec::decode_model_version(required_object(r, "model_version", "model-versions/update"));
}

ModelVersion RestRegistryStore::transition_model_version_stage(const std::string& name,
                                                               const std::string& version,
                                                               const std::string& stage,
                                                               bool archive_existing_versions) {
  const Json body = {{"name", name},
                     {"version", version},
                     {"stage", stage},
                     {"archive_existing_versions", archive_existing_versions}};
  const Json r = client_.post("model-versions/transition-stage", body, kSafe);
  return codec::decode_model_version(
      required_object(r, "model_version", "model-versions/transition-stage"));
}

void RestRegistryStore::delete_model_version(const std::string& name, const std::string& version) {
  client_.call("DELETE", "model-versions/delete", {}, Json{{"name", name}, {"version", version}},
               kUnsafe);
}

PagedList<ModelVersion> RestRegistryStore::search_model_versions(
    const SearchModelVersionsOptions& options) {
  const Json r =
      client_.get("model-versions/search", search_query(options.filter_string, options.max_results,
                                                        options.order_by, options.page_token));
  PagedList<ModelVersion> page;
  for (const Json& v : codec::array_field(r, "model_versions")) {
    page.items.push_back(codec::decode_model_version(v));
  }
  page.token = next_page_token(r);
  return page;
}

std::string RestRegistryStore::get_model_version_download_uri(const std::string& name,
                                                              const std::string& version) {
  const Json r =
      client_.get("model-versions/get-download-uri", {{"name", name}, {"version", version}});
  const auto it = r.find("artifact_uri");
  if (it == r.end() || it->is_null()) return {};
  return codec::decode_string(*it, "artifact_uri");
}

void RestRegistryStore::set_model_version_tag(const std::string& name, const std::string& version,
                                              const ModelVersionTag& tag) {
  client_.post("model-versions/set-tag",
               {{"name", name}, {"version", version}, {"key", tag.key}, {"value", tag.value}},
               kSafe);
}

void RestRegistryStore::delete_model_version_tag(const std::string& name,
                                                 const std::string& version,
                                                 const std::string& key) {
  client_.call("DELETE", "model-versions/delete-tag", {},
               Json{{"name", name}, {"version", version}, {"key", key}}, kUnsafe);
}

}  // namespace mlflow::internal
