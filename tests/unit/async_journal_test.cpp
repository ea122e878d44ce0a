// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The asynchronous logging journal (ADR 0026) on the embedded store: what a logger journals
// and marks, replay of what a finished process left (delivered, refused for good, sent once),
// and the files it refuses (foreign, damaged) without changing them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "mlflow/mlflow.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using testing::ThrowsMlflow;

struct Embedded {
  std::string dir = testing::make_temp_dir("journal-unit");
  std::string uri = "sqlite:///" + dir + "/mlflow.db";
  std::string journal = dir + "/async.journal";
  MlflowClient client{uri};
  std::string run_id = client.create_run(client.create_experiment("j")).info.run_id;
};

// A journal as a killed process on `uri` leaves it: its session's pid is gone.
std::string killed_process_journal(const std::string& uri, const std::string& run_id) {
  return "{\"format\":\"mlflow-cpp-async-journal\",\"version\":1}\n"
         "{\"session\":\"s1\",\"uri\":\"" +
         uri +
         "\",\"host\":\"elsewhere\",\"pid\":1}\n"
         "{\"s\":\"s1\",\"l\":0,\"n\":1,\"r\":\"" +
         run_id +
         "\",\"k\":\"m\",\"key\":\"loss\",\"v\":0.25,\"ts\":1000,\"step\":0}\n"
         "{\"s\":\"s1\",\"l\":0,\"n\":2,\"r\":\"" +
         run_id +
         "\",\"k\":\"m\",\"key\":\"loss\",\"v\":\"NaN\",\"ts\":1001,\"step\":1}\n"
         "{\"s\":\"s1\",\"l\":1,\"n\":1,\"r\":\"" +
         run_id +
         "\",\"k\":\"p\",\"key\":\"lr\",\"v\":\"0.1\"}\n"
         "{\"s\":\"s1\",\"l\":1,\"n\":2,\"r\":\"" +
         run_id + "\",\"k\":\"t\",\"key\":\"phase\",\"v\":\"train\"}\n";
}

TEST(AsyncJournal, ALoggerJournalsEveryEntryAndMarksWhatWasStored) {
  Embedded e;
  AsyncLoggingOptions options;
  options.journal = e.journal;
  e.client.set_async_logging_options(options);
  LogMetricOptions m;
  m.synchronous = false;
  for (int i = 0; i < 500; ++i) {
    m.step = i;
    e.client.log_metric(e.run_id, "loss", i, m);
  }
  LogParamOptions p;
  p.synchronous = false;
  e.client.log_param(e.run_id, "lr", "0.1", p);
  e.client.flush_async_logging();
  const AsyncJournalStatus s = async_journal_status(e.journal);
  EXPECT_EQ(s.accepted.metrics, 500u);
  EXPECT_EQ(s.accepted.params, 1u);
  EXPECT_EQ(s.delivered.total(), 501u);
  EXPECT_EQ(s.pending.total(), 0u);
  EXPECT_EQ(s.live_sessions, 1u);
  // Changing the journal of a running logger is refused.
  options.journal = e.dir + "/other.journal";
  EXPECT_THAT([&] { e.client.set_async_logging_options(options); },
              ThrowsMlflow(ErrorCode::kInvalidState));
}

TEST(AsyncJournal, TheEnvironmentVariableTurnsItOn) {
  Embedded e;
  testing::ScopedEnv env({{"MLFLOW_CPP_ASYNC_JOURNAL", e.journal}});
  MlflowClient client(e.uri);
  LogMetricOptions m;
  m.synchronous = false;
  client.log_metric(e.run_id, "loss", 1, m);
  client.flush_async_logging();
  EXPECT_EQ(async_journal_status(e.journal).delivered.metrics, 1u);
}

