// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The span engine without a server: spans and context, what a finished trace carries (as
// Python's processor fills it), exceptions, sampling, distributed context, and the exporter's
// queue, holding through failures and flush deadlines, against a recording TraceStore.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/trace_preview.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/governance_llm_pricing.hpp"
#include "mlflow/trace_export.hpp"
#include "mlflow/tracing.hpp"
#include "tracing/exporter.hpp"
#include "tracing/finalize.hpp"
#include "tracing/provider.hpp"

namespace {

using mlflow::JsonValue;
using mlflow::SpanAttributeKey;
using mlflow::SpanData;
using mlflow::TraceInfo;
namespace tr = mlflow::internal::tracing;

// Records what the exporter sends; fails the first `failures` calls transiently.
class RecordingStore : public mlflow::internal::TraceStore {
 public:
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, std::vector<SpanData>>> span_batches;
  std::vector<TraceInfo> infos;
  std::vector<std::string> calls;
  int failures = 0;
  bool block = false;
  /// Traces whose StartTraceV3 waits until they are taken out of here.
  std::set<std::string> held_start_traces;

  TraceInfo start_trace(const TraceInfo& info) override {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return !block && held_start_traces.count(info.trace_id) == 0; });
    calls.push_back("start_trace");
    infos.push_back(info);
    TraceInfo stored = info;
    stored.tags[mlflow::TraceTagKey::kSpansLocation] = "TRACKING_STORE";
    changed.notify_all();
    return stored;
  }
  void log_spans(const std::string& experiment_id, const std::vector<SpanData>& spans) override {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return !block; });
    if (failures > 0) {
      --failures;
      calls.push_back("log_spans failed");
      throw mlflow::MlflowException(mlflow::ErrorCode::kTemporarilyUnavailable, "server down");
    }
    calls.push_back("log_spans");
    span_batches.emplace_back(experiment_id, spans);
    changed.notify_all();
  }
  void upload_trace_data(const TraceInfo&, const std::vector<SpanData>&) override {}
  TraceInfo get_trace_info(const std::string&) override { return {}; }
  mlflow::Trace get_trace(const std::string&, bool) override { return {}; }
  std::vector<mlflow::Trace> batch_get_traces(const std::vector<std::string>&) override {
    return {};
  }
  mlflow::PagedList<TraceInfo> search_traces(const std::vector<std::string>&, const std::string&,
                                             int, const std::vector<std::string>&,
                                             const std::string&) override {
    return {};
  }
  void set_trace_tag(const std::string&, const std::string&, const std::string&) override {}
  void delete_trace_tag(const std::string&, const std::string&) override {}
  int delete_traces(const std::string&, std::optional<std::int64_t>, std::optional<int>,
                    const std::vector<std::string>&) override {
    return 0;
  }
  void link_traces_to_run(const std::vector<std::string>&, const std::string&) override {}
  void link_prompts_to_trace(const std::string&,
                             const std::vector<mlflow::internal::PromptVersionRef>&) override {
    calls.push_back("link_prompts");
  }
  mlflow::Assessment create_assessment(const mlflow::Assessment& a) override { return a; }
  mlflow::Assessment get_assessment(const std::string&, const std::string&) override { return {}; }
  mlflow::Assessment update_assessment(const std::string&, const std::string&,
                                       const mlflow::internal::AssessmentUpdate&) override {
    return {};
  }
  void delete_assessment(const std::string&, const std::string&) override {}

  std::vector<SpanData> all_spans() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<SpanData> out;
    for (const auto& [exp, spans] : span_batches) out.insert(out.end(), spans.begin(), spans.end());
    return out;
  }
};

class TracingSpans : public ::testing::Test {
 protected:
  void SetUp() override {
    tr::reset_for_tests();
    tr::set_destination("7");
    store = std::make_shared<RecordingStore>();
    mlflow::TraceExportOptions options;
    options.max_workers = 1;
    options.retry_timeout = std::chrono::seconds(30);
    exporter = std::make_shared<tr::TraceExporter>(store, options, "recording store");
    tr::set_exporter_for_tests(exporter);
  }
  void TearDown() override {
    tr::set_exporter_for_tests(nullptr);
    exporter->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    tr::reset_for_tests();
  }
  void drain() { ASSERT_EQ(exporter->wait_until_drained(std::nullopt), 0u); }

  std::shared_ptr<RecordingStore> store;
  std::shared_ptr<tr::TraceExporter> exporter;
};

