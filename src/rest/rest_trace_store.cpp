// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/rest_trace_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"
#include "rest/otlp_encoder.hpp"
#include "rest/trace_json_codec.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kTracesV3 = "/api/3.0/mlflow/traces";
constexpr const char* kTracesV2 = "/api/2.0/mlflow/traces";
constexpr const char* kOtlpTraces = "/v1/traces";
constexpr const char* kTraceDataFile = "traces.json";

Json experiment_location(const std::string& experiment_id) {
  return {{"type", "MLFLOW_EXPERIMENT"}, {"mlflow_experiment", {{"experiment_id", experiment_id}}}};
}

std::string assessment_endpoint(const std::string& trace_id, const std::string& assessment_id) {
  return std::string(kTracesV3) + "/" + url_encode(trace_id) + "/assessments/" +
         url_encode(assessment_id);
}

// A scratch directory removed on scope exit (for the artifact round trip).
class ScratchDir {
 public:
  ScratchDir() {
    path_ = fs::temp_directory_path() / ("mlflow-cpp-trace-" + uuid4_hex());
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

const std::string& artifact_location_of(const TraceInfo& info) {
  const auto it = info.tags.find(TraceTagKey::kArtifactLocation);
  if (it == info.tags.end() || it->second.empty()) {
    throw MlflowException(ErrorCode::kInvalidState,
                          "Trace '" + info.trace_id + "' has no '" +
                              TraceTagKey::kArtifactLocation +
                              "' tag, so its span data cannot be stored or read as an artifact.");
  }
  return it->second;
}

}  // namespace

RestTraceStore::RestTraceStore(std::shared_ptr<RestClient> client, ArtifactClientContext artifacts,
                               OtlpEncoding encoding)
    : client_(std::move(client)), artifacts_(std::move(artifacts)), encoding_(encoding) {}

// POST /api/3.0/mlflow/traces {"trace": {"trace_info": ...}}. The server upserts on the trace
// id, so a retry after a lost answer stores the same trace again, not a second one.
TraceInfo RestTraceStore::start_trace(const TraceInfo& info) {
  const Json body = {{"trace", {{"trace_info", trace_json::encode_trace_info(info)}}}};
  const Json answer = client_->call("POST", kTracesV3, {}, json_body(body), kSafe);
  const auto trace = answer.find("trace");
  if (trace == answer.end() || !trace->contains("trace_info")) {
    throw MlflowException(ErrorCode::kUnparseableHttpError,
                          "StartTraceV3 answered without a trace_info.");
  }
  return trace_json::decode_trace_info(trace->at("trace_info"));
}

// POST /v1/traces with x-mlflow-experiment-id. A 501 ("REST OTLP span logging is not
// supported by <Store>", file-store servers) or a 404 without an MLflow error code (no such
// route: servers before 3.4, or Flask-only deployments) means the server cannot take spans:
// kNotImplemented, so the exporter switches to the artifact path as Python does. A 404 with
// an MLflow error code is the store's own answer (RESOURCE_DOES_NOT_EXIST for an unknown
// experiment) and stays what it is.
void RestTraceStore::log_spans(const std::string& experiment_id,
                               const std::vector<SpanData>& spans) {
  if (spans.empty()) return;
  const bool json = encoding_ == OtlpEncoding::kJson;
  std::string body = json ? otlp::encode_json(spans) : otlp::encode_protobuf(spans);
  const HttpHeaders headers = {
      {"Content-Type", json ? "application/json" : "application/x-protobuf"},
      {"x-mlflow-experiment-id", experiment_id}};
  try {
    client_->call("POST", kOtlpTraces, {}, std::move(body), kSafe, headers);
  } catch (const MlflowException& e) {
    const bool no_route = e.http_status() == 404 && e.server_error_code().empty();
    if (e.http_status() == 501 || no_route) {
      throw MlflowException(ErrorCode::kNotImplemented,
                            std::string("The server does not accept OTLP spans: ") + e.what(),
                            e.http_status(), e.server_error_code());
    }
    throw;
  }
}

// traces.json under the trace's artifact location, through the artifact repository of that
// URI (mlflow-artifacts:/ -> the server's proxied artifact API).
void RestTraceStore::upload_trace_data(const TraceInfo& info, const std::vector<SpanData>& spans) {
  Json list = Json::array();
  for (const auto& span : spans) list.push_back(trace_json::span_to_dict(span));
  const std::string content = Json{{"spans", std::move(list)}}.dump();
  ScratchDir scratch;
  const fs::path file = scratch.path() / kTraceDataFile;
  {
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out) {
      throw MlflowException(ErrorCode::kIoError, "Could not write " + file.string() + ".");
    }
  }
  auto repo = make_artifact_repository(artifact_location_of(info), artifacts_);
  repo->log_artifact(file.string(), "");
}

