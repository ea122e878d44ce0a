// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// Export to a real OpenTelemetry receiver (issue 12, must-show 3; ADR 0028): Jaeger v1.75.0,
// started by the CTest fixture (scripts/jaeger.sh) with its OTLP/HTTP receiver and query API on
// loopback, receives C++ traces; the test reads them back through Jaeger's query API
// (/api/traces?service=...) with their attributes, parent links and resource service.name.
// Without dual export the MLflow server gets nothing (Python's rule: the collector replaces
// it); with MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT both receive the trace. A standalone span (the
// governance layer's one span per operation) reaches both. No Jaeger: every test fails.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "fluent/state.hpp"
#include "mlflow/governance.hpp"
#include "mlflow/governance_export.hpp"
#include "mlflow/mlflow.hpp"
#include "support/test_env.hpp"
#include "tracing/otlp_collector.hpp"
#include "tracing/provider.hpp"
#include "transport/http_transport.hpp"

namespace mlflow {
namespace {

using testing::unique_name;

std::string jaeger_file(const std::string& name) {
  const char* dir = std::getenv("MLFLOW_TEST_JAEGER_DIR");
  if (dir == nullptr) dir = MLFLOW_TEST_JAEGER_DIR;
  std::ifstream in(std::string(dir) + "/" + name);
  std::string line;
  std::getline(in, line);
  return line;
}

// The JSON of GET <query>/api/traces?service=<service>, polled until `spans` spans arrived
// (Jaeger's pipeline batches for 100 ms) or 30 s passed.
JsonValue jaeger_traces(const std::string& service, std::size_t spans) {
  auto transport = internal::make_curl_transport({});
  internal::HttpRequest request;
  request.method = "GET";
  request.url = jaeger_file("query") + "/api/traces?service=" + service + "&limit=100";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  JsonValue last;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto result = transport->send(request);
    if (result.ok() && result.response->status == 200) {
      last = JsonValue::parse(result.response->body);
      std::size_t seen = 0;
      if (last.at("data").is_array()) {
        for (const auto& trace : last.at("data").as_array()) seen += trace.at("spans").size();
      }
      if (seen >= spans) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

const JsonValue* tag(const JsonValue& span, const std::string& key) {
  for (const auto& t : span.at("tags").as_array()) {
    if (t.at("key").as_string() == key) return &t.at("value");
  }
  return nullptr;
}

const JsonValue& span_named(const JsonValue& trace, const std::string& name) {
  for (const auto& s : trace.at("spans").as_array()) {
    if (s.at("operationName").as_string() == name) return s;
  }
  throw std::runtime_error("Jaeger has no span named " + name);
}

class JaegerExport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(jaeger_file("otlp").empty())
        << "Jaeger is not running: MLFLOW_TEST_JAEGER_DIR must name the directory of "
           "`scripts/jaeger.sh start` (the ctest fixture otlp.jaeger_start does it)";
    service_ = unique_name("cpp-svc");
    internal::reset_fluent_state();
    set_tracking_uri(testing::server_uri());
    experiment_ = set_experiment(unique_name("otlp")).experiment_id;
  }
  void TearDown() override {
    EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
    env_.reset();
    set_tracking_uri("");
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
  }
  // The environment of a process exporting to Jaeger; the provider reads it afresh.
  void export_env(bool dual) {
    env_.emplace(std::map<std::string, std::optional<std::string>>{
        {"OTEL_EXPORTER_OTLP_ENDPOINT", jaeger_file("otlp")},
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", std::nullopt},
        {"OTEL_EXPORTER_OTLP_HEADERS", "x-team-token=not%20logged"},
        {"OTEL_SERVICE_NAME", service_},
        {"MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT",
         dual ? std::optional<std::string>("true") : std::nullopt}});
    internal::tracing::reset_for_tests();
  }
  // A root span with a child, each with attributes; returns the trace id.
  std::string record_trace() {
    StartSpanOptions root_options;
    root_options.attributes = JsonValue::object({{"genops.team", "ml-team"}, {"batch", 32}});
    auto root = start_span("handle_request", SpanType::kChain, root_options);
    {
      StartSpanOptions child_options;
      child_options.attributes = JsonValue::object({{"model", "gpt-x"}});
      auto child = start_span("call_llm", SpanType::kLlm, child_options);
      child.set_attribute("tokens", 42);
    }
    const std::string trace_id = root.trace_id();
    root.end();
    return trace_id;
  }
  // The MLflow server's traces of the test's experiment.
  std::vector<Trace> server_traces() {
    MlflowClient client(testing::server_uri());
    SearchTracesOptions options;
    options.experiment_ids = {experiment_};
    return client.search_traces(options).items;
  }
  void expect_in_jaeger(const std::string& trace_id) {
    const JsonValue traces = jaeger_traces(service_, 2);
    ASSERT_EQ(traces.at("data").size(), 1u) << traces.dump();
    const JsonValue& trace = traces.at("data").at(0);
    EXPECT_EQ("tr-" + trace.at("traceID").as_string(), trace_id);
    const JsonValue& root = span_named(trace, "handle_request");
    const JsonValue& child = span_named(trace, "call_llm");
    ASSERT_NE(tag(root, "genops.team"), nullptr) << root.dump();
    EXPECT_EQ(tag(root, "genops.team")->as_string(), "ml-team");
    EXPECT_EQ(tag(root, "batch")->as_int(), 32);
    EXPECT_EQ(tag(child, "model")->as_string(), "gpt-x");
    EXPECT_EQ(tag(child, "tokens")->as_int(), 42);
    ASSERT_NE(tag(child, "mlflow.spanType"), nullptr);
    // The parent link.
    EXPECT_TRUE(root.at("references").as_array().empty());
    ASSERT_EQ(child.at("references").size(), 1u) << child.dump();
    EXPECT_EQ(child.at("references").at(0).at("refType").as_string(), "CHILD_OF");
    EXPECT_EQ(child.at("references").at(0).at("spanID").as_string(), root.at("spanID").as_string());
    // The resource's service.name (and the SDK attributes) on the span's process.
    const JsonValue& process = trace.at("processes").at(root.at("processID").as_string());
    EXPECT_EQ(process.at("serviceName").as_string(), service_);
    ASSERT_NE(tag(process, "telemetry.sdk.name"), nullptr) << process.dump();
    EXPECT_EQ(tag(process, "telemetry.sdk.name")->as_string(), "mlflow-cpp");
  }

  std::string service_;
  std::string experiment_;
  std::optional<testing::ScopedEnv> env_;
};

TEST_F(JaegerExport, CollectorReplacesTheServerWithoutDualExport) {
  export_env(false);
  const std::string trace_id = record_trace();
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  expect_in_jaeger(trace_id);
  EXPECT_TRUE(server_traces().empty());
}

TEST_F(JaegerExport, DualExportReachesJaegerAndTheMlflowServer) {
  export_env(true);
  const std::string trace_id = record_trace();
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  expect_in_jaeger(trace_id);
  const auto stored = server_traces();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].info.trace_id, trace_id);
  const Trace full = MlflowClient(testing::server_uri()).get_trace(trace_id);
  EXPECT_EQ(full.data.spans.size(), 2u);
}

