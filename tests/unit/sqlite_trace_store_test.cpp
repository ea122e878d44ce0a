// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded trace store through its seam: the rows and derived fields of Python's
// SqlAlchemyStore (span-derived trace info, analytics columns, finalisation by start_trace),
// reads, tags, deletes, links, assessments and their errors, one transaction per call, a
// SIGKILL mid-logging and concurrent writers. Searches on real data are compared with the server
// by the conformance suite; the byte-level interop with Python by tests/interop.
#include "sqlite/sqlite_trace_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow.hpp"
#include "sqlite/db.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "sqlite/sqlite_tracking_store.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string hex_id(std::uint64_t n, std::size_t digits) {
  std::string s(digits, '0');
  for (std::size_t i = 0; i < digits && n != 0; ++i, n >>= 4)
    s[digits - 1 - i] = "0123456789abcdef"[n & 15];
  return s;
}

std::string trace_id(int n) { return "tr-" + hex_id(static_cast<std::uint64_t>(n), 32); }

SpanData span(int trace, int id, std::optional<int> parent, const std::string& name,
              std::int64_t start_ms, std::optional<std::int64_t> end_ms) {
  SpanData s;
  s.trace_id = trace_id(trace);
  s.span_id = hex_id(static_cast<std::uint64_t>(trace) * 100 + id, 16);
  if (parent) s.parent_id = hex_id(static_cast<std::uint64_t>(trace) * 100 + *parent, 16);
  s.name = name;
  s.start_time_ns = start_ms * 1000000 + 123;
  if (end_ms) s.end_time_ns = *end_ms * 1000000 + 456;
  s.status.status_code = SpanStatusCode::kOk;
  s.attributes = JsonValue::object({{"mlflow.traceRequestId", s.trace_id}});
  return s;
}

// Root "agent" (CHAIN) -> "llm" (LLM with usage, cost, model) -> "tool".
std::vector<SpanData> three_spans(int trace, std::int64_t start_ms) {
  SpanData root = span(trace, 1, std::nullopt, "agent", start_ms, start_ms + 50);
  root.attributes.set("mlflow.spanType", "CHAIN");
  root.attributes.set("mlflow.spanInputs", JsonValue({{"question", "why é?"}}));
  root.attributes.set("mlflow.spanOutputs", "because");
  root.attributes.set("session.id", "s-1");
  root.attributes.set("user.id", "u-1");
  SpanData llm = span(trace, 2, 1, "llm", start_ms + 10, start_ms + 40);
  llm.attributes.set("mlflow.spanType", "LLM");
  llm.attributes.set("mlflow.chat.tokenUsage",
                     JsonValue({{"input_tokens", 10}, {"output_tokens", 5}, {"total_tokens", 15}}));
  llm.attributes.set(
      "mlflow.llm.cost",
      JsonValue({{"input_cost", 0.001}, {"output_cost", 0.002}, {"total_cost", 0.003}}));
  llm.attributes.set("mlflow.llm.model", "tiny-gpt");
  SpanData tool = span(trace, 3, 2, "tool", start_ms + 20, start_ms + 30);
  tool.attributes.set("mlflow.spanType", "TOOL");
  tool.status = {SpanStatusCode::kError, "tool failed"};
  return {root, llm, tool};
}

TraceInfo final_info(int trace, const std::string& experiment_id, std::int64_t start_ms) {
  TraceInfo info;
  info.trace_id = trace_id(trace);
  info.trace_location.experiment_id = experiment_id;
  info.request_time = start_ms;
  info.execution_duration = 50;
  info.state = TraceState::kOk;
  info.trace_metadata = {{"mlflow.trace_schema.version", "3"},
                         {"mlflow.trace.tokenUsage",
                          R"({"input_tokens": 10, "output_tokens": 5, "total_tokens": 15})"},
                         {"mlflow.trace.session", "s-1"},
                         {"env", "test"}};
  info.tags = {{"mlflow.traceName", "agent"}, {"team", "a"}, {"mlflow.artifactLocation", "x"}};
  return info;
}

