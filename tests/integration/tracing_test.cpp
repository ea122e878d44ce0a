// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Tracing on the real MLflow 3.18 server and on an embedded SQLite file (every test runs on
// both, suffix /server and /embedded): recording and reading traces (span tree, attributes,
// token usage, status, timings), the current-span accessors, spans without context, tracing
// configuration (disable, destination), W3C traceparent, search (filters, order, paging, lazy
// range, errors), trace tags, delete_traces, assessments (feedback, expectation, error,
// log_assessment, update, override, delete, on a live trace), sessions, run / prompt /
// active-model links, the fluent logged-model functions, log_trace, add_trace; and, on the
// server only, the artifact fallback when the server refuses OTLP.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/clock.hpp"
#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"
#include "tracing/provider.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using testing::unique_name;

// The parameter names the store: "server" (the real server) or "embedded" (a fresh file).
class TracingStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
    uri_ = GetParam() == "server"
               ? testing::server_uri()
               : "sqlite:///" + testing::make_temp_dir("mlflow-tracing") + "/mlflow.db";
    set_tracking_uri(uri_);
    experiment_ = set_experiment(unique_name("tracing")).experiment_id;
  }
  void TearDown() override {
    EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
    while (active_run()) end_run();
    clear_active_model();
    set_tracking_uri("");
    internal::reset_fluent_state();
    internal::tracing::reset_for_tests();
  }
  Trace read(const std::string& trace_id) {
    EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
    return client().get_trace(trace_id);
  }
  MlflowClient client() { return MlflowClient(uri_); }

  std::string uri_;
  std::string experiment_;
};

INSTANTIATE_TEST_SUITE_P(Stores, TracingStoreTest, ::testing::Values("server", "embedded"),
                         [](const auto& info) { return info.param; });

// What only a server can do (refuse OTLP).
using TracingServerOnlyTest = TracingStoreTest;
INSTANTIATE_TEST_SUITE_P(Stores, TracingServerOnlyTest, ::testing::Values("server"),
                         [](const auto& info) { return info.param; });

const SpanData& span_named(const Trace& trace, const std::string& name) {
  for (const auto& s : trace.data.spans) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no span named " + name);
}

// Records answer -> {retrieve, llm}, with an error in a tool span, as an LLM service would.
std::string record_agent_trace(const std::string& question) {
  std::string trace_id;
  {
    auto root = start_span("answer", SpanType::kAgent);
    trace_id = root.trace_id();
    root.set_inputs({{"question", question}, {"top_k", 2}});
    trace("retrieve",
          [] {
            return JsonValue{"doc-1", "doc-2"};
          },
          {SpanType::kRetriever, JsonValue{{"query", question}}});
    {
      auto llm = start_span("llm", SpanType::kChatModel);
      llm.set_inputs({{"messages", {JsonValue{{"role", "user"}, {"content", question}}}}});
      llm.set_token_usage({21, 9});
      llm.set_model("sim-1", "local");
      llm.set_cost({0.0021, 0.0018});
      llm.add_event({"first_token", 0, {{"latency_ms", 12.5}}});
      llm.set_outputs({{"role", "assistant"}, {"content", "Paris \xc3\xa9"}});
    }
    try {
      trace("tool", []() -> int { throw std::invalid_argument("no such city"); },
            {SpanType::kTool});
    } catch (const std::invalid_argument&) {
    }
    root.set_outputs({{"answer", "Paris \xc3\xa9"}, {"confidence", 0.75}});
  }
  return trace_id;
}

