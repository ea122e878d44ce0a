// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/rest_tracking_store.hpp"

#include <string>
#include <utility>

#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"
#include "rest/json_writer.hpp"
#include "rest/rest_backend.hpp"

namespace mlflow::internal {
namespace {

namespace codec = json_codec;
using Json = nlohmann::json;

// Retry classes of the calls below (kSafe, kUnsafe), exactly as MLflow 3.18's Python client assigns
// them (rest_utils.py _RETRY_SAFE_POST_RESPONSES): reads, searches and the writes the server
// deduplicates or upserts (log-metric, log-batch, log-parameter, set-tag, set-experiment-tag,
// update-run, delete-run, restore-run) may be repeated after a timeout. Every other write (creates,
// experiment rename/delete/restore, tag deletes, log-inputs) would create a second object or
// fail spuriously on a repeat the server had already applied, so it is retried only when the
// server surely did not act on it.

}  // namespace

RestTrackingStore::RestTrackingStore(const ResolvedConfig& config,
                                     std::shared_ptr<HttpTransport> transport, RetryHooks hooks)
    : RestTrackingStore(make_rest_client(config, std::move(transport), std::move(hooks))) {}

RestTrackingStore::RestTrackingStore(std::shared_ptr<RestClient> client)
    : shared_client_(std::move(client)), client_(*shared_client_) {}

// ---- Experiments ----

std::string RestTrackingStore::create_experiment(
    const std::string& name, const std::optional<std::string>& artifact_location,
    const std::vector<ExperimentTag>& tags) {
  Json body = {{"name", name}};
  if (artifact_location) body["artifact_location"] = *artifact_location;
  if (!tags.empty()) body["tags"] = codec::encode_all(tags);
  const Json response = client_.call("POST", "experiments/create", {}, json_body(body), kUnsafe);
  const auto it = response.find("experiment_id");
  if (it == response.end()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "The MLflow server's answer to experiments/create has no experiment_id.");
  }
  return codec::decode_string(*it, "experiment_id");
}

Experiment RestTrackingStore::get_experiment(const std::string& experiment_id) {
  const Json response =
      client_.call("GET", "experiments/get", {{"experiment_id", experiment_id}}, {}, kSafe);
  return codec::decode_experiment(
      codec::required_object(response, "experiment", "experiments/get"));
}

std::optional<Experiment> RestTrackingStore::get_experiment_by_name(const std::string& name) {
  try {
    const Json response =
        client_.call("GET", "experiments/get-by-name", {{"experiment_name", name}}, {}, kSafe);
    return codec::decode_experiment(
        codec::required_object(response, "experiment", "experiments/get-by-name"));
  } catch (const NotFound& e) {
    // Only MLflow's "no such experiment" means absent; an unknown endpoint (a wrong URI
    // prefix gives an HTML 404) must still fail loudly.
    if (e.error_code() == ErrorCode::kResourceDoesNotExist) return std::nullopt;
    throw;
  }
}

PagedList<Experiment> RestTrackingStore::search_experiments(
    const SearchExperimentsOptions& options) {
  // max_results is always sent: without it the SQL store sees 0 and rejects the request.
  Json body = {{"max_results", options.max_results}, {"view_type", to_string(options.view_type)}};
  if (!options.page_token.empty()) body["page_token"] = options.page_token;
  if (!options.order_by.empty()) body["order_by"] = Json(options.order_by);
  if (!options.filter_string.empty()) body["filter"] = options.filter_string;
  // A search is a read even though it is a POST (Python lists it as retry-safe too).
  const Json response = client_.call("POST", "experiments/search", {}, json_body(body), kSafe);
  return codec::decode_page(response, "experiments", codec::decode_experiment);
}

void RestTrackingStore::rename_experiment(const std::string& experiment_id,
                                          const std::string& new_name) {
  client_.call("POST", "experiments/update", {},
               json_body({{"experiment_id", experiment_id}, {"new_name", new_name}}), kUnsafe);
}

void RestTrackingStore::delete_experiment(const std::string& experiment_id) {
  client_.call("POST", "experiments/delete", {}, json_body({{"experiment_id", experiment_id}}),
               kUnsafe);
}

void RestTrackingStore::restore_experiment(const std::string& experiment_id) {
  client_.call("POST", "experiments/restore", {}, json_body({{"experiment_id", experiment_id}}),
               kUnsafe);
}

void RestTrackingStore::set_experiment_tag(const std::string& experiment_id,
                                           const ExperimentTag& tag) {
  client_.call(
      "POST", "experiments/set-experiment-tag", {},
      json_body({{"experiment_id", experiment_id}, {"key", tag.key}, {"value", tag.value}}), kSafe);
}

void RestTrackingStore::delete_experiment_tag(const std::string& experiment_id,
                                              const std::string& key) {
  client_.call("POST", "experiments/delete-experiment-tag", {},
               json_body({{"experiment_id", experiment_id}, {"key", key}}), kUnsafe);
}

// ---- Runs ----

Run RestTrackingStore::create_run(const CreateRunRequest& request) {
  Json body = {{"experiment_id", request.experiment_id},
               {"user_id", request.user_id},
               {"start_time", request.start_time}};
  if (!request.tags.empty()) body["tags"] = codec::encode_all(request.tags);
  if (request.run_name) body["run_name"] = *request.run_name;
  const Json response = client_.call("POST", "runs/create", {}, json_body(body), kUnsafe);
  return codec::decode_run(codec::required_object(response, "run", "runs/create"));
}

