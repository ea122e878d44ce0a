// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// No loss in trace export (issue 11, "must show" 5), against the real MLflow server through the
// fault proxy: traces of 5 spans exported while the server is down for 3 s all arrive, none
// twice; and a program exiting with the server gone ends within the exporter's exit deadline
// and reports, trace by trace, what it could not deliver. In the async test program (run under
// ThreadSanitizer by `make test`), whose main dispatches the child below.
//
// The issue asks for 10,000 traces: MLFLOW_TEST_NO_LOSS_TRACES=10000 runs that. The default is
// 1,000 because the server, not the client, sets the duration: it stores about 12-30 traces a
// second on the shared 2-core CI machine (one StartTraceV3 per trace, as Python sends): 2,000
// took 212 s there at load 10, and 10,000 would cost many minutes of `make test`'s budget.
// Measured 2026-12-08 (load 18-23, commit 7233413's exporter): 10,000 traces recorded in
// 1.38 s, all delivered once after 1,811 s (90 OTLP requests, 10,000 StartTraceV3, 20 resends
// through the outage); passed. A first run the same evening ran out of the then fixed 900 s
// flush bound with 7,384 delivered (none twice, none partial), hence the bound now grows with
// the count.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"
#include "tracing/provider.hpp"

namespace mlflow {

int child_trace_to_dead_server(const std::string& uri, const std::string& experiment_id, int traces,
                               int exit_timeout_ms);

namespace {

using Clock = std::chrono::steady_clock;

std::string server_db() {
  const char* dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  if (dir == nullptr) ADD_FAILURE() << "MLFLOW_TEST_SERVER_DIR is not set (run through ctest)";
  return std::string(dir == nullptr ? "" : dir) + "/mlflow.db";
}

// One integer answer of `sql` with `experiment_id` bound to ?1, read from the server's file.
long long query_count(const std::string& sql, const std::string& experiment_id) {
  sqlite3* db = nullptr;
  long long n = -1;
  if (sqlite3_open_v2(server_db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, experiment_id.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  if (n < 0) ADD_FAILURE() << "cannot query " << server_db() << ": " << sqlite3_errmsg(db);
  sqlite3_close(db);
  return n;
}

// One trace as an LLM service records it: a root and four children, with attributes.
void record_trace(int i) {
  auto root = start_span("request", SpanType::kChain);
  root.set_inputs({{"i", i}});
  for (int c = 0; c < 4; ++c) {
    auto child = start_span("step-" + std::to_string(c), SpanType::kLlm);
    child.set_attribute("index", c);
  }
  root.set_outputs({{"ok", true}});
}

int no_loss_traces() {
  const char* v = std::getenv("MLFLOW_TEST_NO_LOSS_TRACES");
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : 1000;
}

TEST(TraceExportNoLoss, TracesThroughAThreeSecondOutageAllArriveOnce) {
  const int kTraces = no_loss_traces();
  internal::reset_fluent_state();
  internal::tracing::reset_for_tests();
  testing::FaultProxy proxy(testing::server_uri());
  set_tracking_uri(proxy.url());
  const std::string experiment = set_experiment(testing::unique_name("no-loss")).experiment_id;
  std::atomic<int> given_up{0};
  TraceExportOptions options;
  options.on_error = [&](const TraceExportError&) { ++given_up; };
  set_trace_export_options(options);

  const auto start = Clock::now();
  for (int i = 0; i < kTraces; ++i) {
    if (i == kTraces / 5) proxy.go_down_for(std::chrono::seconds(3));
    record_trace(i);
  }
  const double recorded_s = std::chrono::duration<double>(Clock::now() - start).count();
  // A bound, not a measurement: the server stores as few as 8 traces a second on the loaded
  // CI machine, so a larger run gets longer.
  ASSERT_TRUE(flush_trace_async_logging(std::chrono::seconds(std::max(900, kTraces / 4))));
  const double delivered_s = std::chrono::duration<double>(Clock::now() - start).count();
  const TraceExportStats stats = trace_export_stats();
  std::printf(
      "[ measured ] %d traces of 5 spans recorded in %.2f s, all delivered after %.2f s "
      "(%llu OTLP requests, %llu StartTraceV3, %llu resends)\n",
      kTraces, recorded_s, delivered_s, static_cast<unsigned long long>(stats.otlp_requests),
      static_cast<unsigned long long>(stats.start_trace_requests),
      static_cast<unsigned long long>(stats.resends));
  EXPECT_EQ(given_up.load(), 0);
  EXPECT_EQ(stats.dropped_traces, 0u);
  EXPECT_EQ(stats.failed_traces, 0u);
  // The outage was felt and held through.
  EXPECT_GT(stats.resends, 0u);

  // What the server stored, read from its database: every trace once, each with its 5 spans
  // once (no span of one trace written under another, none missing, none extra).
  EXPECT_EQ(query_count("SELECT COUNT(*) FROM trace_info WHERE experiment_id = ?1", experiment),
            kTraces);
  EXPECT_EQ(query_count("SELECT COUNT(*) FROM spans WHERE experiment_id = ?1", experiment),
            5 * kTraces);
  EXPECT_EQ(query_count("SELECT COUNT(*) FROM (SELECT trace_id FROM spans WHERE experiment_id = "
                        "?1 GROUP BY trace_id HAVING COUNT(*) != 5 OR COUNT(DISTINCT name) != 5)",
                        experiment),
            0);
  EXPECT_EQ(query_count("SELECT COUNT(*) FROM trace_info WHERE experiment_id = ?1 AND status "
                        "!= 'OK'",
                        experiment),
            0);
  // And through the API: the search sees all of them.
  MlflowClient direct(testing::server_uri());
  SearchTracesOptions search;
  search.experiment_ids = {experiment};
  search.max_results = 500;
  search.include_spans = false;
  std::set<std::string> ids;
  for (const Trace& t : direct.search_traces_all(search)) ids.insert(t.info.trace_id);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kTraces));

  set_trace_export_options(TraceExportOptions{});
  set_tracking_uri("");
  internal::reset_fluent_state();
  internal::tracing::reset_for_tests();
}

TEST(TraceExportExit, ServerGoneTheProgramEndsWithinTheExitDeadlineAndReportsTheLostTraces) {
  constexpr int kTraces = 50;
  constexpr int kExitTimeoutMs = 2000;
  testing::FaultProxy proxy(testing::server_uri());
  const std::string experiment =
      MlflowClient(testing::server_uri()).create_experiment(testing::unique_name("exit"));
  proxy.go_down();  // the server is gone for the child: every connection is refused
  const auto start = Clock::now();
  const testing::CommandResult result = testing::run_command(
      testing::self_executable() + " --child-trace-to-dead-server " + proxy.url() + " " +
      experiment + " " + std::to_string(kTraces) + " " + std::to_string(kExitTimeoutMs) + " 2>&1");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("[ measured ] child with the server gone exited after %.2f s (exit timeout %d ms)\n",
              seconds, kExitTimeoutMs);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("RECORDED"), std::string::npos) << result.output;
  // Bounded by the exit deadline (not the 500 s retry timeout); the margin covers starting the
  // process on a loaded machine.
  EXPECT_LT(seconds, kExitTimeoutMs / 1000.0 + 15.0) << result.output;
  // Every trace reported once (the child records them while the server is gone and exits) through
  // on_error, as DEADLINE_EXCEEDED.
  std::set<std::string> lost;
  int reports = 0;
  for (std::size_t pos = result.output.find("LOST "); pos != std::string::npos;
       pos = result.output.find("LOST ", pos + 5)) {
    const std::size_t end = result.output.find('\n', pos);
    const std::string line = result.output.substr(pos + 5, end - pos - 5);
    ++reports;
    lost.insert(line.substr(0, line.find(' ')));
    EXPECT_NE(line.find("DEADLINE_EXCEEDED"), std::string::npos) << line;
  }
  EXPECT_EQ(lost.size(), static_cast<std::size_t>(kTraces)) << result.output;
  EXPECT_EQ(reports, kTraces) << result.output;
  // And through the SDK's log handler, counted.
  EXPECT_NE(result.output.find("LOG mlflow tracing: " + std::to_string(kTraces) +
                               " trace(s) were not delivered"),
            std::string::npos)
      << result.output;
}

}  // namespace

// The child: records `traces` traces to a server that refuses every connection and returns
// from main; the at-exit flush must give up at the exit deadline and report each trace.
int child_trace_to_dead_server(const std::string& uri, const std::string& experiment_id, int traces,
                               int exit_timeout_ms) {
  set_log_handler(
      [](LogLevel, const std::string& line) {
        std::printf("LOG %s\n", line.c_str());
        std::fflush(stdout);
      },
      LogLevel::kWarning);
  TraceExportOptions options;
  options.exit_timeout = std::chrono::milliseconds(exit_timeout_ms);
  options.on_error = [](const TraceExportError& e) {
    std::printf("LOST %s %s\n", e.trace_id.c_str(), error_code_name(e.code));
    std::fflush(stdout);
  };
  set_trace_export_options(options);
  set_tracking_uri(uri);
  // The destination without a request to the (gone) server.
  tracing::set_destination(experiment_id);
  for (int i = 0; i < traces; ++i) record_trace(i);
  std::printf("RECORDED %d\n", traces);
  std::fflush(stdout);
  return 0;
}

}  // namespace mlflow
