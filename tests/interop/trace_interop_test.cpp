// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Traces on an embedded file, both ways with Python MLflow 3.18 (one Python run):
// * a trace the C++ store wrote (3 spans: types, inputs/outputs with non-ASCII text, token
//   usage, cost, model, events, an error status; trace tags, metadata, feedback and expectation)
//   is read by MlflowClient("sqlite:///file").get_trace / search_traces / get_assessment with
//   the identical span tree, names, types, inputs, outputs, attributes, usage, status, timings;
// * a trace Python wrote with mlflow.start_span / @mlflow.trace (and log_feedback,
//   override_feedback, log_expectation) is read by the C++ store the same;
// * `mlflow server` on the file serves the C++ trace (GET /api/3.0/mlflow/traces/get, the UI's
//   get-trace-artifact, SearchTracesV3 with a span filter);
// * through the fluent API (the exporter's path: OTLP to the real server, or the embedded
//   store), both ways on the server and on a file: a trace recorded with start_span / trace /
//   update_current_trace / log_feedback / log_expectation reads the same in Python's
//   get_trace / search_traces / get_assessment as in C++, and Python's trace the same in C++.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "core/ids.hpp"
#include "fluent/state.hpp"
#include "mlflow/assessment.hpp"
#include "mlflow/mlflow.hpp"
#include "mlflow/trace.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/builders.hpp"
#include "support/python_peer.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"
#include "tracing/provider.hpp"
#include "transport/http_transport.hpp"