const SpanData& span_named(const std::vector<SpanData>& spans, const std::string& name) {
  for (const auto& s : spans) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no span " + name);
}

TEST_F(TracingSpans, NestedSpansFormOneTraceExportedSpansFirst) {
  std::string trace_id;
  {
    auto root = mlflow::start_span("answer", mlflow::SpanType::kChain);
    root.set_inputs({{"question", "why?"}});
    trace_id = root.trace_id();
    ASSERT_EQ(mlflow::get_active_trace_id(), trace_id);
    {
      auto llm = mlflow::start_span("llm", mlflow::SpanType::kLlm);
      llm.set_inputs({{"messages", {JsonValue{{"role", "user"}, {"content", "why?"}}}}});
      llm.set_token_usage({10, 4});
      llm.set_model("gpt-test", "openai");
      llm.set_outputs("because");
      EXPECT_EQ(mlflow::get_current_active_span()->span_id(), llm.span_id());
    }
    EXPECT_EQ(mlflow::get_current_active_span()->span_id(), root.span_id());
    root.set_outputs({{"answer", "because"}});
  }
  EXPECT_FALSE(mlflow::get_current_active_span().has_value());
  EXPECT_EQ(mlflow::get_last_active_trace_id(), trace_id);
  drain();
  ASSERT_EQ(store->calls.size(), 2u);
  EXPECT_EQ(store->calls[0], "log_spans");
  EXPECT_EQ(store->calls[1], "start_trace");
  const auto spans = store->all_spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(store->span_batches[0].first, "7");
  const SpanData& root = span_named(spans, "answer");
  const SpanData& llm = span_named(spans, "llm");
  EXPECT_FALSE(root.parent_id.has_value());
  EXPECT_EQ(llm.parent_id, root.span_id);
  EXPECT_EQ(llm.trace_id, trace_id);
  EXPECT_EQ(root.span_type(), "CHAIN");
  EXPECT_EQ(llm.span_type(), "LLM");
  EXPECT_EQ(llm.status.status_code, mlflow::SpanStatusCode::kOk);
  // Python's attribute order: request id, type, inputs, ..., outputs, log level.
  const auto& attrs = llm.attributes.as_object();
  EXPECT_EQ(attrs.front().first, SpanAttributeKey::kRequestId);
  EXPECT_EQ(attrs[1].first, SpanAttributeKey::kSpanType);
  EXPECT_EQ(attrs.back().first, SpanAttributeKey::kLogLevel);
  EXPECT_EQ(llm.get_attribute(SpanAttributeKey::kLogLevel)->as_int(), 20);   // INFO for LLM
  EXPECT_EQ(root.get_attribute(SpanAttributeKey::kLogLevel)->as_int(), 10);  // DEBUG for CHAIN
  EXPECT_EQ(llm.get_attribute(SpanAttributeKey::kChatUsage)->dump(),
            R"({"input_tokens": 10, "output_tokens": 4, "total_tokens": 14})");
  EXPECT_EQ(llm.get_attribute(SpanAttributeKey::kModel)->as_string(), "gpt-test");
  EXPECT_EQ(llm.get_attribute(SpanAttributeKey::kModelProvider)->as_string(), "openai");
  ASSERT_TRUE(llm.end_time_ns.has_value());
  EXPECT_GE(*root.end_time_ns, *llm.end_time_ns);

  ASSERT_EQ(store->infos.size(), 1u);
  const TraceInfo& info = store->infos[0];
  EXPECT_EQ(info.trace_id, trace_id);
  EXPECT_EQ(info.experiment_id(), "7");
  EXPECT_EQ(info.state, mlflow::TraceState::kOk);
  EXPECT_EQ(info.request_time, root.start_time_ns / 1000000);
  EXPECT_EQ(info.execution_duration, (*root.end_time_ns - root.start_time_ns) / 1000000);
  EXPECT_EQ(info.tags.at("mlflow.traceName"), "answer");
  EXPECT_EQ(info.trace_metadata.at("mlflow.trace_schema.version"), "3");
  EXPECT_EQ(info.trace_metadata.at("mlflow.traceInputs"), R"({"question": "why?"})");
  EXPECT_EQ(info.trace_metadata.at("mlflow.traceOutputs"), R"({"answer": "because"})");
  EXPECT_EQ(info.trace_metadata.at("mlflow.trace.tokenUsage"),
            R"({"input_tokens": 10, "output_tokens": 4, "total_tokens": 14})");
  EXPECT_EQ(info.request_preview, R"({"question": "why?"})");
  EXPECT_EQ(info.response_preview, R"({"answer": "because"})");
  EXPECT_EQ(info.trace_metadata.at("mlflow.source.type"), "LOCAL");
  EXPECT_NE(info.trace_metadata.count("mlflow.trace.sizeStats"), 0u);
}

