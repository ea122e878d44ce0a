// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Export to any OpenTelemetry collector (Jaeger, the OpenTelemetry Collector, a vendor's
// endpoint), as Python's mlflow.tracing does when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_EXPORTER_OTLP_ENDPOINT is set (ADR 0028): spans go as OTLP/HTTP (our encoder, ADR 0021)
// to the collector instead of the MLflow server, or to both with
// MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT. The collector gets only spans (it keeps no MLflow
// trace records), through a TraceExporter of its own, so batching, the bounded queue, the
// hold through outages, flush and exit work exactly as for the MLflow server.

#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/span_data.hpp"
#include "store/trace_store.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal::tracing {

/// Where and how spans go to a collector.
struct CollectorConfig {
  /// The full traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else
  /// OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces" (the OpenTelemetry rule Python follows).
  std::string endpoint;
  /// "http/protobuf" (the default here: gRPC is not built in) or "http/json".
  std::string protocol;
  /// OTEL_EXPORTER_OTLP_TRACES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS ("k=v,k2=v2",
  /// percent-decoded values). Values are secrets: never logged, never in messages.
  HttpHeaders headers;
  /// The Resource's attributes: OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME (service.name,
  /// "unknown_service" when neither names one) and telemetry.sdk.*.
  JsonValue resource = JsonValue::object();
  /// OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE / OTEL_EXPORTER_OTLP_CERTIFICATE: a CA bundle.
  std::string ca_bundle_path;
  /// MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT: the MLflow server gets the traces too.
  bool dual_export = false;
};

/// The collector configuration of `env`; std::nullopt when no endpoint is set or
/// MLFLOW_ENABLE_OTLP_EXPORTER is false (Python's should_use_otlp_exporter). Throws
/// InvalidArgument naming the variable and the fix for a protocol other than http/protobuf
/// or http/json (gRPC, Python's default, needs a gRPC stack this SDK does not carry), for a
/// header entry without '=', and for a boolean variable that is not one.
std::optional<CollectorConfig> collector_config_from(const EnvLookup& env);

/// The store that sends spans to a collector (log_spans only: POST of an
/// ExportTraceServiceRequest with the configured headers and resource). Non-2xx answers
/// throw as the REST stores' do, so the exporter's hold retries 429/5xx and gives up on the
/// rest; the message names the endpoint, never a header value.
std::shared_ptr<TraceStore> make_collector_store(const CollectorConfig& config,
                                                 std::shared_ptr<HttpTransport> transport = {});

/// A finished span of its own one-span trace (fresh trace and span ids), for records that
/// belong to no traced call, such as governance spans (one per governed operation).
SpanData make_standalone_span(std::string name, std::int64_t start_time_ns,
                              std::int64_t end_time_ns, JsonValue attributes);

/// Queues a standalone span (make_standalone_span) for export, never blocking: to the
/// collector when one is configured; to the MLflow server of the default tracking URI as
/// well, as a trace of `experiment_id`, when `experiment_id` is given and either dual export
/// is on or no collector is configured. Returns false when it went nowhere (tracing disabled,
/// or no collector and no experiment). Flush and exit cover these spans like any trace.
bool export_standalone_span(SpanData span, const std::optional<std::string>& experiment_id);

}  // namespace mlflow::internal::tracing
