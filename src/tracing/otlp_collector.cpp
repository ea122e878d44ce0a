// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "tracing/otlp_collector.hpp"

#include <utility>
#include <vector>

#include "artifacts/artifact_path.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/version.hpp"
#include "rest/otlp_encoder.hpp"
#include "rest/rest_client.hpp"
#include "tracing/provider.hpp"
#include "transport/retry.hpp"

namespace mlflow::internal::tracing {
namespace {

constexpr const char* kTracesPath = "/v1/traces";

std::optional<std::string> non_empty(const EnvLookup& env, const char* name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;  // Python tests `if value:`
  return value;
}

// "k1=v1,k2=v2" (the OpenTelemetry list form: blanks around entries ignored, values
// percent-decoded). Only the variable's name may appear in an error: the values are secrets.
std::vector<std::pair<std::string, std::string>> parse_pairs(const std::string& text,
                                                             const char* variable) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string entry = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    const std::size_t eq = entry.find('=');
    if (eq == std::string::npos || trim(entry.substr(0, eq)).empty()) {
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            std::string(variable) +
                                " has an entry that is not key=value; write it as "
                                "key1=value1,key2=value2 (values percent-encoded).");
    }
    out.emplace_back(percent_decode(trim(entry.substr(0, eq))),
                     percent_decode(trim(entry.substr(eq + 1))));
  }
  return out;
}

class CollectorTraceStore : public TraceStore {
 public:
  CollectorTraceStore(CollectorConfig config, std::shared_ptr<HttpTransport> transport)
      : config_(std::move(config)), transport_(std::move(transport)) {}

  void log_spans(const std::string& /*experiment_id*/,
                 const std::vector<SpanData>& spans) override {
    if (spans.empty()) return;
    const bool json = config_.protocol == "http/json";
    HttpRequest request;
    request.method = "POST";
    request.url = config_.endpoint;
    request.headers = config_.headers;
    set_header(request.headers, "Content-Type",
               json ? "application/json" : "application/x-protobuf");
    request.body = json ? otlp::encode_json(spans, config_.resource)
                        : otlp::encode_protobuf(spans, config_.resource);
    request.timeout = std::chrono::seconds(10);  // OTEL_EXPORTER_OTLP_TIMEOUT's default
    RetryPolicy no_retries;                      // the exporter's hold decides (ADR 0022)
    no_retries.max_retries = 0;
    const HttpResponse response =
        send_with_retry(*transport_, request, no_retries, {}, Idempotency::kIdempotent);
    if (response.status < 200 || response.status >= 300) {
      throw_http_error("POST", config_.endpoint, response);
    }
  }

 private:
  const CollectorConfig config_;
  std::shared_ptr<HttpTransport> transport_;
};

}  // namespace

std::optional<CollectorConfig> collector_config_from(const EnvLookup& env) {
  CollectorConfig config;
  if (auto traces = non_empty(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    config.endpoint = *traces;
  } else if (auto base = non_empty(env, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
    std::string url = *base;
    while (!url.empty() && url.back() == '/') url.pop_back();
    config.endpoint = url + kTracesPath;
  } else {
    return std::nullopt;
  }
  if (!env_bool(env, "MLFLOW_ENABLE_OTLP_EXPORTER").value_or(true)) return std::nullopt;
  config.dual_export = env_bool(env, "MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT").value_or(false);

  const char* protocol_variable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  auto protocol = non_empty(env, protocol_variable);
  if (!protocol) {
    protocol_variable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    protocol = non_empty(env, protocol_variable);
  }
  config.protocol = protocol.value_or("http/protobuf");
  if (config.protocol != "http/protobuf" && config.protocol != "http/json") {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        std::string(protocol_variable) + "='" + config.protocol +
            "' is not supported by mlflow-cpp: it sends OTLP over HTTP only. Set " +
            protocol_variable +
            "=http/protobuf and point the endpoint at the collector's OTLP/HTTP receiver "
            "(usually port 4318, not gRPC's 4317).");
  }

  const char* headers_variable = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
  auto headers = non_empty(env, headers_variable);
  if (!headers) {
    headers_variable = "OTEL_EXPORTER_OTLP_HEADERS";
    headers = non_empty(env, headers_variable);
  }
  if (headers) {
    for (auto& [name, value] : parse_pairs(*headers, headers_variable)) {
      set_header(config.headers, name, value);
    }
  }

  if (auto attributes = non_empty(env, "OTEL_RESOURCE_ATTRIBUTES")) {
    for (auto& [key, value] : parse_pairs(*attributes, "OTEL_RESOURCE_ATTRIBUTES")) {
      config.resource.set(key, JsonValue(std::move(value)));
    }
  }
  if (auto service = non_empty(env, "OTEL_SERVICE_NAME")) {
    config.resource.set("service.name", JsonValue(*service));
  } else if (!config.resource.find("service.name")) {
    config.resource.set("service.name", JsonValue("unknown_service"));
  }
  // As Python's provider adds its SDK attributes, naming this SDK.
  config.resource.set("telemetry.sdk.language", JsonValue("cpp"));
  config.resource.set("telemetry.sdk.name", JsonValue("mlflow-cpp"));
  config.resource.set("telemetry.sdk.version", JsonValue(kVersion));

  if (auto ca = non_empty(env, "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE")) {
    config.ca_bundle_path = *ca;
  } else if (auto ca_all = non_empty(env, "OTEL_EXPORTER_OTLP_CERTIFICATE")) {
    config.ca_bundle_path = *ca_all;
  }
  return config;
}

std::shared_ptr<TraceStore> make_collector_store(const CollectorConfig& config,
                                                 std::shared_ptr<HttpTransport> transport) {
  if (!transport) {
    TransportOptions options;
    options.ca_bundle_path = config.ca_bundle_path;
    options.user_agent = std::string("mlflow-cpp/") + kVersion;
    transport = make_curl_transport(options);
  }
  return std::make_shared<CollectorTraceStore>(config, std::move(transport));
}

SpanData make_standalone_span(std::string name, std::int64_t start_time_ns,
                              std::int64_t end_time_ns, JsonValue attributes) {
  SpanData span;
  span.trace_id = "tr-" + uuid4_hex();
  span.span_id = uuid4_hex().substr(0, 16);
  span.name = std::move(name);
  span.start_time_ns = start_time_ns;
  span.end_time_ns = end_time_ns;
  span.status.status_code = SpanStatusCode::kOk;
  span.attributes = attributes.is_object() ? std::move(attributes) : JsonValue::object();
  return span;
}

bool export_standalone_span(SpanData span, const std::optional<std::string>& experiment_id) {
  if (!is_enabled()) return false;
  ExportItem item;
  item.trace_id = span.trace_id;
  item.experiment_id = experiment_id.value_or("0");
  item.bytes = approximate_bytes(span);
  item.spans.push_back(std::move(span));
  const auto collector = collector_exporter();
  const bool to_server = experiment_id && (!collector || collector_dual_export());
  if (!collector && !to_server) return false;
  if (to_server) {
    const auto server = exporter_for_new_trace();
    if (collector) {
      server->submit(item);
    } else {
      server->submit(std::move(item));
      return true;
    }
  }
  collector->submit(std::move(item));
  return true;
}

}  // namespace mlflow::internal::tracing