TEST_P(TracingStoreTest, RecordedTraceReadsBackWithItsSpanTree) {
  const std::string trace_id = record_agent_trace("capital of France?");
  const Trace trace = read(trace_id);
  EXPECT_EQ(trace.info.trace_id, trace_id);
  EXPECT_EQ(trace.info.experiment_id(), experiment_);
  EXPECT_EQ(trace.info.state, TraceState::kOk);
  EXPECT_EQ(trace.info.tags.at("mlflow.traceName"), "answer");
  EXPECT_EQ(trace.info.tags.at("mlflow.trace.spansLocation"), "TRACKING_STORE");
  EXPECT_EQ(trace.info.token_usage().dump(),
            R"({"input_tokens": 21, "output_tokens": 9, "total_tokens": 30})");
  EXPECT_EQ(trace.info.request_preview, R"({"question": "capital of France?", "top_k": 2})");
  EXPECT_EQ(trace.info.response_preview, "{\"answer\": \"Paris \xc3\xa9\", \"confidence\": 0.75}");
  ASSERT_EQ(trace.data.spans.size(), 4u);
  const SpanData& root = span_named(trace, "answer");
  const SpanData& llm = span_named(trace, "llm");
  const SpanData& retrieve = span_named(trace, "retrieve");
  const SpanData& tool = span_named(trace, "tool");
  EXPECT_FALSE(root.parent_id);
  for (const auto* child : {&llm, &retrieve, &tool}) EXPECT_EQ(child->parent_id, root.span_id);
  EXPECT_EQ(root.span_type(), "AGENT");
  EXPECT_EQ(llm.span_type(), "CHAT_MODEL");
  EXPECT_EQ(llm.inputs().at("messages").at(0).at("content").as_string(), "capital of France?");
  EXPECT_EQ(llm.outputs().at("content").as_string(), "Paris \xc3\xa9");
  EXPECT_EQ(llm.get_attribute("mlflow.chat.tokenUsage")->dump(),
            R"({"input_tokens": 21, "output_tokens": 9, "total_tokens": 30})");
  EXPECT_EQ(llm.get_attribute("mlflow.llm.model")->as_string(), "sim-1");
  EXPECT_EQ(llm.get_attribute("mlflow.llm.cost")->at("input_cost").as_double(), 0.0021);
  ASSERT_EQ(llm.events.size(), 1u);
  EXPECT_EQ(llm.events[0].name, "first_token");
  EXPECT_EQ(llm.events[0].attributes.at("latency_ms").as_double(), 12.5);
  EXPECT_EQ(retrieve.outputs().dump(), R"(["doc-1", "doc-2"])");
  EXPECT_EQ(tool.status.status_code, SpanStatusCode::kError);
  EXPECT_EQ(tool.status.description, "std::invalid_argument: no such city");
  ASSERT_EQ(tool.events.size(), 1u);
  EXPECT_EQ(tool.events[0].attributes.at("exception.type").as_string(), "std::invalid_argument");
  EXPECT_EQ(root.status.status_code, SpanStatusCode::kOk);
  EXPECT_LE(root.start_time_ns, llm.start_time_ns);
  EXPECT_GE(*root.end_time_ns, *llm.end_time_ns);
  EXPECT_EQ(trace.info.request_time, root.start_time_ns / 1000000);
}

TEST_P(TracingStoreTest, SearchFiltersOrdersAndPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto span = start_span("step-" + std::to_string(i));
    ids.push_back(span.trace_id());
    UpdateCurrentTraceOptions u;
    u.tags = {{"parity", i % 2 == 0 ? "even" : "odd"}};
    update_current_trace(u);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));  // distinct timestamps
  }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  SearchTracesOptions options;
  options.experiment_ids = {experiment_};
  options.filter_string = "tags.parity = 'even'";
  options.order_by = {"timestamp_ms ASC"};
  auto even = client().search_traces(options);
  ASSERT_EQ(even.size(), 3u);
  EXPECT_EQ(even[0].info.trace_id, ids[0]);
  EXPECT_EQ(even[2].info.trace_id, ids[4]);
  EXPECT_FALSE(even[0].data.spans.empty());

  SearchTracesOptions paged;
  paged.experiment_ids = {experiment_};
  paged.max_results = 2;
  paged.include_spans = false;
  auto first = client().search_traces(paged);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(first.has_next_page());
  EXPECT_EQ(first[0].info.trace_id, ids[4]);  // newest first by default
  EXPECT_TRUE(first[0].data.spans.empty());
  std::vector<std::string> all;
  for (const Trace& t : client().search_traces_all(paged)) all.push_back(t.info.trace_id);
  EXPECT_EQ(all.size(), 5u);

  SearchTracesOptions by_name;
  by_name.experiment_ids = {experiment_};
  by_name.filter_string = "trace.name = 'step-3'";
  ASSERT_EQ(client().search_traces(by_name).size(), 1u);

  SearchTracesOptions bad;
  bad.experiment_ids = {experiment_};
  bad.filter_string = "nonsense ~~ 3";
  EXPECT_THROW(client().search_traces(bad), InvalidArgument);
  SearchTracesOptions both;
  both.experiment_ids = {experiment_};
  both.filter_string = "tags.a = 'b'";
  both.model_id = "m-1";
  EXPECT_THROW(client().search_traces(both), InvalidArgument);
  // Fluent: the active experiment, every match.
  EXPECT_EQ(search_traces().size(), 5u);
}