namespace mlflow {
namespace {

using internal::SqliteStores;
using nlohmann::json;

json to_json(const JsonValue& v) { return json::parse(v.dump()); }

json describe(const Assessment& a) {
  json error = nullptr;
  if (a.error) {
    error = {{"error_code", a.error->error_code},
             {"error_message", a.error->error_message ? json(*a.error->error_message) : json()},
             {"stack_trace", a.error->stack_trace ? json(*a.error->stack_trace) : json()}};
  }
  json metadata = a.metadata.empty() ? json() : json(a.metadata);
  return {{"assessment_id", a.assessment_id.value_or("")},
          {"name", a.name},
          {"kind", a.is_feedback() ? "feedback" : "expectation"},
          {"value", to_json(a.value)},
          {"error", error},
          {"source_type", to_string(a.source.source_type)},
          {"source_id", a.source.source_id ? json(*a.source.source_id) : json()},
          {"rationale", a.rationale ? json(*a.rationale) : json()},
          {"metadata", metadata},
          {"span_id", a.span_id ? json(*a.span_id) : json()},
          {"valid", a.valid ? json(*a.valid) : json()},
          {"overrides", a.overrides ? json(*a.overrides) : json()},
          {"create_time_ms", a.create_time_ms}};
}

// The shape trace_interop.py's describe() gives a trace.
json describe(const Trace& t) {
  const TraceInfo& i = t.info;
  const auto opt = [](const auto& o) { return o ? json(*o) : json(); };
  json assessments = json::array();
  std::vector<Assessment> sorted = i.assessments;
  std::sort(sorted.begin(), sorted.end(),
            [](const Assessment& a, const Assessment& b) { return a.name < b.name; });
  for (const auto& a : sorted) assessments.push_back(describe(a));
  json spans = json::array();
  for (const auto& s : t.data.spans) {
    json events = json::array();
    for (const auto& e : s.events) {
      events.push_back(
          {{"name", e.name}, {"timestamp", e.timestamp}, {"attributes", to_json(e.attributes)}});
    }
    const std::string type = s.span_type();
    spans.push_back({{"span_id", s.span_id},
                     {"parent_id", opt(s.parent_id)},
                     {"name", s.name},
                     {"span_type", type.empty() ? json() : json(type)},
                     {"start_time_ns", s.start_time_ns},
                     {"end_time_ns", opt(s.end_time_ns)},
                     {"status_code", to_string(s.status.status_code)},
                     {"status_description", s.status.description},
                     {"inputs", to_json(s.inputs())},
                     {"outputs", to_json(s.outputs())},
                     {"attributes", to_json(s.attributes)},
                     {"events", events}});
  }
  return {{"trace_id", i.trace_id},
          {"experiment_id", i.experiment_id()},
          {"request_time", i.request_time},
          {"execution_duration", opt(i.execution_duration)},
          {"state", to_string(i.state)},
          {"request_preview", opt(i.request_preview)},
          {"response_preview", opt(i.response_preview)},
          {"client_request_id", opt(i.client_request_id)},
          {"tags", i.tags},
          {"metadata", i.trace_metadata},
          {"token_usage", to_json(i.token_usage())},
          {"cost", to_json(i.cost())},
          {"assessments", assessments},
          {"spans", spans}};
}

// What a C++ program traced: agent -> generate (LLM) -> lookup (TOOL, failed).
std::string write_cpp_trace(const SqliteStores& stores, const std::string& exp) {
  const std::string trace_id = "tr-" + internal::uuid4_hex();
  const std::int64_t t0 = 1718000000000LL * 1000000 + 123;
  SpanData root = testing::span_data(trace_id, "a1b2c3d4e5f60718", "agent", t0, t0 + 250000000,
                                     {SpanStatusCode::kOk, ""});
  root.attributes =
      JsonValue::object({{"mlflow.traceRequestId", trace_id},
                         {"mlflow.spanType", "AGENT"},
                         {"mlflow.spanInputs", {{"question", "Grüße, wie geht's? ✓"}}},
                         {"mlflow.spanOutputs", {{"answer", "gut"}, {"score", 0.25}}},
                         {"custom.list", {1, 2.5, "drei", nullptr, true}}});
  SpanData llm = testing::span_data(trace_id, "0000000000000abc", "generate", t0 + 1000,
                                    t0 + 200000000, {SpanStatusCode::kOk, ""});
  llm.parent_id = root.span_id;
  llm.attributes =
      JsonValue::object({{"mlflow.traceRequestId", trace_id},
                         {"mlflow.spanType", "LLM"},
                         {"mlflow.spanInputs", {{"prompt", "hi"}, {"temperature", 0.7}}},
                         {"mlflow.spanOutputs", "Hallo"},
                         {"mlflow.chat.tokenUsage",
                          {{"input_tokens", 12}, {"output_tokens", 30}, {"total_tokens", 42}}},
                         {"mlflow.llm.cost",
                          {{"input_cost", 0.0012}, {"output_cost", 0.006}, {"total_cost", 0.0072}}},
                         {"mlflow.llm.model", "tiny-llama"},
                         {"mlflow.llm.provider", "local"}});
  llm.events.push_back(
      SpanEvent{"token", t0 + 5000, JsonValue::object({{"index", 1}, {"text", "Grüße"}})});
  SpanData tool = testing::span_data(trace_id, "0000000000000def", "lookup", t0 + 2000, t0 + 3000,
                                     {SpanStatusCode::kError, "ValueError: not found"});
  tool.parent_id = llm.span_id;
  tool.attributes = JsonValue::object({{"mlflow.traceRequestId", trace_id},
                                       {"mlflow.spanType", "TOOL"},
                                       {"mlflow.spanInputs", {{"key", 42}}}});
  tool.events.push_back(SpanEvent{
      "exception", t0 + 2500,
      JsonValue::object({{"exception.type", "ValueError"}, {"exception.message", "not found"}})});
  stores.traces->log_spans(exp, {tool, llm, root});

  TraceInfo info;
  info.trace_id = trace_id;
  info.trace_location.experiment_id = exp;
  info.request_time = 1718000000000;
  info.execution_duration = 250;
  info.state = TraceState::kOk;
  info.request_preview = R"({"question": "Grüße, wie geht's? ✓"})";
  info.response_preview = R"({"answer": "gut", "score": 0.25})";
  info.client_request_id = "req-7";
  info.trace_metadata = {{"mlflow.trace_schema.version", "3"},
                         {"mlflow.trace.tokenUsage",
                          R"({"input_tokens": 12, "output_tokens": 30, "total_tokens": 42})"},
                         {"mlflow.trace.session", "cpp-session"},
                         {"mlflow.trace.user", "cpp-user"},
                         {"mlflow.source.type", "LOCAL"}};
  info.tags = {{"mlflow.traceName", "agent"}, {"env", "interop"}};
  stores.traces->start_trace(info);

  Feedback fb(JsonValue(true), "correct");
  fb.trace_id = trace_id;
  fb.rationale = "matches";
  fb.source = {AssessmentSourceType::kLlmJudge, std::string("judge-cpp")};
  fb.metadata = {{"model", "judge-1"}};
  fb.span_id = llm.span_id;
  stores.traces->create_assessment(fb);
  Expectation ex("expected", JsonValue({{"answer", {"gut", "sehr gut"}}}));
  ex.trace_id = trace_id;
  stores.traces->create_assessment(ex);
  Feedback failed(AssessmentError{"TIMEOUT", std::string("judge timed out"), std::nullopt},
                  "latency");
  failed.trace_id = trace_id;
  stores.traces->create_assessment(failed);
  return trace_id;
}

json run_python(const std::string& uri, const std::string& exp, const std::string& trace_id) {
  const std::string cmd =
      testing::python_peer_command("trace_interop.py",
                                   {uri, exp, trace_id, testing::unique_name("py-traces")}) +
      " 2>&1";
  const auto result = testing::run_command(cmd);
  EXPECT_EQ(result.exit_code, 0) << cmd << "\n" << result.output;
  const auto at = result.output.rfind("RESULT ");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no RESULT line from " << cmd << "\n" << result.output;
    return json::object();
  }
  return json::parse(result.output.substr(at + 7, result.output.find('\n', at) - at - 7));
}

// Line-by-line differences of two JSON documents, for readable failures.
void expect_same(const json& ours, const json& python, const std::string& what) {
  EXPECT_EQ(ours.dump(1), python.dump(1)) << what;
}

TEST(TraceInterop, EmbeddedFileBothWaysWithPython) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-interop");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  const SqliteStores stores = internal::make_sqlite_stores(uri);
  const std::string exp = stores.tracking->create_experiment(testing::unique_name("cpp-traces"),
                                                             dir + "/artifacts", {});
  const std::string trace_id = write_cpp_trace(stores, exp);