struct Fixture {
  SqliteStores stores = make_sqlite_stores("sqlite:///:memory:");
  std::shared_ptr<sqlite::Database> db =
      std::dynamic_pointer_cast<SqliteTrackingStore>(stores.tracking)->database();
  int sleeps = 0;
  SqliteTraceStore store{
      db, RetryHooks{[this](std::chrono::milliseconds) { ++sleeps; }, [] { return 0.0; }}};
  std::string exp = stores.tracking->create_experiment("traces", std::nullopt, {});

  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    return db->read([&](sqlite::Connection& c) {
      std::vector<std::vector<std::string>> out;
      auto s = c.prepare(sql);
      while (s->step()) {
        std::vector<std::string> row;
        for (int i = 0; i < s->column_count(); ++i)
          row.push_back(s->is_null(i) ? "NULL" : s->text(i));
        out.push_back(row);
      }
      return out;
    });
  }
};

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const MlflowException& e) {
    return error_code_name(e.error_code());
  }
  return "ok";
}

TEST(SqliteTraceStore, SpansThenStartTraceWriteTheRowsPythonWrites) {
  Fixture f;
  f.store.log_spans(f.exp, three_spans(1, 1700000000000));
  // Before start_trace: the trace exists, derived from its spans.
  TraceInfo early = f.store.get_trace_info(trace_id(1));
  EXPECT_EQ(early.state, TraceState::kOk);
  EXPECT_EQ(early.request_time, 1700000000000);
  EXPECT_EQ(early.execution_duration, std::optional<std::int64_t>(50));
  EXPECT_EQ(early.request_preview, std::optional<std::string>(R"({"question": "why é?"})"));
  EXPECT_EQ(early.response_preview, std::optional<std::string>("\"because\""));
  EXPECT_EQ(early.trace_metadata.at("mlflow.trace.tokenUsage"),
            R"({"input_tokens": 10, "output_tokens": 5, "total_tokens": 15})");
  EXPECT_EQ(early.trace_metadata.at("mlflow.trace.cost"),
            R"({"input_cost": 0.001, "output_cost": 0.002, "total_cost": 0.003})");
  EXPECT_EQ(early.trace_metadata.at("mlflow.trace.session"), "s-1");
  EXPECT_EQ(early.trace_metadata.at("mlflow.trace.user"), "u-1");
  EXPECT_EQ(early.tags.at("mlflow.trace.spansLocation"), "TRACKING_STORE");

  const TraceInfo info = f.store.start_trace(final_info(1, f.exp, 1700000000000));
  EXPECT_EQ(info.tags.at("mlflow.traceName"), "agent");
  EXPECT_EQ(info.tags.at("team"), "a");
  EXPECT_EQ(info.trace_metadata.at("mlflow.trace.infoFinalized"), "true");
  EXPECT_EQ(info.trace_metadata.at("env"), "test");

  // Promoted metadata lives in trace_info's own columns; the client's artifact location tag
  // is replaced by the store's.
  EXPECT_EQ(f.rows("SELECT key FROM trace_request_metadata ORDER BY key"),
            (std::vector<std::vector<std::string>>{{"env"},
                                                   {"mlflow.trace.infoFinalized"},
                                                   {"mlflow.trace.user"},
                                                   {"mlflow.trace_schema.version"}}));
  const auto tags = f.rows("SELECT key, value FROM trace_tags ORDER BY key");
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[0][0], "mlflow.artifactLocation");
  EXPECT_THAT(tags[0][1],
              ::testing::EndsWith("/" + f.exp + "/traces/" + trace_id(1) + "/artifacts"));
  EXPECT_EQ(tags[1], (std::vector<std::string>{"mlflow.trace.spansLocation", "TRACKING_STORE"}));
  EXPECT_EQ(tags[2], (std::vector<std::string>{"team", "a"}));
  EXPECT_EQ(f.rows("SELECT timestamp_ms, execution_time_ms, status, trace_name, session_id, "
                   "input_tokens, output_tokens, total_tokens, input_cost, total_cost, "
                   "db_payload_generation FROM trace_info"),
            (std::vector<std::vector<std::string>>{{"1700000000000", "50", "OK", "agent", "s-1",
                                                    "10", "5", "15", "0.001", "0.003", "2"}}));
  EXPECT_EQ(f.rows("SELECT name, type, status, input_cost, model_name, duration_ns FROM spans "
                   "ORDER BY name"),
            (std::vector<std::vector<std::string>>{
                {"agent", "CHAIN", "OK", "NULL", "NULL", "50000333"},
                {"llm", "LLM", "OK", "0.001", "tiny-gpt", "30000333"},
                {"tool", "TOOL", "ERROR", "NULL", "NULL", "10000333"}}));

  const Trace t = f.store.get_trace(trace_id(1), false);
  ASSERT_EQ(t.data.spans.size(), 3u);
  EXPECT_EQ(t.data.spans[0].name, "agent");  // root first, then by start time
  EXPECT_EQ(t.data.spans[1].name, "llm");
  EXPECT_EQ(t.data.spans[2].status.description, "tool failed");
  EXPECT_EQ(t.data.spans[0].inputs(), JsonValue({{"question", "why é?"}}));
  EXPECT_EQ(t.data.spans[1].parent_id, t.data.spans[0].span_id);
}