TEST_F(TracingSpans, ExceptionsRecordAnEventAndErrorStatus) {
  EXPECT_THROW(mlflow::trace("failing", []() -> int { throw std::out_of_range("index 7"); }),
               std::out_of_range);
  try {
    auto span = mlflow::start_span("scope");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  drain();
  const auto spans = store->all_spans();
  const SpanData& failing = span_named(spans, "failing");
  EXPECT_EQ(failing.status.status_code, mlflow::SpanStatusCode::kError);
  EXPECT_EQ(failing.status.description, "std::out_of_range: index 7");
  ASSERT_EQ(failing.events.size(), 1u);
  EXPECT_EQ(failing.events[0].name, "exception");
  EXPECT_EQ(failing.events[0].attributes.at("exception.type").as_string(), "std::out_of_range");
  EXPECT_EQ(failing.events[0].attributes.at("exception.message").as_string(), "index 7");
  EXPECT_EQ(failing.get_attribute(SpanAttributeKey::kLogLevel)->as_int(), 40);
  const SpanData& scope = span_named(spans, "scope");
  EXPECT_EQ(scope.status.status_code, mlflow::SpanStatusCode::kError);
  ASSERT_EQ(scope.events.size(), 1u);
  EXPECT_EQ(scope.events[0].name, "exception");
  ASSERT_EQ(store->infos.size(), 2u);
  for (const auto& info : store->infos) EXPECT_EQ(info.state, mlflow::TraceState::kError);
}

// record_exception(std::exception_ptr): what a `catch (...)` has (mlflow::trace uses it for
// exceptions that are not std::exception).
TEST_F(TracingSpans, RecordExceptionTakesACaughtExceptionOfAnyType) {
  {
    auto span = mlflow::start_span("standard");
    span.record_exception(std::make_exception_ptr(std::invalid_argument("bad")));
  }
  {
    auto span = mlflow::start_span("other");
    span.record_exception(std::make_exception_ptr(42));
  }
  {
    auto span = mlflow::start_span("none");
    span.record_exception(std::exception_ptr());
  }
  EXPECT_THROW(mlflow::trace("thrown", [] { throw 7; }), int);
  drain();
  const auto spans = store->all_spans();
  EXPECT_EQ(span_named(spans, "standard").status.description, "std::invalid_argument: bad");
  const std::string unknown = "unknown: an exception that is not a std::exception";
  for (const char* name : {"other", "thrown"}) {
    const SpanData& span = span_named(spans, name);
    EXPECT_EQ(span.status.status_code, mlflow::SpanStatusCode::kError) << name;
    EXPECT_EQ(span.status.description, unknown) << name;
    ASSERT_EQ(span.events.size(), 1u) << name;
    EXPECT_EQ(span.events[0].attributes.at("exception.type").as_string(), "unknown") << name;
  }
  EXPECT_TRUE(span_named(spans, "none").events.empty());
  EXPECT_NE(span_named(spans, "none").status.status_code, mlflow::SpanStatusCode::kError);
}

TEST_F(TracingSpans, TraceReturnsTheValueAndRecordsItAsOutputs) {
  const int result = mlflow::trace("add", [] { return 42; },
                                   {mlflow::SpanType::kTool, JsonValue{{"a", 40}, {"b", 2}}});
  EXPECT_EQ(result, 42);
  const std::string text = mlflow::trace("with span", [](mlflow::LiveSpan& span) {
    span.set_attribute("k", {1, 2});
    return std::string("done");
  });
  EXPECT_EQ(text, "done");
  drain();
  const auto spans = store->all_spans();
  const SpanData& add = span_named(spans, "add");
  EXPECT_EQ(add.inputs().dump(), R"({"a": 40, "b": 2})");
  EXPECT_EQ(add.outputs().as_int(), 42);
  EXPECT_EQ(add.span_type(), "TOOL");
  EXPECT_EQ(span_named(spans, "with span").get_attribute("k")->dump(), "[1, 2]");
}

TEST_F(TracingSpans, DisabledTracingHandsOutInertSpans) {
  mlflow::tracing::disable();
  {
    auto span = mlflow::start_span("off");
    EXPECT_FALSE(span.is_recording());
    span.set_inputs({1, 2});  // accepted, ignored
    EXPECT_EQ(span.trace_id(), "");
    EXPECT_FALSE(mlflow::get_current_active_span().has_value());
  }
  mlflow::tracing::enable();
  drain();
  EXPECT_TRUE(store->calls.empty());
}

TEST(TracingSampling, RatioBoundsTheLowerBitsOfTheTraceId) {
  EXPECT_TRUE(tr::sampled(0, 1.0));
  EXPECT_FALSE(tr::sampled(0, 0.0));
  EXPECT_TRUE(tr::sampled(0x7fffffffffffffffULL, 0.5));
  EXPECT_FALSE(tr::sampled(0x8000000000000000ULL, 0.5));
}

mlflow::internal::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(TracingConfiguration, SamplingRatioFromTheEnvironmentAsPython) {
  EXPECT_EQ(tr::sampling_ratio_from(env_of({})), 1.0);
  EXPECT_EQ(tr::sampling_ratio_from(env_of({{"MLFLOW_TRACE_SAMPLING_RATIO", "0.25"}})), 0.25);
  EXPECT_EQ(tr::sampling_ratio_from(env_of({{"MLFLOW_TRACE_SAMPLING_RATIO", "0"}})), 0.0);
  // Out of [0, 1] or not a number: Python's warning and the default.
  EXPECT_EQ(tr::sampling_ratio_from(env_of({{"MLFLOW_TRACE_SAMPLING_RATIO", "1.5"}})), 1.0);
  EXPECT_EQ(tr::sampling_ratio_from(env_of({{"MLFLOW_TRACE_SAMPLING_RATIO", "-0.1"}})), 1.0);
  EXPECT_EQ(tr::sampling_ratio_from(env_of({{"MLFLOW_TRACE_SAMPLING_RATIO", "half"}})), 1.0);
}

TEST(TracingConfiguration, ExportOptionsFromPythonsEnvironmentVariables) {
  const mlflow::TraceExportOptions defaults;
  const mlflow::TraceExportOptions unset = tr::export_options_from(env_of({}));
  EXPECT_TRUE(unset.asynchronous);
  EXPECT_EQ(unset.max_workers, defaults.max_workers);
  const mlflow::TraceExportOptions set =
      tr::export_options_from(env_of({{"MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "False"},
                                      {"MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS", "2"},
                                      {"MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE", "50"},
                                      {"MLFLOW_ASYNC_TRACE_LOGGING_RETRY_TIMEOUT", "7"}}));
  EXPECT_FALSE(set.asynchronous);
  EXPECT_EQ(set.max_workers, 2);
  EXPECT_EQ(set.max_queue_traces, 50u);
  EXPECT_EQ(set.retry_timeout, std::chrono::seconds(7));
  // A malformed value: every option keeps its default (the warning says so).
  const mlflow::TraceExportOptions bad =
      tr::export_options_from(env_of({{"MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false"},
                                      {"MLFLOW_ASYNC_TRACE_LOGGING_MAX_WORKERS", "many"}}));
  EXPECT_TRUE(bad.asynchronous);
  EXPECT_EQ(bad.max_workers, defaults.max_workers);
}

TEST_F(TracingSpans, NoContextSpansTakeAnExplicitParentFromAnotherThread) {
  auto root = mlflow::start_span_no_context("root", {});
  ASSERT_TRUE(root.is_recording());
  EXPECT_FALSE(mlflow::get_current_active_span().has_value());  // not made current
  std::thread worker([&] {
    mlflow::StartSpanNoContextOptions child_options;
    child_options.parent_span = root;
    child_options.span_type = mlflow::SpanType::kRetriever;
    auto child = mlflow::start_span_no_context("retrieve", child_options);
    child.set_outputs({"doc1", "doc2"});
    child.end();
  });
  worker.join();
  root.end();
  drain();
  const auto spans = store->all_spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(span_named(spans, "retrieve").parent_id, root.span_id());
  EXPECT_EQ(store->infos.size(), 1u);
}

TEST_F(TracingSpans, RootWaitsForSpansStillOpenOnOtherThreads) {
  mlflow::LiveSpan late;
  {
    auto root = mlflow::start_span("root");
    mlflow::StartSpanNoContextOptions o;
    o.parent_span = *mlflow::get_current_active_span();
    late = mlflow::start_span_no_context("background", o);
  }
  drain();
  EXPECT_TRUE(store->calls.empty());  // deferred like Python's exporter
  late.end();
  drain();
  EXPECT_EQ(store->all_spans().size(), 2u);
  EXPECT_EQ(store->infos.size(), 1u);
}

TEST_F(TracingSpans, UpdateCurrentTraceSetsTagsMetadataAndRefusesOtherStates) {
  {
    auto span = mlflow::start_span("request");
    mlflow::UpdateCurrentTraceOptions update;
    update.tags = {{"env", "test"}};
    update.metadata = {{"m", "1"}};
    update.session_id = "session-1";
    update.user = "user-1";
    update.client_request_id = "req-9";
    update.request_preview = "custom preview";
    mlflow::update_current_trace(update);
    mlflow::UpdateCurrentTraceOptions bad;
    bad.state = mlflow::TraceState::kInProgress;
    EXPECT_THROW(mlflow::update_current_trace(bad), mlflow::InvalidArgument);
  }
  drain();
  ASSERT_EQ(store->infos.size(), 1u);
  const TraceInfo& info = store->infos[0];
  EXPECT_EQ(info.tags.at("env"), "test");
  EXPECT_EQ(info.trace_metadata.at("m"), "1");
  EXPECT_EQ(info.trace_metadata.at("mlflow.trace.session"), "session-1");
  EXPECT_EQ(info.trace_metadata.at("mlflow.trace.user"), "user-1");
  EXPECT_EQ(info.client_request_id, "req-9");
  EXPECT_EQ(info.request_preview, "custom preview");
}

TEST_F(TracingSpans, TraceparentRoundTripContinuesTheCallersTrace) {
  std::map<std::string, std::string> headers;
  std::string caller_trace;
  std::string caller_span;
  {
    auto client_span = mlflow::start_span("client");
    headers = mlflow::get_tracing_context_headers_for_http_request();
    caller_trace = client_span.trace_id();
    caller_span = client_span.span_id();
  }
  ASSERT_EQ(headers.count("traceparent"), 1u);
  EXPECT_EQ(headers["traceparent"], "00-" + caller_trace.substr(3) + "-" + caller_span + "-01");
  drain();
  store->calls.clear();
  store->span_batches.clear();
  store->infos.clear();
  // A "service" on another thread continues it (header names are case-insensitive).
  std::thread service([&] {
    auto scope = mlflow::set_tracing_context_from_http_request_headers(
        {{"Traceparent", headers["traceparent"]}});
    auto handler = mlflow::start_span("handler");
    EXPECT_EQ(handler.trace_id(), caller_trace);
    EXPECT_EQ(handler.parent_id(), caller_span);
  });
  service.join();
  drain();
  const auto spans = store->all_spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "handler");
  EXPECT_TRUE(store->infos.empty());  // the caller's process records the trace itself
  EXPECT_THROW(mlflow::set_tracing_context_from_http_request_headers({{"x", "y"}}),
               mlflow::InvalidArgument);
  // Python looks for "traceparent" and "Traceparent" only (what HTTP frameworks hand over).
  for (const char* name : {"TRACEPARENT", "TraceParent"}) {
    EXPECT_THROW(mlflow::set_tracing_context_from_http_request_headers(
                     {{name, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}),
                 mlflow::InvalidArgument)
        << name;
  }
  EXPECT_THROW(mlflow::set_tracing_context_from_http_request_headers({{"traceparent", "00-zz"}}),
               mlflow::InvalidArgument);
}

TEST_F(TracingSpans, TransientFailuresAreHeldAndResentOnce) {
  store->failures = 2;
  { auto span = mlflow::start_span("held"); }
  drain();
  EXPECT_EQ(store->all_spans().size(), 1u);
  EXPECT_EQ(store->infos.size(), 1u);
  EXPECT_EQ(exporter->stats().resends, 2u);
  EXPECT_TRUE(exporter->take_errors().empty());
}

TEST_F(TracingSpans, FlushDeadlineReportsWhatIsPending) {
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->block = true;
  }
  { auto span = mlflow::start_span("stuck"); }
  EXPECT_EQ(exporter->wait_until_drained(std::chrono::steady_clock::now() +
                                         std::chrono::milliseconds(100)),
            1u);
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->block = false;
  }
  store->changed.notify_all();
  drain();
}