std::vector<SpanData> RestTraceStore::download_trace_data(const TraceInfo& info) {
  auto repo = make_artifact_repository(artifact_location_of(info), artifacts_);
  ScratchDir scratch;
  const std::string local = repo->download_artifacts(kTraceDataFile, scratch.path());
  std::ifstream in(local, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const Json parsed = Json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    throw MlflowException(ErrorCode::kUnparseableHttpError,
                          "traces.json of trace '" + info.trace_id + "' is not a JSON object.");
  }
  std::vector<SpanData> spans;
  for (const auto& s : json_codec::array_field(parsed, "spans")) {
    spans.push_back(trace_json::span_from_dict(s));
  }
  return spans;
}

TraceInfo RestTraceStore::get_trace_info(const std::string& trace_id) {
  const Json answer =
      client_->call("GET", std::string(kTracesV3) + "/" + url_encode(trace_id), {}, "", kSafe);
  return trace_json::decode_trace_info(
      answer.value("trace", Json::object()).value("trace_info", Json::object()));
}

Trace RestTraceStore::get_trace(const std::string& trace_id, bool allow_partial) {
  QueryParams query = {{"trace_id", trace_id}};
  if (allow_partial) query.emplace_back("allow_partial", "true");
  const Json answer = client_->call("GET", std::string(kTracesV3) + "/get", query, "", kSafe);
  return trace_json::decode_trace(answer.value("trace", Json::object()));
}

std::vector<Trace> RestTraceStore::batch_get_traces(const std::vector<std::string>& trace_ids) {
  QueryParams query;
  for (const auto& id : trace_ids) query.emplace_back("trace_ids", id);
  const Json answer = client_->call("GET", std::string(kTracesV3) + "/batchGet", query, "", kSafe);
  std::vector<Trace> traces;
  for (const auto& t : json_codec::array_field(answer, "traces")) {
    traces.push_back(trace_json::decode_trace(t));
  }
  return traces;
}

PagedList<TraceInfo> RestTraceStore::search_traces(const std::vector<std::string>& experiment_ids,
                                                   const std::string& filter_string,
                                                   int max_results,
                                                   const std::vector<std::string>& order_by,
                                                   const std::string& page_token) {
  Json locations = Json::array();
  for (const auto& id : experiment_ids) locations.push_back(experiment_location(id));
  Json body = {{"locations", std::move(locations)}, {"max_results", max_results}};
  if (!filter_string.empty()) body["filter"] = filter_string;
  if (!order_by.empty()) body["order_by"] = order_by;
  if (!page_token.empty()) body["page_token"] = page_token;
  const Json answer =
      client_->call("POST", std::string(kTracesV3) + "/search", {}, json_body(body), kSafe);
  PagedList<TraceInfo> page;
  for (const auto& t : json_codec::array_field(answer, "traces")) {
    page.items.push_back(trace_json::decode_trace_info(t));
  }
  if (const auto token = answer.find("next_page_token");
      token != answer.end() && token->is_string()) {
    page.token = token->get<std::string>();
  }
  return page;
}

// Python always uses the v2 tag endpoint: PATCH / DELETE /api/2.0/mlflow/traces/<id>/tags.
void RestTraceStore::set_trace_tag(const std::string& trace_id, const std::string& key,
                                   const std::string& value) {
  client_->call("PATCH", std::string(kTracesV2) + "/" + url_encode(trace_id) + "/tags", {},
                json_body(Json{{"key", key}, {"value", value}}), kSafe);
}

void RestTraceStore::delete_trace_tag(const std::string& trace_id, const std::string& key) {
  client_->call("DELETE", std::string(kTracesV2) + "/" + url_encode(trace_id) + "/tags", {},
                json_body(Json{{"key", key}}), kSafe);
}

// POST /api/2.0/mlflow/traces/delete-traces. Deleting the same ids again deletes nothing more,
// so a retry is harmless (the count may then be lower than what was deleted).
int RestTraceStore::delete_traces(const std::string& experiment_id,
                                  std::optional<std::int64_t> max_timestamp_millis,
                                  std::optional<int> max_traces,
                                  const std::vector<std::string>& trace_ids) {
  Json body = {{"experiment_id", experiment_id}};
  if (max_timestamp_millis) body["max_timestamp_millis"] = *max_timestamp_millis;
  if (max_traces) body["max_traces"] = *max_traces;
  if (!trace_ids.empty()) body["request_ids"] = trace_ids;
  const Json answer =
      client_->call("POST", std::string(kTracesV2) + "/delete-traces", {}, json_body(body), kSafe);
  const auto n = answer.find("traces_deleted");
  return n == answer.end() ? 0 : static_cast<int>(json_codec::decode_int64(*n, "traces_deleted"));
}