TEST(SqliteTraceStore, StartTraceFirstIsAuthoritativeAndLateSpansAggregateOverTheTree) {
  Fixture f;
  TraceInfo info = final_info(2, f.exp, 1000);
  info.trace_metadata["mlflow.trace.tokenUsage"] = R"({"input_tokens": 1, "total_tokens": 1})";
  f.store.start_trace(info);
  auto spans = three_spans(2, 900);
  f.store.log_spans(f.exp, spans);
  const TraceInfo after = f.store.get_trace_info(trace_id(2));
  // start_trace's usage wins; its times stay since spans carried usage (finalised).
  EXPECT_EQ(after.trace_metadata.at("mlflow.trace.tokenUsage"),
            R"({"input_tokens": 1, "total_tokens": 1})");
  EXPECT_EQ(after.request_time, 1000);
  EXPECT_EQ(after.trace_metadata.at("mlflow.trace.cost"),
            R"({"input_cost": 0.001, "output_cost": 0.002, "total_cost": 0.003})");

  // A parent with rolled-up usage in one batch and its child in the next: not counted twice.
  SpanData parent = span(3, 1, std::nullopt, "agent", 5000, std::nullopt);
  SpanData child = span(3, 2, 1, "llm", 5001, 5002);
  child.attributes.set("mlflow.chat.tokenUsage",
                       JsonValue({{"input_tokens", 4}, {"total_tokens", 4}}));
  f.store.log_spans(f.exp, {child});
  EXPECT_EQ(f.store.get_trace_info(trace_id(3)).state, TraceState::kInProgress);
  parent.end_time_ns = 5010LL * 1000000;
  parent.attributes.set("mlflow.chat.tokenUsage",
                        JsonValue({{"input_tokens", 4}, {"total_tokens", 4}}));
  f.store.log_spans(f.exp, {parent});
  const TraceInfo rolled = f.store.get_trace_info(trace_id(3));
  EXPECT_EQ(rolled.state, TraceState::kOk);
  EXPECT_EQ(rolled.request_time, 5000);
  EXPECT_EQ(rolled.execution_duration, std::optional<std::int64_t>(10));
  EXPECT_EQ(rolled.trace_metadata.at("mlflow.trace.tokenUsage"),
            R"({"input_tokens": 4, "output_tokens": 0, "total_tokens": 4})");
  // Re-sending a span replaces it.
  f.store.log_spans(f.exp, {parent});
  EXPECT_EQ(f.store.get_trace(trace_id(3), false).data.spans.size(), 2u);
}

TEST(SqliteTraceStore, ReadsWaitForMissingSpansAsTheServerDoes) {
  Fixture f;
  f.store.start_trace(final_info(4, f.exp, 1000));
  EXPECT_EQ(code_of([&] { f.store.get_trace(trace_id(4), false); }), "INTERNAL_ERROR");
  f.store.log_spans(f.exp, {span(4, 2, 1, "child", 1001, 1002)});
  TraceInfo stats = final_info(4, f.exp, 1000);
  stats.trace_metadata["mlflow.trace.sizeStats"] = R"({"total_size_bytes": 9, "num_spans": 2})";
  f.store.start_trace(stats);
  try {
    f.store.get_trace(trace_id(4), false);
    ADD_FAILURE() << "no error";
  } catch (const NotFound& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not fully exported yet, please try again later."));
  }
  EXPECT_EQ(f.sleeps, 2);
  EXPECT_EQ(f.store.get_trace(trace_id(4), true).data.spans.size(), 1u);
  EXPECT_TRUE(f.store.batch_get_traces({trace_id(4)}).empty());
  f.store.log_spans(f.exp, {span(4, 1, std::nullopt, "root", 1000, 1003)});
  EXPECT_EQ(f.store.batch_get_traces({trace_id(4), "tr-missing", trace_id(4)}).size(), 1u);
  EXPECT_EQ(code_of([&] { f.store.get_trace("tr-missing", true); }), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.get_trace_info("tr-missing"); }), "RESOURCE_DOES_NOT_EXIST");
}