// The traced thread hands an ended span over without copying it: a handle kept past the
// end still reads it, and the sender computes the trace's finalisation (previews, the
// mlflow.traceInputs metadata, size stats, environment metadata and schema version).
TEST_F(TracingSpans, AHandleReadsItsEndedSpanAndTheSenderFinalisesTheTrace) {
  mlflow::LiveSpan kept;
  {
    auto root = mlflow::start_span("answer", mlflow::SpanType::kChain);
    root.set_inputs({{"question", "why?"}});
    root.set_outputs({{"answer", "because"}});
    kept = root;
  }
  drain();
  EXPECT_EQ(kept.name(), "answer");
  EXPECT_EQ(kept.inputs(), JsonValue({{"question", "why?"}}));
  EXPECT_EQ(kept.outputs(), JsonValue({{"answer", "because"}}));
  EXPECT_EQ(kept.get_attribute(SpanAttributeKey::kSpanType), JsonValue("CHAIN"));
  const auto spans = store->all_spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].inputs(), JsonValue({{"question", "why?"}}));
  EXPECT_EQ(spans[0].status.status_code, mlflow::SpanStatusCode::kOk);
  ASSERT_EQ(store->infos.size(), 1u);
  const TraceInfo& info = store->infos[0];
  EXPECT_EQ(info.request_preview, "{\"question\": \"why?\"}");
  EXPECT_EQ(info.response_preview, "{\"answer\": \"because\"}");
  EXPECT_EQ(info.trace_metadata.at(mlflow::TraceMetadataKey::kInputs), "{\"question\": \"why?\"}");
  EXPECT_EQ(info.trace_metadata.at(mlflow::TraceMetadataKey::kSchemaVersion), "3");
  EXPECT_EQ(info.trace_metadata.count(mlflow::TraceMetadataKey::kSizeBytes), 1u);
  for (const auto& [key, value] : tr::env_metadata()) {
    EXPECT_EQ(info.trace_metadata.at(key), value) << key;
  }
}