TEST(AsyncJournal, ReplayDeliversWhatAKilledProcessLeftOnceAndRefusesAnUnknownRunForGood) {
  Embedded e;
  // A second killed process, logging to a run the store does not have.
  std::string second = killed_process_journal(e.uri, "0123456789abcdef0123456789abcdef");
  second = second.substr(second.find('\n') + 1);
  for (std::size_t at = 0; (at = second.find("\"s1\"", at)) != std::string::npos;) {
    second.replace(at, 4, "\"s2\"");
  }
  testing::write_file(e.journal, killed_process_journal(e.uri, e.run_id) + second);

  const AsyncJournalStatus before = async_journal_status(e.journal);
  EXPECT_EQ(before.pending.total(), 8u);
  EXPECT_EQ(before.live_sessions, 0u);
  EXPECT_EQ(before.pending_tracking_uris, std::vector<std::string>{e.uri});

  const AsyncJournalReplayResult r = replay_async_journal(e.journal);
  EXPECT_EQ(r.delivered.total(), 4u);
  EXPECT_EQ(r.refused.total(), 4u);
  EXPECT_EQ(r.left.total(), 0u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].run_id, "0123456789abcdef0123456789abcdef");

  const std::vector<Metric> history = e.client.get_metric_history(e.run_id, "loss");
  ASSERT_EQ(history.size(), 2u);
  const mlflow::Run run = e.client.get_run(e.run_id);
  EXPECT_EQ(run.data.params.at("lr"), "0.1");
  EXPECT_EQ(run.data.tags.at("phase"), "train");

  // Marked: a second replay sends nothing; the refused entries stay counted as refused.
  const AsyncJournalStatus after = async_journal_status(e.journal);
  EXPECT_EQ(after.pending.total(), 0u);
  EXPECT_EQ(after.delivered.total(), 4u);
  EXPECT_EQ(after.refused.total(), 4u);
  EXPECT_EQ(replay_async_journal(e.journal).delivered.total(), 0u);
  EXPECT_EQ(e.client.get_metric_history(e.run_id, "loss").size(), 2u);
}

TEST(AsyncJournal, ADeliveredButUnmarkedEntryIsStoredOnceWhenSentAgain) {
  Embedded e;
  testing::write_file(e.journal, killed_process_journal(e.uri, e.run_id));
  replay_async_journal(e.journal);
  // Lose the marks (a process killed after the store took the batch, before it marked it).
  testing::write_file(e.journal, killed_process_journal(e.uri, e.run_id));
  EXPECT_EQ(replay_async_journal(e.journal).delivered.total(), 4u);
  EXPECT_EQ(e.client.get_metric_history(e.run_id, "loss").size(), 2u);
}

TEST(AsyncJournal, AForeignFileIsRefusedAndLeftAsItWas) {
  Embedded e;
  const std::string foreign = "step,loss\n1,0.5\n";
  testing::write_file(e.journal, foreign);
  const auto refused = HasSubstr("is not a usable mlflow-cpp asynchronous logging journal");
  EXPECT_THAT([&] { async_journal_status(e.journal); },
              ThrowsMlflow(ErrorCode::kInvalidParameterValue, refused));
  EXPECT_THAT([&] { replay_async_journal(e.journal); },
              ThrowsMlflow(ErrorCode::kInvalidParameterValue, refused));
  AsyncLoggingOptions options;
  options.journal = e.journal;
  e.client.set_async_logging_options(options);
  LogMetricOptions m;
  m.synchronous = false;
  EXPECT_THAT([&] { e.client.log_metric(e.run_id, "loss", 1, m); },
              ThrowsMlflow(ErrorCode::kInvalidParameterValue, refused));
  EXPECT_EQ(testing::file_bytes(e.journal), foreign);
}

TEST(AsyncJournal, ADamagedLineIsRefusedByNumberAndACutShortLastLineIsIgnored) {
  Embedded e;
  std::string text = killed_process_journal(e.uri, e.run_id);
  // A killed writer's last line, cut short: never acknowledged, so not an error.
  testing::write_file(e.journal, text + "{\"s\":\"s1\",\"l\":0,\"n\":3,\"r\"");
  EXPECT_EQ(async_journal_status(e.journal).pending.total(), 4u);

  const std::string damaged = text.insert(text.find("{\"s\":\"s1\",\"l\":1"), "garbage\n");
  testing::write_file(e.journal, damaged);
  EXPECT_THAT([&] { replay_async_journal(e.journal); },
              ThrowsMlflow(ErrorCode::kInvalidParameterValue, HasSubstr("line 5 is not JSON")));
  EXPECT_EQ(testing::file_bytes(e.journal), damaged);
  EXPECT_TRUE(e.client.get_metric_history(e.run_id, "loss").empty());
}

}  // namespace
}  // namespace mlflow