TEST(SqliteTraceStore, RefusalsAsTheServer) {
  Fixture f;
  EXPECT_EQ(code_of([&] { f.store.log_spans("999", three_spans(5, 1)); }),
            "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.start_trace(final_info(5, "999", 1)); }),
            "RESOURCE_DOES_NOT_EXIST");
  const std::string other = f.stores.tracking->create_experiment("other", std::nullopt, {});
  f.store.log_spans(other, three_spans(6, 1));
  EXPECT_EQ(code_of([&] { f.store.log_spans(f.exp, three_spans(6, 1)); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.start_trace(final_info(6, f.exp, 1)); }),
            "INVALID_PARAMETER_VALUE");
  f.stores.tracking->delete_experiment(other);
  EXPECT_EQ(code_of([&] { f.store.start_trace(final_info(7, other, 1)); }),
            "INVALID_PARAMETER_VALUE");
  // All or nothing: a bad session id in the second trace leaves the first unwritten too.
  auto spans = three_spans(8, 1);
  auto bad = three_spans(9, 1);
  bad[0].attributes.set("session.id", std::string(251, 's'));
  spans.insert(spans.end(), bad.begin(), bad.end());
  EXPECT_EQ(code_of([&] { f.store.log_spans(f.exp, spans); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.get_trace_info(trace_id(8)); }), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.search_traces({f.exp}, "", 0, {}, ""); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.search_traces({f.exp}, "", 50001, {}, ""); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.search_traces({"1.5"}, "", 5, {}, ""); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.upload_trace_data({}, {}); }), "NOT_IMPLEMENTED");
  TraceInfo slash = final_info(10, f.exp, 1);
  slash.trace_id = "tr-a/b";
  EXPECT_EQ(code_of([&] { f.store.start_trace(slash); }), "INVALID_PARAMETER_VALUE");
}