// A trace of one span, with its record.
tr::ExportItem one_span_trace(int i) {
  tr::ExportItem item;
  item.trace_id = "tr-" + std::to_string(i);
  item.spans.resize(1);
  item.spans[0].trace_id = item.trace_id;
  item.spans[0].span_id = "0123456789abcdef";
  item.info.emplace();
  item.info->trace_id = item.trace_id;
  return item;
}

// Whether the senders took every queued trace (within 30 s).
bool wait_until_nothing_queued(const tr::TraceExporter& exporter) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (exporter.stats().queued_traces > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exporter.stats().queued_traces == 0;
}

// A backlog is shared among the senders (each takes its share of what is queued), so that
// their StartTraceV3 requests go out side by side rather than all from one sender.
TEST(TracingExporter, SendersShareABacklog) {
  auto store = std::make_shared<RecordingStore>();
  store->block = true;
  mlflow::TraceExportOptions options;
  options.max_workers = 2;
  tr::TraceExporter exporter(store, options, "shared");
  const auto submit = [&](int i) { exporter.submit(one_span_trace(i)); };
  submit(0);
  submit(1);
  // Both senders hold a trace (blocked in the store) before the backlog of 8 arrives.
  ASSERT_TRUE(wait_until_nothing_queued(exporter));
  for (int i = 2; i < 10; ++i) submit(i);
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->block = false;
  }
  store->changed.notify_all();
  ASSERT_EQ(exporter.wait_until_drained(std::nullopt), 0u);
  std::lock_guard<std::mutex> lock(store->mutex);
  std::size_t traces = 0;
  for (const auto& [experiment, spans] : store->span_batches) {
    EXPECT_LE(spans.size(), 4u) << "one sender took more than its share of 8 queued traces";
    traces += spans.size();
  }
  EXPECT_EQ(traces, 10u);
  EXPECT_EQ(store->infos.size(), 10u);
}