TEST_P(TracingStoreTest, TagsOnStoredAndLiveTraces) {
  std::string trace_id;
  {
    auto span = start_span("tagged");
    trace_id = span.trace_id();
    set_trace_tag(trace_id, "live", "yes");              // in memory, sent with the trace
    set_trace_tag(trace_id, "mlflow.user", "intruder");  // immutable: ignored
  }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  set_trace_tag(trace_id, "later", "1");
  auto info = client().get_trace(trace_id).info;
  EXPECT_EQ(info.tags.at("live"), "yes");
  EXPECT_EQ(info.tags.at("later"), "1");
  EXPECT_EQ(info.tags.count("mlflow.user"), 0u);
  delete_trace_tag(trace_id, "later");
  EXPECT_EQ(client().get_trace(trace_id).info.tags.count("later"), 0u);
  EXPECT_THROW(delete_trace_tag(trace_id, "never-set"), NotFound);
}

TEST_P(TracingStoreTest, DeleteTracesByIdsAndByTimestamp) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto span = start_span("doomed");
    ids.push_back(span.trace_id());
  }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  DeleteTracesOptions by_id;
  by_id.trace_ids = {ids[0]};
  EXPECT_EQ(delete_traces(experiment_, by_id), 1);
  EXPECT_THROW(client().get_trace(ids[0]), NotFound);
  EXPECT_FALSE(get_trace(ids[0], /*silent=*/true));  // fluent: None, as Python
  ASSERT_TRUE(get_trace(ids[1]));
  DeleteTracesOptions by_time;
  by_time.max_timestamp_millis = internal::now_millis() + 1000;
  by_time.max_traces = 1;
  EXPECT_EQ(delete_traces(experiment_, by_time), 1);
  DeleteTracesOptions neither;
  EXPECT_THROW(delete_traces(experiment_, neither), InvalidArgument);
  DeleteTracesOptions both;
  both.trace_ids = {ids[1]};
  both.max_timestamp_millis = 1;
  EXPECT_THROW(delete_traces(experiment_, both), InvalidArgument);
  DeleteTracesOptions zero;
  zero.max_timestamp_millis = 1;
  zero.max_traces = 0;
  EXPECT_THROW(delete_traces(experiment_, zero), InvalidArgument);
}

TEST_P(TracingStoreTest, AssessmentsLifecycle) {
  const std::string trace_id = record_agent_trace("q");
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  LogFeedbackOptions fb;
  fb.name = "relevance";
  fb.value = 4;
  fb.source = AssessmentSource{AssessmentSourceType::kLlmJudge, std::string("judge-1")};
  fb.rationale = "mostly on topic";
  fb.metadata = {{"model", "judge"}};
  const Assessment feedback = log_feedback(trace_id, fb);
  ASSERT_TRUE(feedback.assessment_id);
  EXPECT_THAT(*feedback.assessment_id, ::testing::StartsWith("a-"));
  LogFeedbackOptions failed;
  failed.name = "toxicity";
  failed.error = AssessmentError{"TIMEOUT", std::string("judge timed out"), std::nullopt};
  const Assessment error = log_feedback(trace_id, failed);
  LogExpectationOptions ex;
  ex.name = "expected_answer";
  ex.value = {{"city", "Paris"}, {"aliases", {"Paname"}}};
  const Assessment expectation = log_expectation(trace_id, ex);
  Expectation generic("ground_truth", JsonValue("Paris"));
  generic.source = AssessmentSource{AssessmentSourceType::kCode, std::string("checker.cpp")};
  const Assessment logged = log_assessment(trace_id, generic);
  EXPECT_EQ(get_assessment(trace_id, *logged.assessment_id).value, JsonValue("Paris"));
  EXPECT_EQ(get_assessment(trace_id, *logged.assessment_id).source.source_id, "checker.cpp");

  const Assessment got = get_assessment(trace_id, *feedback.assessment_id);
  EXPECT_EQ(got.name, "relevance");
  EXPECT_EQ(got.value, JsonValue(4));
  EXPECT_EQ(got.source.source_type, AssessmentSourceType::kLlmJudge);
  EXPECT_EQ(got.source.source_id, "judge-1");
  EXPECT_EQ(got.rationale, "mostly on topic");
  EXPECT_EQ(got.metadata.at("model"), "judge");
  const Assessment got_error = get_assessment(trace_id, *error.assessment_id);
  ASSERT_TRUE(got_error.error);
  EXPECT_EQ(got_error.error->error_code, "TIMEOUT");
  const Assessment got_expectation = get_assessment(trace_id, *expectation.assessment_id);
  EXPECT_TRUE(got_expectation.is_expectation());
  EXPECT_EQ(got_expectation.value, ex.value);
  EXPECT_EQ(got_expectation.source.source_type, AssessmentSourceType::kHuman);

  Feedback changed(JsonValue(5), "relevance");
  changed.rationale = "on topic after all";
  EXPECT_EQ(update_assessment(trace_id, *feedback.assessment_id, changed).value, JsonValue(5));

  OverrideFeedbackOptions o;
  o.value = 2;
  o.rationale = "human says otherwise";
  o.source = AssessmentSource{AssessmentSourceType::kHuman, std::string("bob")};
  const Assessment replacement = override_feedback(trace_id, *feedback.assessment_id, o);
  EXPECT_EQ(replacement.overrides, feedback.assessment_id);
  EXPECT_EQ(get_assessment(trace_id, *feedback.assessment_id).valid, false);
  EXPECT_THROW(override_feedback(trace_id, *expectation.assessment_id, o), InvalidArgument);

  const Trace trace = client().get_trace(trace_id);
  EXPECT_EQ(trace.info.assessments.size(), 5u);
  delete_assessment(trace_id, *replacement.assessment_id);
  EXPECT_THROW(get_assessment(trace_id, *replacement.assessment_id), NotFound);
  EXPECT_EQ(get_assessment(trace_id, *feedback.assessment_id).valid, true);  // restored
}