  const json py = run_python(uri, exp, trace_id);
  ASSERT_TRUE(py.contains("cpp")) << py.dump(1);
  // Python reads exactly what C++ reads back (and C++ reads what it wrote: the unit tests).
  const Trace ours = stores.traces->get_trace(trace_id, false);
  ASSERT_EQ(ours.data.spans.size(), 3u);
  expect_same(describe(ours), py["cpp"], "C++ trace as Python's get_trace reads it");
  ASSERT_EQ(py["cpp_search"].size(), 1u);
  expect_same(describe(ours), py["cpp_search"][0], "C++ trace as Python's search_traces reads it");
  json ours_assessments = describe(ours)["assessments"];
  expect_same(ours_assessments, py["cpp_assessments"], "assessments via get_assessment");
  EXPECT_EQ(py["cpp"]["token_usage"], json::parse(R"({"input_tokens": 12, "output_tokens": 30,
                                                    "total_tokens": 42})"));
  EXPECT_EQ(py["cpp"]["spans"][2]["status_code"], "ERROR");
  EXPECT_EQ(py["cpp"]["spans"][0]["inputs"]["question"], "Grüße, wie geht's? ✓");

  // The other way: what Python wrote through its own SQL store, read by the C++ store.
  const std::string py_trace = py["py"]["trace_id"];
  const json theirs = describe(stores.traces->get_trace(py_trace, false));
  expect_same(theirs, py["py"], "Python trace as the C++ store reads it");
  EXPECT_EQ(py["py"]["spans"].size(), 3u);
  const auto search =
      stores.traces->search_traces({py["py_experiment"].get<std::string>()},
                                   "feedback.relevance > 0.8 AND span.type = 'TOOL' "
                                   "AND metadata.`mlflow.trace.session` = 'py-s'",
                                   10, {}, "");
  ASSERT_EQ(search.items.size(), 1u);
  EXPECT_EQ(search.items[0].trace_id, py_trace);
}

std::string http(const std::string& method, const std::string& url, const std::string& body = "") {
  auto transport = internal::make_curl_transport({});
  internal::HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  if (!body.empty()) request.headers = {{"Content-Type", "application/json"}};
  const auto result = transport->send(request);
  EXPECT_TRUE(result.ok()) << url;
  if (!result.ok()) return "{}";
  EXPECT_EQ(result.response->status, 200) << url << "\n" << result.response->body;
  return result.response->body;
}