// The StartTraceV3 of the traces of one batch are shared among the senders: one held by
// the server does not hold the others of its batch.
TEST(TracingExporter, ABatchsTraceRecordsAreSentByWhicheverSenderIsFree) {
  auto store = std::make_shared<RecordingStore>();
  store->block = true;
  mlflow::TraceExportOptions options;
  options.max_workers = 2;
  tr::TraceExporter exporter(store, options, "shared records");
  const auto submit = [&](int i) { exporter.submit(one_span_trace(i)); };
  submit(0);
  submit(1);
  ASSERT_TRUE(wait_until_nothing_queued(exporter));
  // Queued while both senders are busy: the first free one takes [tr-2, tr-3] (its share).
  for (int i = 2; i < 6; ++i) submit(i);
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->held_start_traces.insert("tr-2");
    store->block = false;
  }
  store->changed.notify_all();
  {
    std::unique_lock<std::mutex> lock(store->mutex);
    const bool others_done =
        store->changed.wait_until(lock, std::chrono::steady_clock::now() + std::chrono::seconds(30),
                                  [&] { return store->infos.size() == 5; });
    EXPECT_TRUE(others_done) << "tr-3 waited behind tr-2's StartTraceV3";
    for (const auto& info : store->infos) EXPECT_NE(info.trace_id, "tr-2");
    store->held_start_traces.clear();
  }
  store->changed.notify_all();
  ASSERT_EQ(exporter.wait_until_drained(std::nullopt), 0u);
  EXPECT_EQ(store->infos.size(), 6u);
}