TEST_P(TracingStoreTest, AssessmentOnALiveTraceTravelsWithIt) {
  std::string trace_id;
  {
    auto span = start_span("judged");
    trace_id = span.trace_id();
    LogFeedbackOptions fb;
    fb.value = "good";
    log_feedback(trace_id, fb);
  }
  const Trace trace = read(trace_id);
  ASSERT_EQ(trace.info.assessments.size(), 1u);
  EXPECT_EQ(trace.info.assessments[0].name, "feedback");
  EXPECT_EQ(trace.info.assessments[0].value, JsonValue("good"));
  EXPECT_EQ(trace.info.assessments[0].source.source_type, AssessmentSourceType::kCode);
}

TEST_P(TracingStoreTest, SessionsGroupTracesBySessionId) {
  for (const char* session : {"s-a", "s-b", "s-a"}) {
    auto span = start_span("turn");
    UpdateCurrentTraceOptions u;
    u.session_id = session;
    u.user = "user-7";
    update_current_trace(u);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  { auto loner = start_span("no session"); }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  const auto sessions = search_sessions();
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, "s-a");  // newest trace first
  EXPECT_EQ(sessions[0].traces.size(), 2u);
  EXPECT_LE(sessions[0].traces[0].info.request_time, sessions[0].traces[1].info.request_time);
  EXPECT_EQ(sessions[1].id, "s-b");
  EXPECT_EQ(sessions[0].traces[0].info.trace_metadata.at("mlflow.trace.user"), "user-7");
}

TEST_P(TracingStoreTest, TracesLinkToTheActiveRunModelAndLoadedPrompts) {
  const std::string prompt_name = unique_name("greeting");
  register_prompt(prompt_name, "Hello {{name}}!");
  const LoggedModel model = set_active_model(unique_name("app"));
  EXPECT_EQ(get_active_model_id(), model.model_id);
  std::string trace_id;
  std::string run_id;
  {
    auto run = start_run();
    run_id = run.run().info.run_id;
    auto span = start_span("chat", SpanType::kChain);
    trace_id = span.trace_id();
    const auto prompt = load_prompt("prompts:/" + prompt_name + "/1");
    ASSERT_TRUE(prompt);
    span.set_outputs(prompt->format_as_text({{"name", "Ada"}}));
  }
  const Trace trace = read(trace_id);
  EXPECT_EQ(trace.info.trace_metadata.at("mlflow.sourceRun"), run_id);
  EXPECT_EQ(trace.info.trace_metadata.at("mlflow.modelId"), model.model_id);
  EXPECT_EQ(trace.info.tags.at("mlflow.linkedPrompts"),
            R"([{"name": ")" + prompt_name + R"(", "version": "1"}])");
  SearchTracesOptions by_run;
  by_run.experiment_ids = {experiment_};
  by_run.run_id = run_id;
  ASSERT_EQ(client().search_traces(by_run).size(), 1u);
  SearchTracesOptions by_model;
  by_model.experiment_ids = {experiment_};
  by_model.model_id = model.model_id;
  ASSERT_EQ(client().search_traces(by_model).size(), 1u);
  EXPECT_EQ(model.tags.at("mlflow.model.isExternal"), "true");
  EXPECT_EQ(last_logged_model()->model_id, model.model_id);
  clear_active_model();
  EXPECT_FALSE(get_active_model_id());
}