Run RestTrackingStore::get_run(const std::string& run_id) {
  // run_uuid is deprecated but Python still sends it alongside run_id; older servers need it.
  const Json response =
      client_.call("GET", "runs/get", {{"run_id", run_id}, {"run_uuid", run_id}}, {}, kSafe);
  return codec::decode_run(codec::required_object(response, "run", "runs/get"));
}

RunInfo RestTrackingStore::update_run_info(const std::string& run_id,
                                           std::optional<RunStatus> status,
                                           std::optional<std::int64_t> end_time,
                                           const std::optional<std::string>& run_name) {
  Json body = {{"run_id", run_id}, {"run_uuid", run_id}};
  if (status) body["status"] = to_string(*status);
  if (end_time) body["end_time"] = *end_time;
  if (run_name) body["run_name"] = *run_name;
  const Json response = client_.call("POST", "runs/update", {}, json_body(body), kSafe);
  return codec::decode_run_info(codec::required_object(response, "run_info", "runs/update"));
}

void RestTrackingStore::delete_run(const std::string& run_id) {
  client_.call("POST", "runs/delete", {}, json_body({{"run_id", run_id}}), kSafe);
}

void RestTrackingStore::restore_run(const std::string& run_id) {
  client_.call("POST", "runs/restore", {}, json_body({{"run_id", run_id}}), kSafe);
}

PagedList<Run> RestTrackingStore::search_runs(const std::vector<std::string>& experiment_ids,
                                              const SearchRunsOptions& options) {
  Json body = {{"experiment_ids", Json(experiment_ids)},
               {"run_view_type", to_string(options.run_view_type)},
               {"max_results", options.max_results}};
  if (!options.filter_string.empty()) body["filter"] = options.filter_string;
  if (!options.order_by.empty()) body["order_by"] = Json(options.order_by);
  if (!options.page_token.empty()) body["page_token"] = options.page_token;
  const Json response = client_.call("POST", "runs/search", {}, json_body(body), kSafe);
  return codec::decode_page(response, "runs", codec::decode_run);
}

// ---- Logging ----

void RestTrackingStore::log_metric(const std::string& run_id, const Metric& metric) {
  // The one metric encoder (json_writer), as log_batch uses.
  client_.call("POST", "runs/log-metric", {}, json_writer::log_metric_body(run_id, metric), kSafe);
}

void RestTrackingStore::log_param(const std::string& run_id, const Param& param) {
  client_.call(
      "POST", "runs/log-parameter", {},
      json_body(
          {{"run_id", run_id}, {"run_uuid", run_id}, {"key", param.key}, {"value", param.value}}),
      kSafe);
}

void RestTrackingStore::set_tag(const std::string& run_id, const RunTag& tag) {
  client_.call(
      "POST", "runs/set-tag", {},
      json_body({{"run_id", run_id}, {"run_uuid", run_id}, {"key", tag.key}, {"value", tag.value}}),
      kSafe);
}

void RestTrackingStore::delete_tag(const std::string& run_id, const std::string& key) {
  client_.call("POST", "runs/delete-tag", {}, json_body({{"run_id", run_id}, {"key", key}}),
               kUnsafe);
}

void RestTrackingStore::log_batch(const std::string& run_id, Span<Metric> metrics,
                                  Span<Param> params, Span<RunTag> tags) {
  // Serialised directly (json_writer): this is the hot path of bulk logging. Points logged
  // through log_batch belong to this run, so a metric's run_id is not sent.
  client_.call("POST", "runs/log-batch", {},
               json_writer::log_batch_body(run_id, metrics, params, tags), kSafe);
}

void RestTrackingStore::log_inputs(const std::string& run_id,
                                   const std::vector<DatasetInput>& datasets,
                                   const std::vector<ModelInput>& models) {
  Json body = {{"run_id", run_id}};
  if (!datasets.empty()) body["datasets"] = codec::encode_all(datasets);
  if (!models.empty()) body["models"] = codec::encode_all(models);
  client_.call("POST", "runs/log-inputs", {}, json_body(body), kUnsafe);
}

PagedList<Metric> RestTrackingStore::get_metric_history_page(const std::string& run_id,
                                                             const std::string& key,
                                                             int max_results,
                                                             const std::string& page_token) {
  // max_results is always sent: without it the server returns an empty page with a token it
  // cannot parse back.
  QueryParams query = {{"run_id", run_id},
                       {"run_uuid", run_id},
                       {"metric_key", key},
                       {"max_results", std::to_string(max_results)}};
  if (!page_token.empty()) query.emplace_back("page_token", page_token);
  const Json response = client_.call("GET", "metrics/get-history", query, {}, kSafe);
  return codec::decode_page(response, "metrics", codec::decode_metric);
}

std::vector<Metric> RestTrackingStore::get_metric_history_bulk_interval(
    const std::vector<std::string>& run_ids, const std::string& metric_key,
    const MetricHistoryBulkIntervalOptions& options) {
  QueryParams query;
  for (const auto& id : run_ids) query.emplace_back("run_ids", id);
  query.emplace_back("metric_key", metric_key);
  if (options.start_step) query.emplace_back("start_step", std::to_string(*options.start_step));
  if (options.end_step) query.emplace_back("end_step", std::to_string(*options.end_step));
  query.emplace_back("max_results", std::to_string(options.max_results));
  const Json response = client_.call("GET", "metrics/get-history-bulk-interval", query, {}, kSafe);
  std::vector<Metric> out;
  for (const Json& m : codec::array_field(response, "metrics")) {
    out.push_back(codec::decode_metric(m));
  }
  return out;
}

}  // namespace mlflow::internal