TEST(TracingExporter, AFullQueueDropsAndReportsInsteadOfBlocking) {
  auto store = std::make_shared<RecordingStore>();
  store->block = true;
  mlflow::TraceExportOptions options;
  options.max_workers = 1;
  options.max_queue_traces = 2;
  tr::TraceExporter exporter(store, options, "blocked");
  for (int i = 0; i < 5; ++i) {
    tr::ExportItem item;
    item.trace_id = "tr-" + std::to_string(i);
    item.spans.resize(1);
    item.spans[0].trace_id = "tr-0123456789abcdef0123456789abcdef";
    item.spans[0].span_id = "0123456789abcdef";
    exporter.submit(std::move(item));
  }
  // One taken by the (blocked) sender, two queued, the rest dropped.
  const auto stats = exporter.stats();
  EXPECT_GE(stats.dropped_traces, 2u);
  EXPECT_EQ(stats.enqueued_traces, 5u);
  const auto errors = exporter.take_errors();
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].code, mlflow::ErrorCode::kResourceExhausted);
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->block = false;
  }
  store->changed.notify_all();
  EXPECT_EQ(exporter.wait_until_drained(std::nullopt), 0u);
}

// The store gone for good: shutdown stops holding at its deadline and reports every trace
// once, through on_error and the returned list, whether it was held or still queued.
TEST(TracingExporter, ShutdownWithTheStoreDownReportsEveryTraceOnceByTheDeadline) {
  auto store = std::make_shared<RecordingStore>();
  store->failures = 1 << 30;  // transient failures, forever
  std::mutex reported_mutex;
  std::map<std::string, int> reported;
  mlflow::TraceExportOptions options;
  options.max_workers = 2;
  options.max_spans_per_request = 1;  // one trace per batch: most stay queued
  options.retry_timeout = std::chrono::seconds(500);
  options.on_error = [&](const mlflow::TraceExportError& e) {
    EXPECT_EQ(e.code, mlflow::ErrorCode::kDeadlineExceeded);
    std::lock_guard<std::mutex> lock(reported_mutex);
    ++reported[e.trace_id];
  };
  tr::TraceExporter exporter(store, options, "gone");
  for (int i = 0; i < 20; ++i) {
    tr::ExportItem item;
    item.trace_id = "tr-" + std::to_string(i);
    item.spans.resize(1);
    exporter.submit(std::move(item));
  }
  const auto start = std::chrono::steady_clock::now();
  const auto lost = exporter.shutdown(start + std::chrono::milliseconds(500));
  // Bounded by the deadline (with room for a loaded machine), not by retry_timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  std::lock_guard<std::mutex> lock(reported_mutex);
  EXPECT_EQ(reported.size(), 20u);
  for (const auto& [id, times] : reported) EXPECT_EQ(times, 1) << id;
  EXPECT_GE(lost.size(), 16u);  // the queued ones (the senders held one batch each)
  EXPECT_EQ(exporter.stats().failed_traces, 20u);
  EXPECT_GT(exporter.stats().resends, 0u);
  EXPECT_EQ(exporter.stats().exported_traces, 0u);
  // Later traces go out on the caller's thread (Python's terminated queue).
  store->failures = 0;
  tr::ExportItem late;
  late.trace_id = "tr-late";
  late.spans.resize(1);
  exporter.submit(std::move(late));
  EXPECT_EQ(exporter.stats().exported_traces, 1u);
  EXPECT_EQ(store->all_spans().size(), 1u);
}