TEST(SqliteTraceStore, TagsDeletesAndLinks) {
  Fixture f;
  for (int i = 1; i <= 4; ++i) f.store.log_spans(f.exp, three_spans(i, 1000 * i));
  f.store.set_trace_tag(trace_id(1), "k", "v");
  f.store.set_trace_tag(trace_id(1), "mlflow.traceName", "renamed");
  EXPECT_EQ(f.store.get_trace_info(trace_id(1)).tags.at("mlflow.traceName"), "renamed");
  f.store.delete_trace_tag(trace_id(1), "mlflow.traceName");
  EXPECT_EQ(f.store.get_trace_info(trace_id(1)).tags.count("mlflow.traceName"), 0u);
  EXPECT_EQ(code_of([&] { f.store.delete_trace_tag(trace_id(1), "mlflow.traceName"); }),
            "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.delete_trace_tag(trace_id(1), "nope"); }),
            "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.set_trace_tag(trace_id(1), "mlflow.artifactLocation", "x"); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.set_trace_tag(trace_id(1), "bad/../key", "x"); }),
            "INVALID_PARAMETER_VALUE");
  // As the server answers: the foreign key refuses a tag, the trace name is looked up.
  EXPECT_EQ(code_of([&] { f.store.set_trace_tag("tr-missing", "k", "v"); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { f.store.set_trace_tag("tr-missing", "mlflow.traceName", "v"); }),
            "RESOURCE_DOES_NOT_EXIST");

  f.store.link_traces_to_run({trace_id(2), trace_id(3)}, "run1");
  f.store.link_traces_to_run({trace_id(2)}, "run1");
  const auto search = [&](const std::string& filter) {
    std::vector<std::string> ids;
    for (const auto& t : f.store.search_traces({f.exp}, filter, 100, {}, "").items)
      ids.push_back(t.trace_id);
    return ids;
  };
  EXPECT_THAT(search("run_id = 'run1'"), ElementsAre(trace_id(3), trace_id(2)));
  f.store.link_prompts_to_trace(trace_id(4), {{"qa", "2"}});
  EXPECT_THAT(search("prompt = 'qa/2'"), ElementsAre(trace_id(4)));
  EXPECT_EQ(code_of([&] {
              f.store.link_prompts_to_trace("tr-missing", {{"qa", "2"}});
            }),
            "RESOURCE_DOES_NOT_EXIST");
  std::vector<std::string> many(101, trace_id(1));
  EXPECT_EQ(code_of([&] { f.store.link_traces_to_run(many, "r"); }), "INVALID_PARAMETER_VALUE");

  EXPECT_EQ(f.store.delete_traces(f.exp, std::nullopt, std::nullopt, {trace_id(4), "tr-x"}), 1);
  EXPECT_EQ(f.store.delete_traces(f.exp, 3500, 1, {}), 1);  // the oldest first
  EXPECT_THAT(search(""), ElementsAre(trace_id(3), trace_id(2)));
  EXPECT_EQ(f.rows("SELECT count(*) FROM spans")[0][0], "6");
}

TEST(SqliteTraceStore, AssessmentsOverridesAndUpdates) {
  Fixture f;
  f.store.log_spans(f.exp, three_spans(1, 1000));
  Feedback fb(JsonValue(0.5), "quality");
  fb.trace_id = trace_id(1);
  fb.rationale = "ok";
  fb.metadata = {{"judge", "v1"}};
  const Assessment created = f.store.create_assessment(fb);
  ASSERT_TRUE(created.assessment_id);
  EXPECT_EQ(created.assessment_id->substr(0, 2), "a-");
  EXPECT_EQ(created.valid, std::optional<bool>(true));
  Feedback better(JsonValue(0.9), "quality");
  better.trace_id = trace_id(1);
  better.overrides = created.assessment_id;
  const Assessment override = f.store.create_assessment(better);
  EXPECT_EQ(f.store.get_assessment(trace_id(1), *created.assessment_id).valid,
            std::optional<bool>(false));
  EXPECT_THAT(f.store.search_traces({f.exp}, "feedback.quality > 0.8", 10, {}, "").items,
              ::testing::SizeIs(1));
  EXPECT_THAT(f.store.search_traces({f.exp}, "feedback.quality < 0.8", 10, {}, "").items,
              ::testing::IsEmpty());
  f.store.delete_assessment(trace_id(1), *override.assessment_id);
  EXPECT_EQ(f.store.get_assessment(trace_id(1), *created.assessment_id).valid,
            std::optional<bool>(true));
  f.store.delete_assessment(trace_id(1), "a-gone");  // idempotent

  AssessmentUpdate u;
  u.name = "quality2";
  u.feedback = JsonValue("yes");
  u.metadata = std::map<std::string, std::string>{{"extra", "1"}};
  const Assessment updated = f.store.update_assessment(trace_id(1), *created.assessment_id, u);
  EXPECT_EQ(updated.name, "quality2");
  EXPECT_EQ(updated.value, JsonValue("yes"));
  EXPECT_EQ(updated.rationale, std::optional<std::string>("ok"));
  EXPECT_EQ(updated.metadata,
            (std::map<std::string, std::string>{{"extra", "1"}, {"judge", "v1"}}));
  EXPECT_EQ(f.rows("SELECT value, aggregate_value, is_numeric_value FROM assessments"),
            (std::vector<std::vector<std::string>>{{"\"yes\"", "1.0", "0"}}));
  AssessmentUpdate wrong;
  wrong.expectation = JsonValue(1);
  EXPECT_EQ(code_of([&] { f.store.update_assessment(trace_id(1), *created.assessment_id, wrong); }),
            "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([&] { f.store.get_assessment(trace_id(1), "a-none"); }),
            "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(code_of([&] { f.store.get_assessment("tr-none", "a-none"); }),
            "RESOURCE_DOES_NOT_EXIST");
  Expectation e("expected", JsonValue({{"answer", 42}}));
  e.trace_id = "tr-none";
  EXPECT_EQ(code_of([&] { f.store.create_assessment(e); }), "RESOURCE_DOES_NOT_EXIST");
  e.trace_id = trace_id(1);
  e.overrides = "a-none";
  EXPECT_EQ(code_of([&] { f.store.create_assessment(e); }), "RESOURCE_DOES_NOT_EXIST");
  e.overrides = std::nullopt;
  const Assessment exp = f.store.create_assessment(e);
  EXPECT_EQ(f.store.get_trace_info(trace_id(1)).assessments.size(), 2u);
  EXPECT_EQ(f.store.get_assessment(trace_id(1), *exp.assessment_id).value,
            JsonValue({{"answer", 42}}));
  EXPECT_EQ(code_of([&] { f.store.create_assessment(exp); }), "INTERNAL_ERROR");  // same id
}

// A writer killed at any moment leaves a file that opens, passes integrity_check and holds
// every trace whose calls returned, each with all of its spans.
TEST(SqliteTraceStore, SigkillMidLoggingLeavesEveryReturnedTraceWhole) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-crash");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  std::string exp = make_sqlite_stores(uri).tracking->create_experiment("crash", std::nullopt, {});
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    try {
      auto stores = make_sqlite_stores(uri);
      for (int n = 1;; ++n) {
        stores.traces->log_spans(exp, three_spans(n, 1000 + n));
        stores.traces->start_trace(final_info(n, exp, 1000 + n));
        if (::write(fds[1], &n, sizeof n) != sizeof n) ::_exit(3);
      }
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(fds[1]);
  int last = 0;
  int n = 0;
  while (last < 30 && ::read(fds[0], &n, sizeof n) == sizeof n) last = n;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(fds[0]);
  ASSERT_GE(last, 30);
  auto stores = make_sqlite_stores(uri);
  const auto all = stores.traces->search_traces({exp}, "", 50000, {}, "").items;
  EXPECT_GE(all.size(), static_cast<std::size_t>(last));
  for (const auto& info : all) {
    EXPECT_EQ(stores.traces->get_trace(info.trace_id, true).data.spans.size(), 3u) << info.trace_id;
  }
  for (int i = 1; i <= last; ++i) {
    EXPECT_EQ(
        stores.traces->get_trace_info(trace_id(i)).trace_metadata.at("mlflow.trace.infoFinalized"),
        "true");
  }
}

TEST(SqliteTraceStore, ConcurrentWritersLoseNothing) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-concurrent");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  const std::string exp =
      make_sqlite_stores(uri).tracking->create_experiment("many", std::nullopt, {});
  constexpr int kPerWriter = 15;
  const auto write = [&](int writer) {
    auto stores = make_sqlite_stores(uri);  // a connection of its own, as another process
    for (int i = 0; i < kPerWriter; ++i) {
      const int id = writer * 1000 + i + 1;
      stores.traces->log_spans(exp, three_spans(id, id));
      stores.traces->start_trace(final_info(id, exp, id));
    }
  };
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      write(3);
      ::_exit(0);
    } catch (...) {
      ::_exit(1);
    }
  }
  std::thread a(write, 1);
  std::thread b(write, 2);
  a.join();
  b.join();
  int status = -1;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(status, 0);
  auto stores = make_sqlite_stores(uri);
  EXPECT_EQ(stores.traces->search_traces({exp}, "", 1000, {}, "").items.size(), 3u * kPerWriter);
  EXPECT_EQ(stores.traces->search_traces({exp}, "span.name = 'tool'", 1000, {}, "").items.size(),
            3u * kPerWriter);
}