TEST(TraceInterop, RealServerServesTracesTheEmbeddedStoreWrote) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-served");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  std::string exp;
  std::string trace_id;
  {
    const SqliteStores stores = internal::make_sqlite_stores(uri);
    exp = stores.tracking->create_experiment("served-traces", dir + "/artifacts", {});
    trace_id = write_cpp_trace(stores, exp);
  }
  testing::ScopedServer server("", uri);
  ASSERT_TRUE(server.started()) << server.output() << "\n" << server.log();
  const std::string base = server.uri();

  const json got =
      json::parse(http("GET", base + "/api/3.0/mlflow/traces/get?trace_id=" + trace_id));
  ASSERT_TRUE(got.contains("trace")) << got.dump(1);
  EXPECT_EQ(got["trace"]["trace_info"]["trace_id"], trace_id);
  EXPECT_EQ(got["trace"]["trace_info"]["trace_metadata"]["mlflow.trace.tokenUsage"],
            R"({"input_tokens": 12, "output_tokens": 30, "total_tokens": 42})");
  std::vector<std::string> names;
  for (const auto& s : got["trace"]["spans"]) names.push_back(s["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"agent", "generate", "lookup"}));
  bool llm_typed = false;
  for (const auto& a : got["trace"]["spans"][1]["attributes"]) {
    if (a["key"] == "mlflow.spanType")
      llm_typed = a["value"].dump().find("LLM") != std::string::npos;
  }
  EXPECT_TRUE(llm_typed) << got["trace"]["spans"][1].dump(1);

  // What the trace page of the UI loads.
  const json artifact = json::parse(
      http("GET", base + "/ajax-api/3.0/mlflow/get-trace-artifact?request_id=" + trace_id));
  ASSERT_TRUE(artifact.contains("spans")) << artifact.dump(1);
  EXPECT_EQ(artifact["spans"].size(), 3u);

  const json search = json::parse(http(
      "POST", base + "/api/3.0/mlflow/traces/search",
      json{{"locations",
            {{{"type", "MLFLOW_EXPERIMENT"}, {"mlflow_experiment", {{"experiment_id", exp}}}}}},
           {"filter", "span.name = 'generate' AND feedback.correct = 'true'"}}
          .dump()));
  ASSERT_EQ(search["traces"].size(), 1u) << search.dump(1);
  EXPECT_EQ(search["traces"][0]["trace_id"], trace_id);
  EXPECT_EQ(search["traces"][0]["assessments"].size(), 3u);
}

// What a C++ program records through the fluent API: agent -> generate (LLM: usage, cost,
// model, an event) -> lookup (TOOL, failed), trace tags / session / user / client request id,
// then a feedback on the LLM span, an expectation and a feedback that is an error.
std::string record_cpp_trace_fluently() {
  std::string trace_id;
  std::string llm_span_id;
  {
    auto root = start_span("agent", SpanType::kAgent);
    trace_id = root.trace_id();
    root.set_inputs({{"question", "Grüße, wie geht's? ✓"}});
    root.set_attribute("custom.list", JsonValue{1, 2.5, "drei", nullptr, true});
    {
      auto llm = start_span("generate", SpanType::kLlm);
      llm_span_id = llm.span_id();
      llm.set_inputs({{"prompt", "hi"}, {"temperature", 0.7}});
      llm.set_token_usage({12, 30});
      llm.set_cost({0.0012, 0.006});
      llm.set_model("tiny-llama", "local");
      llm.add_event({"token", 0, {{"index", 1}, {"text", "Grüße"}}});
      try {
        trace("lookup", []() -> int { throw std::invalid_argument("not found"); },
              {SpanType::kTool, JsonValue{{"key", 42}}});
      } catch (const std::invalid_argument&) {
      }
      llm.set_outputs("Hallo");
    }
    root.set_outputs({{"answer", "gut"}, {"score", 0.25}});
    UpdateCurrentTraceOptions update;
    update.tags = {{"env", "interop"}};
    update.session_id = "cpp-session";
    update.user = "cpp-user";
    update.client_request_id = "req-7";
    update_current_trace(update);
  }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  LogFeedbackOptions correct;
  correct.name = "correct";
  correct.value = true;
  correct.rationale = "matches";
  correct.source = AssessmentSource{AssessmentSourceType::kLlmJudge, std::string("judge-cpp")};
  correct.metadata = {{"model", "judge-1"}};
  correct.span_id = llm_span_id;
  log_feedback(trace_id, correct);
  LogExpectationOptions expected;
  expected.name = "expected";
  expected.value = {{"answer", {"gut", "sehr gut"}}};
  log_expectation(trace_id, expected);
  LogFeedbackOptions latency;
  latency.name = "latency";
  latency.error = AssessmentError{"TIMEOUT", std::string("judge timed out"), std::nullopt};
  log_feedback(trace_id, latency);
  return trace_id;
}

// The parameter names the store: "server" (the real server) or "embedded" (a fresh file).
class TraceInteropFluent : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
  }
  void TearDown() override {
    set_tracking_uri("");
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
  }
};

