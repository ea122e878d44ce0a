// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Export to an OpenTelemetry collector (tracing/otlp_collector.*, ADR 0028): the environment
// variables with Python's names and precedence, what the collector store sends (URL, headers,
// content type, the resource), and that header values (secrets) never reach a message. Jaeger
// receiving and showing the spans is tests/otlp/jaeger_export_test.cpp.

#include "tracing/otlp_collector.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "mlflow/errors.hpp"
#include "support/fake_transport.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"
#include "tracing/provider.hpp"

namespace mlflow {
namespace {

using internal::tracing::collector_config_from;
using ::testing::HasSubstr;
using ::testing::Not;

internal::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string header(const internal::HttpHeaders& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(OtlpCollectorConfig, EndpointsFollowPythonsPrecedence) {
  EXPECT_FALSE(collector_config_from(env_of({})));
  EXPECT_FALSE(collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", ""}})));
  // The base endpoint gets the signal path (one slash), the traces endpoint is used as is.
  EXPECT_EQ(
      collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/"}}))->endpoint,
      "http://c:4318/v1/traces");
  EXPECT_EQ(collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"},
                                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t/x"}}))
                ->endpoint,
            "http://t/x");
  // MLFLOW_ENABLE_OTLP_EXPORTER=false keeps traces in MLflow although an endpoint is set.
  EXPECT_FALSE(collector_config_from(env_of(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}, {"MLFLOW_ENABLE_OTLP_EXPORTER", "false"}})));
  const auto dual =
      collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                                    {"MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT", "TRUE"}}));
  EXPECT_TRUE(dual->dual_export);
  EXPECT_FALSE(
      collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}}))->dual_export);
}

TEST(OtlpCollectorConfig, ProtocolsOverHttpOnlyAndGrpcIsRefusedWithTheFix) {
  const auto config = [](const std::string& traces, const std::string& all) {
    std::map<std::string, std::string> vars = {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}};
    if (!traces.empty()) vars["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = traces;
    if (!all.empty()) vars["OTEL_EXPORTER_OTLP_PROTOCOL"] = all;
    return collector_config_from(env_of(vars));
  };
  EXPECT_EQ(config("", "")->protocol, "http/protobuf");
  EXPECT_EQ(config("", "http/json")->protocol, "http/json");
  EXPECT_EQ(config("http/protobuf", "http/json")->protocol, "http/protobuf");
  const auto e =
      testing::expect_mlflow_error([&] { config("grpc", ""); }, ErrorCode::kInvalidParameterValue);
  EXPECT_THAT(std::string(e.what()), HasSubstr("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL='grpc'"));
  EXPECT_THAT(std::string(e.what()), HasSubstr("=http/protobuf"));
  EXPECT_THAT(std::string(e.what()), HasSubstr("4318"));
}

TEST(OtlpCollectorConfig, HeadersAreDecodedAndNeverInMessages) {
  const auto config = collector_config_from(env_of(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
       {"OTEL_EXPORTER_OTLP_HEADERS", " Authorization=Bearer%20s3cret , x-team = a%2Cb ,"}}));
  EXPECT_EQ(header(config->headers, "Authorization"), "Bearer s3cret");
  EXPECT_EQ(header(config->headers, "x-team"), "a,b");
  // The traces-specific variable wins over the general one.
  const auto traces = collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                                                    {"OTEL_EXPORTER_OTLP_HEADERS", "a=1"},
                                                    {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=2"}}));
  EXPECT_EQ(header(traces->headers, "b"), "2");
  EXPECT_EQ(header(traces->headers, "a"), "<absent>");
  const auto e = testing::expect_mlflow_error(
      [] {
        collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                                      {"OTEL_EXPORTER_OTLP_HEADERS", "token-hunter2"}}));
      },
      ErrorCode::kInvalidParameterValue);
  EXPECT_THAT(std::string(e.what()), HasSubstr("OTEL_EXPORTER_OTLP_HEADERS"));
  EXPECT_THAT(std::string(e.what()), Not(HasSubstr("hunter2")));
}