TEST(TracingFinalize, TokenUsageCountsOnlyTheTopmostSpansThatHaveIt) {
  std::vector<SpanData> spans(3);
  spans[0].span_id = "a";
  spans[1].span_id = "b";
  spans[1].parent_id = "a";
  spans[2].span_id = "c";
  spans[2].parent_id = "b";
  spans[1].attributes.set(SpanAttributeKey::kChatUsage,
                          {{"input_tokens", 5}, {"output_tokens", 1}, {"total_tokens", 6}});
  spans[2].attributes.set(SpanAttributeKey::kChatUsage,
                          {{"input_tokens", 3}, {"output_tokens", 1}, {"total_tokens", 4}});
  EXPECT_EQ(tr::aggregate_token_usage(spans).dump(),
            R"({"input_tokens": 5, "output_tokens": 1, "total_tokens": 6})");
  spans[1].attributes.erase(SpanAttributeKey::kChatUsage);
  EXPECT_EQ(tr::aggregate_token_usage(spans).dump(),
            R"({"input_tokens": 3, "output_tokens": 1, "total_tokens": 4})");
  spans[2].attributes.erase(SpanAttributeKey::kChatUsage);
  EXPECT_TRUE(tr::aggregate_token_usage(spans).is_null());
}

TEST(TracingFinalize, PreviewsTakeTheLastChatMessageAndCutAt1000Characters) {
  EXPECT_EQ(
      mlflow::internal::truncated_preview(
          R"({"messages": [{"role": "user", "content": "first"}, {"role": "assistant", "content": "x"}, {"role": "user", "content": "last"}]})",
          "user"),
      "last");
  EXPECT_EQ(
      mlflow::internal::truncated_preview(
          R"({"choices": [{"message": {"role": "assistant", "content": [{"type": "text", "text": "hi"}]}}]})",
          "assistant"),
      "hi");
  const std::string long_text = "\"" + std::string(1500, 'a') + "\"";
  const std::string preview = mlflow::internal::truncated_preview(long_text, "user");
  EXPECT_EQ(preview.size(), 1000u);
  EXPECT_EQ(preview.substr(997), "...");
}

// Governance's token pricing (ADR 0027) writes MLflow's own mlflow.llm.cost on the span, from
// its model and token usage, and never replaces a cost set by the program.
TEST_F(TracingSpans, GovernancePricesLlmSpansFromDatedTokenPrices) {
  mlflow::governance::LlmPriceTable prices;
  prices.add({"gpt-test", "2025-01-01", 2.0, 8.0, std::nullopt});
  {
    auto root = mlflow::start_span("root");
    auto priced = mlflow::start_span("priced", mlflow::SpanType::kLlm);
    priced.set_model("gpt-test", "openai");
    priced.set_token_usage({1000, 500});
    EXPECT_TRUE(mlflow::governance::price_llm_span(priced, prices, "2025-06-01"));
    priced.end();
    auto preset = mlflow::start_span("preset", mlflow::SpanType::kLlm);
    preset.set_model("gpt-test", "openai");
    preset.set_token_usage({1000, 500});
    preset.set_cost({1.0, 2.0});
    EXPECT_FALSE(mlflow::governance::price_llm_span(preset, prices, "2025-06-01"));
    preset.end();
    auto unpriced = mlflow::start_span("before the price", mlflow::SpanType::kLlm);
    unpriced.set_model("gpt-test", "openai");
    unpriced.set_token_usage({1000, 500});
    EXPECT_FALSE(mlflow::governance::price_llm_span(unpriced, prices, "2024-12-31"));
  }
  drain();
  const auto spans = store->all_spans();
  const JsonValue* cost = span_named(spans, "priced").get_attribute(SpanAttributeKey::kLlmCost);
  ASSERT_NE(cost, nullptr);
  EXPECT_DOUBLE_EQ(cost->find("input_cost")->as_double(), 1000 * 2.0 / 1e6);
  EXPECT_DOUBLE_EQ(cost->find("output_cost")->as_double(), 500 * 8.0 / 1e6);
  EXPECT_DOUBLE_EQ(cost->find("total_cost")->as_double(), (2000.0 + 4000.0) / 1e6);
  EXPECT_DOUBLE_EQ(span_named(spans, "preset")
                       .get_attribute(SpanAttributeKey::kLlmCost)
                       ->find("total_cost")
                       ->as_double(),
                   3.0);
  EXPECT_EQ(span_named(spans, "before the price").get_attribute(SpanAttributeKey::kLlmCost),
            nullptr);
}

}  // namespace