// The governance layer's entry point: one standalone span per governed operation.
TEST_F(JaegerExport, StandaloneSpanReachesJaegerAndWithDualExportTheServer) {
  export_env(true);
  const auto now = internal::tracing::now_ns();
  SpanData span = internal::tracing::make_standalone_span(
      "mlflow.log_metric", now - 1000000, now,
      JsonValue::object({{"genops.team", "ml-team"}, {"genops.cost.total", 0.0001}}));
  const std::string trace_id = span.trace_id;
  ASSERT_TRUE(internal::tracing::export_standalone_span(std::move(span), experiment_));
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  const JsonValue traces = jaeger_traces(service_, 1);
  ASSERT_EQ(traces.at("data").size(), 1u) << traces.dump();
  const JsonValue& stored = traces.at("data").at(0).at("spans").at(0);
  EXPECT_EQ(stored.at("operationName").as_string(), "mlflow.log_metric");
  EXPECT_EQ(tag(stored, "genops.team")->as_string(), "ml-team");
  EXPECT_DOUBLE_EQ(tag(stored, "genops.cost.total")->as_double(), 0.0001);
  const Trace on_server = MlflowClient(testing::server_uri()).get_trace(trace_id);
  ASSERT_EQ(on_server.data.spans.size(), 1u);
  EXPECT_EQ(on_server.data.spans[0].name, "mlflow.log_metric");
}

// validate_setup() sees the collector: Jaeger answers an empty OTLP request.
TEST_F(JaegerExport, ValidateSetupReachesTheCollector) {
  export_env(false);
  ValidateSetupOptions options;
  options.check_connectivity = false;
  const ValidationResult result = validate_setup(options);
  const SetupCheck* otlp = result.check("otlp_export");
  ASSERT_NE(otlp, nullptr);
  EXPECT_EQ(otlp->status, CheckStatus::kPassed) << otlp->detail;
  EXPECT_THAT(otlp->detail, ::testing::HasSubstr(jaeger_file("otlp")));
  EXPECT_THAT(result.to_json().dump(), ::testing::Not(::testing::HasSubstr("not logged")));
}

}  // namespace
// Governance (issue 12): with OTEL_EXPORTER_OTLP_ENDPOINT set, a Governance made without an
// on_span callback sends one span per governed operation to the collector, carrying the
// attribution, the operation and its cost; Jaeger's query API returns them.
TEST_F(JaegerExport, GovernanceSpansReachJaegerWithAttributionAndCost) {
  export_env(false);
  governance::GovernanceOptions options;
  options.attributes.team = "ml-team";
  options.attributes.project = "otlp-governance";
  auto governed = std::make_shared<governance::Governance>(options);
  add_operation_hook(governed);
  MlflowClient client(testing::server_uri());
  RunInfo run;
  try {
    run = client.create_run(experiment_).info;
    client.log_metric(run.run_id, "loss", 0.5);
  } catch (...) {
    remove_operation_hook(governed);
    throw;
  }
  remove_operation_hook(governed);
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  const JsonValue traces = jaeger_traces(service_, 2);
  std::map<std::string, const JsonValue*> by_name;
  for (const JsonValue& trace : traces.at("data").as_array()) {
    for (const JsonValue& span : trace.at("spans").as_array()) {
      by_name[span.at("operationName").as_string()] = &span;
    }
  }
  ASSERT_EQ(by_name.count("mlflow.log_metric"), 1u) << traces.dump();
  ASSERT_EQ(by_name.count("mlflow.create_run"), 1u) << traces.dump();
  const JsonValue& metric = *by_name.at("mlflow.log_metric");
  EXPECT_EQ(tag(metric, "genops.team")->as_string(), "ml-team");
  EXPECT_EQ(tag(metric, "genops.project")->as_string(), "otlp-governance");
  EXPECT_EQ(tag(metric, "genops.operation.name")->as_string(), "log_metric");
  EXPECT_EQ(tag(metric, "mlflow.run_id")->as_string(), run.run_id);
  EXPECT_GT(std::stod(tag(metric, "genops.cost.usd")->as_string()), 0.0);
}

}  // namespace mlflow