TEST_P(TraceInteropFluent, BothWaysWithPython) {
  const std::string uri =
      GetParam() == "server"
          ? testing::server_uri()
          : "sqlite:///" + testing::make_temp_dir("mlflow-trace-fluent") + "/mlflow.db";
  set_tracking_uri(uri);
  const std::string exp = set_experiment(testing::unique_name("cpp-fluent")).experiment_id;
  const std::string trace_id = record_cpp_trace_fluently();
  MlflowClient client(uri);

  const json py = run_python(uri, exp, trace_id);
  ASSERT_TRUE(py.contains("cpp")) << py.dump(1);
  const json ours = describe(client.get_trace(trace_id));
  expect_same(ours, py["cpp"], "C++ trace as Python's get_trace reads it");
  ASSERT_EQ(py["cpp_search"].size(), 1u);
  expect_same(ours, py["cpp_search"][0], "C++ trace as Python's search_traces reads it");
  expect_same(ours["assessments"], py["cpp_assessments"], "assessments via get_assessment");
  // What Python saw, in its own words.
  EXPECT_EQ(py["cpp"]["token_usage"],
            json::parse(R"({"input_tokens": 12, "output_tokens": 30, "total_tokens": 42})"));
  ASSERT_EQ(py["cpp"]["spans"].size(), 3u);
  std::map<std::string, json> spans;
  for (const json& s : py["cpp"]["spans"]) spans[s["name"]] = s;
  EXPECT_EQ(spans["agent"]["span_type"], "AGENT");
  EXPECT_EQ(spans["agent"]["inputs"]["question"], "Grüße, wie geht's? ✓");
  EXPECT_EQ(spans["generate"]["parent_id"], spans["agent"]["span_id"]);
  EXPECT_EQ(spans["generate"]["attributes"]["mlflow.llm.cost"]["total_cost"], 0.0072);
  EXPECT_EQ(spans["generate"]["events"][0]["attributes"]["text"], "Grüße");
  EXPECT_EQ(spans["lookup"]["parent_id"], spans["generate"]["span_id"]);
  EXPECT_EQ(spans["lookup"]["status_code"], "ERROR");
  EXPECT_EQ(spans["lookup"]["status_description"], "std::invalid_argument: not found");
  EXPECT_LE(spans["agent"]["start_time_ns"], spans["generate"]["start_time_ns"]);
  EXPECT_GE(spans["agent"]["end_time_ns"], spans["generate"]["end_time_ns"]);
  EXPECT_EQ(py["cpp"]["client_request_id"], "req-7");
  EXPECT_EQ(py["cpp"]["metadata"]["mlflow.trace.session"], "cpp-session");
  EXPECT_EQ(py["cpp_assessments"].size(), 3u);

  // The other way: Python's fluent trace (with an override) read by C++ the same.
  const std::string py_trace = py["py"]["trace_id"];
  expect_same(describe(client.get_trace(py_trace)), py["py"], "Python trace as C++ reads it");
  EXPECT_EQ(py["py"]["spans"].size(), 3u);
  SearchTracesOptions search;
  search.experiment_ids = {py["py_experiment"].get<std::string>()};
  search.filter_string = "feedback.relevance > 0.8 AND span.type = 'TOOL'";
  const auto found = client.search_traces(search);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info.trace_id, py_trace);
}

INSTANTIATE_TEST_SUITE_P(Stores, TraceInteropFluent, ::testing::Values("server", "embedded"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mlflow
