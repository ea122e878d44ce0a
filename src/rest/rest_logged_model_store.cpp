// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The logged-model RPCs over REST (/api/2.0/mlflow/logged-models...), shaped as MLflow 3.18's
// RestStore sends them (mlflow/store/tracking/rest_store.py).
#include <string>

#include "core/proto_enum_names.hpp"
#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"
#include "rest/rest_tracking_store.hpp"

namespace mlflow::internal {
namespace {

namespace codec = json_codec;
using Json = nlohmann::json;

// Retry classes of the calls below (kSafe, kUnsafe): Python retries only the POSTs on its
// retry-safe list (SearchLoggedModels is; creates, params and outputs are not).
// PATCH/DELETE/GET are repeated freely: MLflow applies them as upserts.

Json key_values(const KeyValues& items) {
  Json out = Json::array();
  for (const auto& [k, v] : items) out.push_back(Json{{"key", k}, {"value", v}});
  return out;
}

// Proto3 sends unset strings as "": those read as absent, as the SQL store gives None.
std::optional<std::string> opt_nonempty_str(const Json& j, const char* key) {
  std::optional<std::string> s = codec::opt_str(j, key);
  if (s && s->empty()) return std::nullopt;
  return s;
}

LoggedModelStatus decode_status(const Json& v) {
  if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n >= 0 && n <= 3) return static_cast<LoggedModelStatus>(n);
  } else if (v.is_string()) {
    return logged_model_status_from_string(v.get<std::string>());
  }
  throw_error(ErrorCode::kUnparseableHttpError,
              "The MLflow server sent an unknown logged model status: " + v.dump());
}

LoggedModel decode_logged_model(const Json& j) {
  codec::require_object(j, "logged model");
  LoggedModel m;
  if (const Json* info = codec::find(j, "info")) {
    m.model_id = codec::str_or_empty(*info, "model_id");
    m.experiment_id = codec::str_or_empty(*info, "experiment_id");
    m.name = codec::str_or_empty(*info, "name");
    m.artifact_location = codec::str_or_empty(*info, "artifact_uri");
    m.creation_timestamp = codec::int_or_zero(*info, "creation_timestamp_ms");
    m.last_updated_timestamp = codec::int_or_zero(*info, "last_updated_timestamp_ms");
    if (const Json* s = codec::find(*info, "status")) m.status = decode_status(*s);
    m.model_type = opt_nonempty_str(*info, "model_type");
    m.source_run_id = opt_nonempty_str(*info, "source_run_id");
    m.status_message = opt_nonempty_str(*info, "status_message");
    codec::read_key_values(*info, "tags", m.tags);
  }
  if (const Json* data = codec::find(j, "data")) {
    codec::read_key_values(*data, "params", m.params);
    for (const Json& metric : codec::array_field(*data, "metrics")) {
      m.metrics.push_back(codec::decode_metric(metric));
    }
  }
  return m;
}

LoggedModel model_of(const Json& response, const std::string& what) {
  const Json* model = codec::find(response, "model");
  if (!model) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "The MLflow server's answer to " + what +
                    " has no 'model' object. Is the tracking URI pointing at an MLflow "
                    "server of version 3 or later?");
  }
  return decode_logged_model(*model);
}

std::string model_path(const std::string& model_id) {
  return "logged-models/" + url_encode(model_id);
}

}  // namespace

LoggedModel RestTrackingStore::create_logged_model(const CreateLoggedModelRequest& request) {
  Json body = {{"experiment_id", request.experiment_id}};
  if (request.name) body["name"] = *request.name;
  if (request.model_type) body["model_type"] = *request.model_type;
  if (request.source_run_id) body["source_run_id"] = *request.source_run_id;
  if (!request.params.empty()) body["params"] = key_values(request.params);
  if (!request.tags.empty()) body["tags"] = key_values(request.tags);
  return model_of(client_.call("POST", "logged-models", {}, json_body(body), kUnsafe),
                  "logged-models (create)");
}

void RestTrackingStore::log_logged_model_params(const std::string& model_id,
                                                const KeyValues& params) {
  client_.call("POST", model_path(model_id) + "/params", {},
               json_body({{"model_id", model_id}, {"params", key_values(params)}}), kUnsafe);
}

LoggedModel RestTrackingStore::get_logged_model(const std::string& model_id, bool allow_deleted) {
  QueryParams query;
  if (allow_deleted) query.emplace_back("allow_deleted", "true");
  return model_of(client_.call("GET", model_path(model_id), query, {}, kSafe),
                  "logged-models (get)");
}

void RestTrackingStore::delete_logged_model(const std::string& model_id) {
  client_.call("DELETE", model_path(model_id), {}, json_body(Json{{"model_id", model_id}}), kSafe);
}

LoggedModel RestTrackingStore::finalize_logged_model(const std::string& model_id,
                                                     LoggedModelStatus status) {
  const Json body = {{"model_id", model_id},
                     {"status", internal::logged_model_status_proto_name(status)}};
  return model_of(client_.call("PATCH", model_path(model_id), {}, json_body(body), kSafe),
                  "logged-models (finalize)");
}

void RestTrackingStore::set_logged_model_tags(const std::string& model_id, const KeyValues& tags) {
  client_.call("PATCH", model_path(model_id) + "/tags", {},
               json_body(Json{{"tags", key_values(tags)}}), kSafe);
}

void RestTrackingStore::delete_logged_model_tag(const std::string& model_id,
                                                const std::string& key) {
  client_.call("DELETE", model_path(model_id) + "/tags/" + url_encode(key), {}, {}, kSafe);
}

PagedList<LoggedModel> RestTrackingStore::search_logged_models(
    const std::vector<std::string>& experiment_ids, const SearchLoggedModelsOptions& options) {
  // experiment_ids is sent even when empty: the server requires the field (as Python does).
  Json body = {{"experiment_ids", experiment_ids}};
  if (!options.filter_string.empty()) body["filter"] = options.filter_string;
  if (!options.datasets.empty()) {
    Json datasets = Json::array();
    for (const auto& d : options.datasets) {
      Json entry = {{"dataset_name", d.dataset_name}};
      if (d.dataset_digest) entry["dataset_digest"] = *d.dataset_digest;
      datasets.push_back(std::move(entry));
    }
    body["datasets"] = std::move(datasets);
  }
  if (options.max_results) body["max_results"] = *options.max_results;
  if (!options.order_by.empty()) {
    Json order = Json::array();
    for (const auto& o : options.order_by) {
      Json entry = {{"field_name", o.field_name}, {"ascending", o.ascending}};
      if (o.dataset_name) entry["dataset_name"] = *o.dataset_name;
      if (o.dataset_digest) entry["dataset_digest"] = *o.dataset_digest;
      order.push_back(std::move(entry));
    }
    body["order_by"] = std::move(order);
  }
  if (!options.page_token.empty()) body["page_token"] = options.page_token;
  const Json response = client_.call("POST", "logged-models/search", {}, json_body(body), kSafe);
  return codec::decode_page(response, "models", decode_logged_model);
}

void RestTrackingStore::log_outputs(const std::string& run_id,
                                    const std::vector<ModelOutput>& models) {
  Json list = Json::array();
  for (const ModelOutput& m : models) list.push_back(codec::encode(m));
  client_.call("POST", "runs/outputs", {}, json_body({{"run_id", run_id}, {"models", list}}),
               kUnsafe);
}

}  // namespace mlflow::internal