TEST_P(TracingStoreTest, LogTraceAndAddTrace) {
  LogTraceOptions lt;
  lt.name = "imported";
  lt.request = "question";
  lt.response = "answer";
  lt.start_time_ms = 1700000000000;
  lt.execution_time_ms = 1500;
  const std::string logged = log_trace(lt);
  const Trace one = read(logged);
  ASSERT_EQ(one.data.spans.size(), 1u);
  EXPECT_EQ(one.info.request_time, 1700000000000);
  EXPECT_EQ(one.info.execution_duration, 1500);
  EXPECT_EQ(one.data.spans[0].inputs(), JsonValue("question"));

  const Trace remote = read(record_agent_trace("remote"));
  std::string merged_id;
  {
    auto local = start_span("local");
    merged_id = local.trace_id();
    add_trace(remote);
  }
  const Trace merged = read(merged_id);
  ASSERT_EQ(merged.data.spans.size(), 5u);
  EXPECT_EQ(span_named(merged, "answer").parent_id, span_named(merged, "local").span_id);
  EXPECT_EQ(span_named(merged, "llm").parent_id, span_named(merged, "answer").span_id);
}

TEST_P(TracingStoreTest, CurrentSpanAccessorsSpansWithoutContextAndTraceparent) {
  EXPECT_FALSE(get_current_active_span());
  EXPECT_FALSE(get_active_trace_id());
  std::string trace_id;
  {
    auto root = start_span("root", SpanType::kChain);
    trace_id = root.trace_id();
    ASSERT_TRUE(get_current_active_span());
    EXPECT_EQ(get_current_active_span()->span_id(), root.span_id());
    EXPECT_EQ(get_active_trace_id(), trace_id);
    UpdateCurrentTraceOptions u;
    u.client_request_id = "req-42";
    u.request_preview = "custom request";
    u.response_preview = "custom response";
    u.metadata = {{"deploy", "blue"}};
    update_current_trace(u);
    // Work handed to another thread, with an explicit parent; it is never the current span.
    StartSpanNoContextOptions nc;
    nc.parent_span = root;
    nc.span_type = SpanType::kTool;
    nc.inputs = JsonValue{{"job", 1}};
    LiveSpan worker = start_span_no_context("worker", nc);
    std::thread([&worker] {
      worker.set_outputs("done");
      worker.end();
    }).join();
    EXPECT_EQ(get_current_active_span()->span_id(), root.span_id());
    // A "service" (another thread) continues this trace from the traceparent header.
    const auto headers = get_tracing_context_headers_for_http_request();
    ASSERT_EQ(headers.count("traceparent"), 1u);
    std::string service_trace_id;
    std::thread([&headers, &service_trace_id] {
      auto context = set_tracing_context_from_http_request_headers(headers);
      auto service = start_span("service", SpanType::kAgent);
      service_trace_id = service.trace_id();
    }).join();
    EXPECT_EQ(service_trace_id, trace_id);
  }
  EXPECT_FALSE(get_current_active_span());
  EXPECT_EQ(get_last_active_trace_id(), trace_id);
  const Trace trace = read(trace_id);
  EXPECT_EQ(trace.info.client_request_id, "req-42");
  EXPECT_EQ(trace.info.request_preview, "custom request");
  EXPECT_EQ(trace.info.response_preview, "custom response");
  EXPECT_EQ(trace.info.trace_metadata.at("deploy"), "blue");
  ASSERT_EQ(trace.data.spans.size(), 3u);
  const std::string root_id = span_named(trace, "root").span_id;
  EXPECT_EQ(span_named(trace, "worker").parent_id, root_id);
  EXPECT_EQ(span_named(trace, "worker").span_type(), "TOOL");
  EXPECT_EQ(span_named(trace, "worker").outputs(), JsonValue("done"));
  EXPECT_EQ(span_named(trace, "service").parent_id, root_id);
  EXPECT_THROW(set_tracing_context_from_http_request_headers({{"x", "y"}}), InvalidArgument);
}