// The embedded backend's bundle holds this store: fluent spans on a sqlite:/// URI are exported
// into the file and read back through MlflowClient, as on a server.
TEST(SqliteTraceStore, FluentSpansOnAnEmbeddedUriAreStoredAndReadBack) {
  const std::string dir = testing::make_temp_dir("mlflow-trace-fluent");
  const std::string uri = "sqlite:///" + dir + "/mlflow.db";
  set_tracking_uri(uri);
  std::string trace_id;
  {
    ActiveSpan root = start_span("agent", SpanType::kAgent);
    root.set_inputs(JsonValue({{"question", "why?"}}));
    {
      ActiveSpan llm = start_span("generate", SpanType::kLlm);
      llm.set_outputs(JsonValue("because"));
    }
    trace_id = root.trace_id();
  }
  EXPECT_TRUE(flush_trace_async_logging(std::chrono::seconds(30)));
  const Trace trace = MlflowClient(uri).get_trace(trace_id);
  EXPECT_EQ(trace.info.state, TraceState::kOk);
  ASSERT_EQ(trace.data.spans.size(), 2u);
  EXPECT_EQ(trace.data.spans[0].name, "agent");
  EXPECT_EQ(trace.data.spans[1].name, "generate");
  EXPECT_EQ(trace.data.spans[1].parent_id, trace.data.spans[0].span_id);
  EXPECT_EQ(trace.info.request_preview, std::optional<std::string>(R"({"question": "why?"})"));
}

}  // namespace
}  // namespace mlflow::internal