TEST(OtlpCollectorConfig, ResourceNamesTheServiceAndTheSdk) {
  const auto named = collector_config_from(
      env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
              {"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment=prod"},
              {"OTEL_SERVICE_NAME", "svc"}}));
  EXPECT_EQ(named->resource.at("service.name").as_string(), "svc");  // OTEL_SERVICE_NAME wins
  EXPECT_EQ(named->resource.at("deployment.environment").as_string(), "prod");
  EXPECT_EQ(named->resource.at("telemetry.sdk.name").as_string(), "mlflow-cpp");
  const auto from_attributes =
      collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                                    {"OTEL_RESOURCE_ATTRIBUTES", "service.name=x"}}));
  EXPECT_EQ(from_attributes->resource.at("service.name").as_string(), "x");
  const auto unnamed = collector_config_from(env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}}));
  EXPECT_EQ(unnamed->resource.at("service.name").as_string(), "unknown_service");
}

TEST(OtlpCollectorStore, PostsProtobufWithHeadersAndResource) {
  auto config = collector_config_from(
      env_of({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"},
              {"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20s3cret"},
              {"OTEL_SERVICE_NAME", "checkout-service"}}));
  auto transport = std::make_shared<testing::FakeTransport>();
  auto store = internal::tracing::make_collector_store(*config, transport);
  const SpanData span = internal::tracing::make_standalone_span(
      "governed.log_metric", 1000, 2000, JsonValue::object({{"genops.team", "ml"}}));
  EXPECT_THAT(span.trace_id, ::testing::StartsWith("tr-"));
  EXPECT_EQ(span.trace_id.size(), 35u);
  EXPECT_EQ(span.span_id.size(), 16u);
  EXPECT_FALSE(span.parent_id);

  store->log_spans("ignored", {span});
  ASSERT_EQ(transport->requests.size(), 1u);
  const auto& request = transport->requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://collector:4318/v1/traces");
  EXPECT_EQ(testing::request_header(request, "Content-Type"), "application/x-protobuf");
  EXPECT_EQ(testing::request_header(request, "Authorization"), "Bearer s3cret");
  EXPECT_THAT(request.body, HasSubstr("checkout-service"));  // Resource service.name
  EXPECT_THAT(request.body, HasSubstr("governed.log_metric"));
  EXPECT_THAT(request.body, HasSubstr("genops.team"));

  // A refusal throws with the status, naming the endpoint and no header value.
  transport->reply(401, "unauthorized", "text/plain");
  try {
    store->log_spans("ignored", {span});
    ADD_FAILURE() << "a 401 must throw";
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.http_status(), 401);
    EXPECT_THAT(std::string(e.what()), HasSubstr("collector:4318"));
    EXPECT_THAT(std::string(e.what()), Not(HasSubstr("s3cret")));
  }
}

TEST(OtlpCollectorStore, JsonProtocolSendsOtlpJson) {
  auto config = collector_config_from(env_of(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}));
  auto transport = std::make_shared<testing::FakeTransport>();
  internal::tracing::make_collector_store(*config, transport)
      ->log_spans("0", {internal::tracing::make_standalone_span("s", 1, 2, JsonValue())});
  ASSERT_EQ(transport->requests.size(), 1u);
  EXPECT_EQ(testing::request_header(transport->requests[0], "Content-Type"), "application/json");
  EXPECT_THAT(
      transport->requests[0].body,
      HasSubstr("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"unknown_service\"}}"));
}

// Without a collector and without an experiment a standalone span goes nowhere, and says so.
TEST(OtlpCollectorStandalone, NoCollectorAndNoExperimentIsNotExported) {
  testing::ScopedEnv env(
      testing::unset_vars({"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}));
  internal::tracing::reset_for_tests();
  EXPECT_FALSE(internal::tracing::export_standalone_span(
      internal::tracing::make_standalone_span("s", 1, 2, JsonValue()), std::nullopt));
}

}  // namespace
}  // namespace mlflow
