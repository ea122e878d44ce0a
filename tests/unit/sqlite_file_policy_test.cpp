// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// How the embedded store treats the files it opens (ADR 0015): a database it creates is WAL,
// an existing file keeps its journal mode, a file it may not write is read (not changed) and
// writes to it fail saying why, and a locked database fails after one configured wait.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "mlflow/errors.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/read_only_view.hpp"
#include "support/sqlite_file.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

Metric point(double value, std::int64_t step) {
  Metric m;
  m.key = "loss";
  m.value = value;
  m.timestamp = 1000 + step;
  m.step = step;
  return m;
}

struct Logged {
  std::string experiment_id;
  std::string run_id;
};

// An experiment, a run with 5 loss points and a registered model with one version.
Logged fill(const std::string& uri) {
  const SqliteStores stores = make_sqlite_stores(uri);
  Logged out;
  out.experiment_id = stores.tracking->create_experiment("ro", std::nullopt, {});
  CreateRunRequest run;
  run.experiment_id = out.experiment_id;
  run.start_time = 1;
  out.run_id = stores.tracking->create_run(run).info.run_id;
  std::vector<Metric> points;
  for (int i = 0; i < 5; ++i) points.push_back(point(1.0 / (i + 1), i));
  stores.tracking->log_batch(out.run_id, points, {}, {});
  stores.registry->create_registered_model("ro-model", {}, std::nullopt);
  CreateModelVersionRequest version;
  version.name = "ro-model";
  version.source = "runs:/" + out.run_id + "/model";
  stores.registry->create_model_version(version);
  return out;
}

TEST(SqliteFilePolicy, ADatabaseWeCreateIsWal) {
  const std::string dir = testing::make_temp_dir("sqlite-policy-new");
  { make_sqlite_stores("sqlite:///" + dir + "/new.db"); }
  EXPECT_EQ(testing::recorded_journal_mode(dir + "/new.db"), "wal");
}

TEST(SqliteFilePolicy, AnExistingFileKeepsItsJournalMode) {
  const std::string dir = testing::make_temp_dir("sqlite-policy-keep");
  const std::string path = dir + "/user.db";
  const Logged logged = fill("sqlite:///" + path);
  raw_exec(path, "PRAGMA journal_mode = DELETE");  // the user's choice
  ASSERT_EQ(testing::recorded_journal_mode(path), "rollback");
  {
    const SqliteStores stores = make_sqlite_stores("sqlite:///" + path);
    stores.tracking->log_batch(logged.run_id, {point(0.01, 5)}, {{"lr", "0.1"}}, {});
    stores.registry->set_registered_model_tag("ro-model", {"k", "v"});
    EXPECT_EQ(stores.tracking->get_metric_history_page(logged.run_id, "loss", 0, "").size(), 6u);
  }
  EXPECT_EQ(testing::recorded_journal_mode(path), "rollback");
  EXPECT_THAT(testing::sqlite_sidecar_files(path), ::testing::IsEmpty());
}

// Reads `uri` (a file the reader may not write) through all four stores; "" when every
// check passed.
std::string read_and_try_to_write(const std::string& uri, const Logged& logged) {
  std::ostringstream failures;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) failures << what << "; ";
  };
  const SqliteStores stores = make_sqlite_stores(uri);
  SearchRunsOptions search;
  search.filter_string = "metrics.loss < 1";
  const PagedList<Run> runs = stores.tracking->search_runs({logged.experiment_id}, search);
  check(runs.size() == 1 && runs[0].info.run_id == logged.run_id, "search_runs");
  check(stores.tracking->get_run(logged.run_id).data.metrics.at("loss") == 0.2, "get_run");
  check(stores.tracking->get_metric_history_page(logged.run_id, "loss", 0, "").size() == 5,
        "get_metric_history");
  check(stores.registry->get_registered_model("ro-model").latest_versions.size() == 1,
        "get_registered_model");
  check(stores.registry->search_model_versions({}).size() == 1, "search_model_versions");
  check(stores.workspaces->list_workspaces().size() == 1, "list_workspaces");
  try {
    stores.tracking->log_batch(logged.run_id, {point(0.5, 9)}, {}, {});
    check(false, "log_batch was not refused");
  } catch (const MlflowException& e) {
    const std::string what = e.what();
    check(e.error_code() == ErrorCode::kPermissionDenied, "log_batch: code " + what);
    check(what.find("read-only") != std::string::npos, "log_batch: no cause in: " + what);
    check(what.find("writable location") != std::string::npos, "log_batch: no fix in: " + what);
  }
  try {
    stores.registry->create_registered_model("another", {}, std::nullopt);
    check(false, "create_registered_model was not refused");
  } catch (const MlflowException& e) {
    check(e.error_code() == ErrorCode::kPermissionDenied,
          std::string("create_registered_model: ") + e.what());
  }
  return failures.str();
}