TEST_P(TracingStoreTest, DisabledTracingStoresNothingAndDestinationRedirects) {
  tracing::disable();
  EXPECT_FALSE(tracing::is_enabled());
  {
    auto off = start_span("off");
    EXPECT_FALSE(off.is_recording());
  }
  tracing::enable();
  const std::string other = client().create_experiment(unique_name("destination"));
  tracing::set_destination(other);
  std::string redirected;
  {
    auto span = start_span("redirected");
    redirected = span.trace_id();
  }
  tracing::set_destination(std::nullopt);
  { auto span = start_span("here"); }
  EXPECT_EQ(read(redirected).info.experiment_id(), other);
  const auto here = search_traces();
  ASSERT_EQ(here.size(), 1u);  // "off" was never recorded
  EXPECT_EQ(here[0].info.tags.at("mlflow.traceName"), "here");
}

TEST_P(TracingStoreTest, AppVersionsWithTheFluentLoggedModelFunctions) {
  EXPECT_THROW(set_active_model(), InvalidArgument);
  CreateLoggedModelOptions options;
  options.name = "agent-v1";
  options.model_type = "agent";
  const LoggedModel external = create_external_model(options);
  EXPECT_EQ(external.tags.at("mlflow.model.isExternal"), "true");
  EXPECT_EQ(external.status, LoggedModelStatus::kReady);
  EXPECT_EQ(last_logged_model()->model_id, external.model_id);
  EXPECT_EQ(set_active_model(std::nullopt, external.model_id).model_id, external.model_id);
  EXPECT_THROW(set_active_model(std::string("other-name"), external.model_id), InvalidArgument);
  // By name: the existing model, not a new one.
  EXPECT_EQ(set_active_model(std::string("agent-v1")).model_id, external.model_id);
  EXPECT_EQ(get_active_model_id(), external.model_id);

  log_model_params({{"temperature", "0.2"}});  // on the active model
  set_logged_model_tags(external.model_id, {{"stage", "canary"}, {"owner", "ml"}});
  delete_logged_model_tag(external.model_id, "owner");
  const LoggedModel got = get_logged_model(external.model_id);
  EXPECT_EQ(got.params.at("temperature"), "0.2");
  EXPECT_EQ(got.tags.at("stage"), "canary");
  EXPECT_EQ(got.tags.count("owner"), 0u);
  SearchLoggedModelsOptions search;
  search.filter_string = "params.temperature = '0.2'";
  const auto found = search_logged_models(search);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].model_id, external.model_id);

  log_outputs({{external.model_id, 3}});  // starts a run, as Python
  ASSERT_TRUE(active_run());
  const mlflow::Run run = client().get_run(active_run()->info.run_id);
  ASSERT_EQ(run.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(run.outputs.model_outputs[0].model_id, external.model_id);
  EXPECT_EQ(run.outputs.model_outputs[0].step, 3);

  clear_active_model();
  EXPECT_FALSE(get_active_model_id());
  EXPECT_THROW(log_model_params({{"a", "b"}}), InvalidArgument);
}

TEST_P(TracingServerOnlyTest, ServerRefusingOtlpGetsTracesJsonArtifact) {
  testing::FaultProxy proxy(testing::server_uri());
  proxy.script("/v1/traces",
               testing::FaultAction::respond(
                   501, R"({"detail": "REST OTLP span logging is not supported by FileStore"})",
                   {{"Content-Type", "application/json"}}),
               100);
  set_tracking_uri(proxy.url());
  const std::string trace_id = record_agent_trace("via artifacts");
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(60)));
  EXPECT_GE(proxy.count("/v1/traces"), 1);
  // The server got the trace record and the span data as traces.json.
  const Trace trace = MlflowClient(proxy.url()).get_trace(trace_id);
  EXPECT_EQ(trace.data.spans.size(), 4u);
  EXPECT_EQ(
      span_named(trace, "llm").get_attribute("mlflow.chat.tokenUsage")->at("total_tokens").as_int(),
      30);
  bool uploaded = false;
  for (const auto& r : proxy.requests()) {
    if (r.method == "PUT" && r.path.find("/traces.json") != std::string::npos) uploaded = true;
  }
  EXPECT_TRUE(uploaded);
}

}  // namespace
}  // namespace mlflow