void RestTraceStore::link_traces_to_run(const std::vector<std::string>& trace_ids,
                                        const std::string& run_id) {
  client_->call("POST", std::string(kTracesV2) + "/link-to-run", {},
                json_body(Json{{"trace_ids", trace_ids}, {"run_id", run_id}}), kSafe);
}

void RestTraceStore::link_prompts_to_trace(const std::string& trace_id,
                                           const std::vector<PromptVersionRef>& prompt_versions) {
  Json refs = Json::array();
  for (const auto& p : prompt_versions) refs.push_back({{"name", p.name}, {"version", p.version}});
  client_->call("POST", std::string(kTracesV2) + "/link-prompts", {},
                json_body(Json{{"trace_id", trace_id}, {"prompt_versions", std::move(refs)}}),
                kSafe);
}

// POST /api/3.0/mlflow/traces/<id>/assessments. Not idempotent: a retry after a lost answer
// would add a second assessment, so only failures that surely did not reach the server retry.
Assessment RestTraceStore::create_assessment(const Assessment& assessment) {
  const Json answer = client_->call(
      "POST", std::string(kTracesV3) + "/" + url_encode(assessment.trace_id) + "/assessments", {},
      json_body(Json{{"assessment", trace_json::encode_assessment(assessment)}}), kUnsafe);
  return trace_json::decode_assessment(answer.value("assessment", Json::object()));
}

Assessment RestTraceStore::get_assessment(const std::string& trace_id,
                                          const std::string& assessment_id) {
  const Json answer =
      client_->call("GET", assessment_endpoint(trace_id, assessment_id), {}, "", kSafe);
  return trace_json::decode_assessment(answer.value("assessment", Json::object()));
}

// PATCH with a FieldMask of lowerCamelCase paths ("assessmentName,feedback"), as protobuf JSON
// writes Python's update_mask.paths.
Assessment RestTraceStore::update_assessment(const std::string& trace_id,
                                             const std::string& assessment_id,
                                             const AssessmentUpdate& update) {
  Json assessment = {{"assessment_id", assessment_id}, {"trace_id", trace_id}};
  std::vector<std::string> mask;
  if (update.name) {
    assessment["assessment_name"] = *update.name;
    mask.emplace_back("assessmentName");
  }
  if (update.expectation) {
    Expectation e("x", *update.expectation);
    assessment["expectation"] = trace_json::encode_assessment(e).at("expectation");
    mask.emplace_back("expectation");
  }
  if (update.feedback || update.feedback_error) {
    Json feedback = {{"value", trace_json::to_json(update.feedback.value_or(JsonValue()))}};
    if (update.feedback_error) {
      Json error = {{"error_code", update.feedback_error->error_code}};
      if (update.feedback_error->error_message) {
        error["error_message"] = *update.feedback_error->error_message;
      }
      if (update.feedback_error->stack_trace)
        error["stack_trace"] = *update.feedback_error->stack_trace;
      feedback["error"] = std::move(error);
    }
    assessment["feedback"] = std::move(feedback);
    mask.emplace_back("feedback");
  }
  if (update.rationale) {
    assessment["rationale"] = *update.rationale;
    mask.emplace_back("rationale");
  }
  if (update.metadata) {
    Json metadata = Json::object();
    for (const auto& [k, v] : *update.metadata) metadata[k] = v;
    assessment["metadata"] = std::move(metadata);
    mask.emplace_back("metadata");
  }
  std::string mask_text;
  for (const auto& path : mask) mask_text += (mask_text.empty() ? "" : ",") + path;
  const Json answer = client_->call(
      "PATCH", assessment_endpoint(trace_id, assessment_id), {},
      json_body(Json{{"assessment", std::move(assessment)}, {"update_mask", mask_text}}), kSafe);
  return trace_json::decode_assessment(answer.value("assessment", Json::object()));
}

void RestTraceStore::delete_assessment(const std::string& trace_id,
                                       const std::string& assessment_id) {
  client_->call("DELETE", assessment_endpoint(trace_id, assessment_id), {}, "", kSafe);
}

}  // namespace mlflow::internal