void expect_read_only_use_works(const std::string& journal_mode) {
  const std::string dir = testing::make_temp_dir("sqlite-policy-ro");
  const std::string src = dir + "/src";
  fs::create_directories(src);
  const Logged logged = fill("sqlite:///" + src + "/x.db");
  if (journal_mode == "rollback") raw_exec(src + "/x.db", "PRAGMA journal_mode = DELETE");
  ASSERT_EQ(testing::recorded_journal_mode(src + "/x.db"), journal_mode);
  const std::string before = testing::file_bytes(src + "/x.db");
  {
    testing::ReadOnlyView view(src);
    SCOPED_TRACE(view.describe());
    const std::string uri = "sqlite:///" + view.path() + "/x.db";
    if (journal_mode == "wal" && !view.bind_mounted()) {
      // A WAL file in a directory the reader may not write cannot be read by SQLite at all
      // (it needs its -shm file); the refusal says so and how to change the file.
      const std::string failure = view.run_reader([&]() -> std::string {
        try {
          make_sqlite_stores(uri);
          return "opened";
        } catch (const MlflowException& e) {
          const std::string what = e.what();
          return e.error_code() == ErrorCode::kPermissionDenied &&
                         what.find("PRAGMA journal_mode=DELETE") != std::string::npos
                     ? ""
                     : what;
        }
      });
      EXPECT_EQ(failure, "");
    } else {
      EXPECT_EQ(view.run_reader([&] { return read_and_try_to_write(uri, logged); }), "");
    }
  }
  EXPECT_EQ(testing::file_bytes(src + "/x.db"), before) << "the file we only read was changed";
  EXPECT_EQ(testing::recorded_journal_mode(src + "/x.db"), journal_mode);
  EXPECT_THAT(testing::sqlite_sidecar_files(src + "/x.db"), ::testing::IsEmpty());
}

TEST(SqliteFilePolicy, ARollbackJournalFileWeMayNotWriteIsReadAndNotChanged) {
  expect_read_only_use_works("rollback");
}

TEST(SqliteFilePolicy, AWalFileWeMayNotWriteIsReadAndNotChanged) {
  expect_read_only_use_works("wal");
}

TEST(SqliteLockWait, ALockedDatabaseFailsAfterTheConfiguredWait) {
  const std::string dir = testing::make_temp_dir("sqlite-policy-lock");
  const std::string path = dir + "/locked.db";
  const Logged logged = fill("sqlite:///" + path);
  const SqliteStores stores = make_sqlite_stores("sqlite:///" + path + "?timeout=0.5");

  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  try {
    stores.tracking->log_batch(logged.run_id, {point(0.5, 7)}, {}, {});
    ADD_FAILURE() << "a write went through while another connection held the lock";
  } catch (const MlflowException& e) {
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(e.error_code(), ErrorCode::kTemporarilyUnavailable);
    EXPECT_THAT(e.what(), HasSubstr("database is locked"));
    EXPECT_THAT(e.what(), HasSubstr("0.5 s"));
    EXPECT_THAT(e.what(), HasSubstr("?timeout=<seconds>"));
    // It waited (one wait of 0.5 s), and not more than twice that plus scheduling slack: a
    // bound on a hang, not a performance figure.
    EXPECT_GE(waited, 0.45);
    EXPECT_LT(waited, 2 * 0.5 + 1.5);
  }
  // WAL readers are not blocked by the writer's lock.
  EXPECT_EQ(stores.tracking->get_run(logged.run_id).data.metrics.at("loss"), 0.2);
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  stores.tracking->log_batch(logged.run_id, {point(0.5, 7)}, {}, {});
  EXPECT_EQ(stores.tracking->get_metric_history_page(logged.run_id, "loss", 0, "").size(), 6u);
}

TEST(SqliteLockWait, TheUrisTimeoutIsSecondsAsPythonsSqlite3TakesIt) {
  EXPECT_EQ(sqlite_lock_timeout_from_uri("sqlite:///x.db"), std::nullopt);
  EXPECT_EQ(sqlite_lock_timeout_from_uri("sqlite:///x.db?timeout=2.5"),
            std::chrono::milliseconds(2500));
  EXPECT_EQ(sqlite_lock_timeout_from_uri("sqlite:///x.db?mode=ro&timeout= 1 "),
            std::chrono::milliseconds(1000));
  EXPECT_EQ(sqlite_lock_timeout_from_uri("sqlite:///x.db?timeout=-3"),
            std::chrono::milliseconds(0));
  for (const char* bad : {"sqlite:///x.db?timeout=abc", "sqlite:///x.db?timeout=",
                          "sqlite:///x.db?timeout=5s", "sqlite:///x.db?timeout=inf"}) {
    EXPECT_THROW(sqlite_lock_timeout_from_uri(bad), InvalidArgument) << bad;
  }
  // The query string is not part of the file name.
  EXPECT_EQ(sqlite_path_from_uri("sqlite:////tmp/x.db?timeout=1"), "/tmp/x.db");
}

}  // namespace
}  // namespace mlflow::internal
