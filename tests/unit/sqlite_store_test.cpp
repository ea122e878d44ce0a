// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The embedded SQLite store: MLflow SQL-store semantics on :memory: and on files, and the
// opening policy of ADR 0005.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/schema.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/builders.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::shared_ptr<TrackingStore> memory_store() {
  return make_sqlite_tracking_store("sqlite:///:memory:");
}

CreateRunRequest run_request(const std::string& experiment_id) {
  CreateRunRequest r;
  r.experiment_id = experiment_id;
  r.user_id = "tester";
  r.start_time = 1000;
  return r;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs one query on a file with the raw C API and returns the rows as "a|b|c" strings.
std::vector<std::string> query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  std::vector<std::string> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      if (i) row += "|";
      const auto* t = sqlite3_column_text(st, i);
      row += t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

void exec_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

using testing::expect_mlflow_error;

// ---------------------------------------------------------------- ids

TEST(SqliteIds, Uuid4HexIsLowercaseVersion4) {
  std::set<std::string> seen;
  const std::regex shape("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
  for (int i = 0; i < 1000; ++i) {
    const std::string id = uuid4_hex();
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SqliteIds, RandomRunNameHasMlflowShape) {
  const std::regex shape("[a-z]+-[a-z]+-(\\d{1,4})");
  for (int i = 0; i < 200; ++i) {
    const std::string name = random_run_name();
    std::smatch m;
    ASSERT_TRUE(std::regex_match(name, m, shape)) << name;
    EXPECT_LE(name.size(), 20u);
    EXPECT_LE(std::stoi(m[1]), 1000);
  }
}

// ---------------------------------------------------------------- URIs and opening

TEST(SqliteUri, ResolvesRelativeAbsoluteAndMemory) {
  EXPECT_EQ(sqlite_path_from_uri("sqlite:///:memory:"), ":memory:");
  EXPECT_EQ(sqlite_path_from_uri("sqlite://"), ":memory:");
  EXPECT_EQ(sqlite_path_from_uri("sqlite:////tmp/x/y.db"), "/tmp/x/y.db");
  EXPECT_EQ(sqlite_path_from_uri("sqlite:///rel/y.db"), (fs::current_path() / "rel/y.db").string());
  expect_mlflow_error([] { sqlite_path_from_uri("http://localhost:5000"); },
                      ErrorCode::kInvalidParameterValue);
  expect_mlflow_error([] { sqlite_path_from_uri("sqlite://host/x.db"); },
                      ErrorCode::kInvalidParameterValue);
}

TEST(SqliteOpen, NewFileGetsSchemaWorkspaceAndDefaultExperiment) {
  const std::string dir = testing::make_temp_dir("sqlite-open");
  const std::string path = dir + "/nested/deeper/mlflow.db";
  auto store = make_sqlite_tracking_store("sqlite:///" + path);  // creates parent dirs
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(query(path, "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{sqlite::schema_head_revision()});
  EXPECT_EQ(query(path, "SELECT name, description, default_artifact_root FROM workspaces"),
            std::vector<std::string>{"default|Default workspace for legacy resources|NULL"});
  EXPECT_EQ(query(path, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  const Experiment def = store->get_experiment("0");
  EXPECT_EQ(def.name, "Default");
  EXPECT_EQ(def.lifecycle_stage, "active");
  EXPECT_EQ(def.artifact_location, (fs::current_path() / "mlruns" / "0").string());
  EXPECT_TRUE(def.creation_time.has_value());
  EXPECT_EQ(def.creation_time, def.last_update_time);
  // Every statement of the generated schema exists in the file.
  EXPECT_EQ(query(path, "SELECT count(*) FROM sqlite_master WHERE sql IS NOT NULL"),
            std::vector<std::string>{std::to_string(sqlite::schema_statements().size())});
}

TEST(SqliteOpen, ReopenKeepsDataAndEmptyFileIsInitialised) {
  const std::string dir = testing::make_temp_dir("sqlite-reopen");
  const std::string path = dir + "/m.db";
  { std::ofstream(path).flush(); }  // zero-byte file counts as new
  std::string id;
  {
    auto store = make_sqlite_tracking_store("sqlite:///" + path);
    id = store->create_experiment("kept", std::nullopt, {});
  }
  auto again = make_sqlite_tracking_store("sqlite:///" + path);
  EXPECT_EQ(again->get_experiment(id).name, "kept");
  EXPECT_EQ(query(path, "SELECT count(*) FROM experiments WHERE experiment_id = 0"),
            std::vector<std::string>{"1"});
}

TEST(SqliteOpen, GarbageFileIsRefusedAndUntouched) {
  const std::string path = testing::make_temp_dir("sqlite-garbage") + "/g.db";
  { std::ofstream(path, std::ios::binary) << "this is not a database at all, just text\n"; }
  const std::string before = read_bytes(path);
  const auto e = expect_mlflow_error([&] { make_sqlite_tracking_store("sqlite:///" + path); },
                                     ErrorCode::kInvalidParameterValue);
  EXPECT_THAT(e.what(), HasSubstr("not a SQLite database"));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(SqliteOpen, ForeignSqliteFileIsRefusedAndUntouched) {
  const std::string dir = testing::make_temp_dir("sqlite-foreign");
  const std::string path = dir + "/foreign.db";
  exec_raw(path, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');");
  const std::string before = read_bytes(path);
  const auto e = expect_mlflow_error([&] { make_sqlite_tracking_store("sqlite:///" + path); },
                                     ErrorCode::kInvalidParameterValue);
  EXPECT_THAT(e.what(), HasSubstr("not an MLflow tracking database"));
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(fs::exists(path + "-wal"));
}

TEST(SqliteOpen, OlderAndUnknownRevisionsAreRefusedUntouched) {
  const std::string dir = testing::make_temp_dir("sqlite-rev");
  const std::string path = dir + "/old.db";
  { make_sqlite_tracking_store("sqlite:///" + path); }
  // A revision MLflow 3.18 ships as an older migration (the 3.3-era head).
  exec_raw(path,
           "PRAGMA journal_mode=DELETE; UPDATE alembic_version SET version_num = "
           "'534353b11cbc'");
  std::string before = read_bytes(path);
  auto e = expect_mlflow_error([&] { make_sqlite_tracking_store("sqlite:///" + path); },
                               ErrorCode::kInvalidState);
  EXPECT_THAT(e.what(), HasSubstr("mlflow db upgrade sqlite:///" + path));
  EXPECT_THAT(e.what(), HasSubstr("534353b11cbc"));
  EXPECT_EQ(read_bytes(path), before);

  exec_raw(path, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
  before = read_bytes(path);
  e = expect_mlflow_error([&] { make_sqlite_tracking_store("sqlite:///" + path); },
                          ErrorCode::kInvalidState);
  EXPECT_THAT(e.what(), HasSubstr("ffffffffffff"));
  EXPECT_THAT(e.what(), HasSubstr(sqlite::schema_head_revision()));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(SqliteOpen, MemoryStoresArePrivate) {
  auto a = memory_store();
  auto b = memory_store();
  a->create_experiment("only-in-a", std::nullopt, {});
  EXPECT_TRUE(a->get_experiment_by_name("only-in-a").has_value());
  EXPECT_FALSE(b->get_experiment_by_name("only-in-a").has_value());
}

// ---------------------------------------------------------------- experiments

TEST(SqliteExperiments, CreateGetAndErrors) {
  auto s = memory_store();
  const std::string id1 = s->create_experiment("one", std::nullopt, {{"team", "x"}});
  const std::string id2 = s->create_experiment("two", std::string("/custom/place"), {});
  EXPECT_EQ(id1, "1");
  EXPECT_EQ(id2, "2");
  const Experiment e1 = s->get_experiment(id1);
  EXPECT_EQ(e1.name, "one");
  EXPECT_EQ(e1.artifact_location, (fs::current_path() / "mlruns" / "1").string());
  EXPECT_EQ(e1.tags.at("team"), "x");
  EXPECT_EQ(e1.lifecycle_stage, "active");
  EXPECT_EQ(s->get_experiment(id2).artifact_location, "/custom/place");

  auto e = expect_mlflow_error([&] { s->create_experiment("one", std::nullopt, {}); },
                               ErrorCode::kResourceAlreadyExists);
  EXPECT_THAT(e.what(), HasSubstr("Experiment(name=one) already exists."));
  EXPECT_THROW(s->create_experiment("one", std::nullopt, {}), AlreadyExists);
  e = expect_mlflow_error([&] { s->get_experiment("42"); }, ErrorCode::kResourceDoesNotExist);
  EXPECT_STREQ(e.what(), "No Experiment with id=42 exists");
  e = expect_mlflow_error([&] { s->get_experiment("abc"); }, ErrorCode::kInvalidParameterValue);
  EXPECT_STREQ(e.what(), "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.");

  ASSERT_TRUE(s->get_experiment_by_name("two").has_value());
  EXPECT_EQ(s->get_experiment_by_name("two")->experiment_id, "2");
  EXPECT_FALSE(s->get_experiment_by_name("nope").has_value());
}

TEST(SqliteExperiments, RenameDeleteRestoreCascadeToRuns) {
  auto s = memory_store();
  const std::string id = s->create_experiment("exp", std::nullopt, {});
  const mlflow::Run run = s->create_run(run_request(id));
  s->create_experiment("taken", std::nullopt, {});
  expect_mlflow_error([&] { s->rename_experiment(id, "taken"); },
                      ErrorCode::kResourceAlreadyExists);
  s->rename_experiment(id, "renamed");
  EXPECT_EQ(s->get_experiment(id).name, "renamed");

  s->delete_experiment(id);
  EXPECT_EQ(s->get_experiment(id).lifecycle_stage, "deleted");
  EXPECT_EQ(s->get_run(run.info.run_id).info.lifecycle_stage, "deleted");
  // Deleting twice: the experiment is not active any more.
  expect_mlflow_error([&] { s->delete_experiment(id); }, ErrorCode::kResourceDoesNotExist);
  auto e = expect_mlflow_error([&] { s->rename_experiment(id, "x"); }, ErrorCode::kInvalidState);
  EXPECT_STREQ(e.what(), "Cannot rename a non-active experiment.");
  e = expect_mlflow_error([&] { s->create_run(run_request(id)); },
                          ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(std::string(e.what()),
            "The experiment " + id + " must be in the 'active' state. Current state is deleted.");

  s->restore_experiment(id);
  EXPECT_EQ(s->get_experiment(id).lifecycle_stage, "active");
  EXPECT_EQ(s->get_run(run.info.run_id).info.lifecycle_stage, "active");
  expect_mlflow_error([&] { s->restore_experiment(id); }, ErrorCode::kResourceDoesNotExist);
}

TEST(SqliteExperiments, DeleteSetsRunDeletedTimeOnFile) {
  const std::string path = testing::make_temp_dir("sqlite-deltime") + "/d.db";
  auto s = make_sqlite_tracking_store("sqlite:///" + path);
  const std::string id = s->create_experiment("exp", std::nullopt, {});
  const mlflow::Run run = s->create_run(run_request(id));
  s->delete_experiment(id);
  EXPECT_EQ(query(path, "SELECT count(*) FROM runs WHERE deleted_time IS NOT NULL"),
            std::vector<std::string>{"1"});
  s->restore_experiment(id);
  EXPECT_EQ(query(path,
                  "SELECT count(*) FROM runs WHERE deleted_time IS NULL AND "
                  "lifecycle_stage = 'active'"),
            std::vector<std::string>{"1"});
}

TEST(SqliteExperiments, Tags) {
  auto s = memory_store();
  const std::string id = s->create_experiment("exp", std::nullopt, {});
  s->set_experiment_tag(id, {"k", "v1"});
  s->set_experiment_tag(id, {"k", "v2"});
  EXPECT_EQ(s->get_experiment(id).tags.at("k"), "v2");
  s->delete_experiment_tag(id, "k");
  EXPECT_TRUE(s->get_experiment(id).tags.empty());
  const auto e = expect_mlflow_error([&] { s->delete_experiment_tag(id, "k"); },
                                     ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(std::string(e.what()), "No tag with name: k in experiment with id " + id);
  expect_mlflow_error(
      [&] {
        s->set_experiment_tag("77", {"k", "v"});
      },
      ErrorCode::kResourceDoesNotExist);
}

// ---------------------------------------------------------------- runs

TEST(SqliteRuns, CreateRunDefaults) {
  auto s = memory_store();
  const std::string id = s->create_experiment("exp", std::nullopt, {});
  CreateRunRequest req = run_request(id);
  req.tags = {{"a", "b"}};
  const mlflow::Run run = s->create_run(req);
  EXPECT_TRUE(std::regex_match(run.info.run_id, std::regex("[0-9a-f]{32}")));
  EXPECT_EQ(run.info.experiment_id, id);
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_EQ(run.info.user_id, "tester");
  EXPECT_EQ(run.info.start_time, 1000);
  EXPECT_FALSE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.lifecycle_stage, "active");
  EXPECT_EQ(run.info.artifact_uri,
            s->get_experiment(id).artifact_location + "/" + run.info.run_id + "/artifacts");
  EXPECT_TRUE(std::regex_match(run.info.run_name, std::regex("[a-z]+-[a-z]+-\\d+")));
  EXPECT_EQ(run.data.tags.at("mlflow.runName"), run.info.run_name);
  EXPECT_EQ(run.data.tags.at("a"), "b");
  EXPECT_EQ(s->get_run(run.info.run_id).info.run_name, run.info.run_name);

  req.run_name = "named";
  EXPECT_EQ(s->create_run(req).info.run_name, "named");
  req.run_name.reset();
  req.tags = {{"mlflow.runName", "from-tag"}};
  EXPECT_EQ(s->create_run(req).info.run_name, "from-tag");
  req.run_name = "other";
  expect_mlflow_error([&] { s->create_run(req); }, ErrorCode::kInvalidParameterValue);

  const auto e = expect_mlflow_error([&] { s->get_run("0123456789abcdef0123456789abcdef"); },
                                     ErrorCode::kResourceDoesNotExist);
  EXPECT_STREQ(e.what(), "Run with id=0123456789abcdef0123456789abcdef not found");
  expect_mlflow_error([&] { s->create_run(run_request("99")); }, ErrorCode::kResourceDoesNotExist);
}

TEST(SqliteRuns, UpdateRunInfoAndRunNameTag) {
  auto s = memory_store();
  const mlflow::Run run = s->create_run(run_request("0"));
  const std::string rid = run.info.run_id;
  RunInfo info = s->update_run_info(rid, RunStatus::kFinished, 5000, std::string("new-name"));
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.end_time, 5000);
  EXPECT_EQ(info.run_name, "new-name");
  EXPECT_EQ(s->get_run(rid).data.tags.at("mlflow.runName"), "new-name");
  info = s->update_run_info(rid, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.run_name, "new-name");
  // The tag drives runs.name too.
  s->set_tag(rid, {"mlflow.runName", "via-tag"});
  EXPECT_EQ(s->get_run(rid).info.run_name, "via-tag");
}

TEST(SqliteRuns, DeleteRestoreAndWritesNeedActiveRun) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  s->delete_run(rid);
  EXPECT_EQ(s->get_run(rid).info.lifecycle_stage, "deleted");
  const auto e = expect_mlflow_error(
      [&] {
        s->log_param(rid, {"p", "1"});
      },
      ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(std::string(e.what()),
            "The run " + rid + " must be in the 'active' state. Current state is deleted.");
  expect_mlflow_error([&] { s->log_metric(rid, testing::metric_point("m", 1, 1, 1)); },
                      ErrorCode::kInvalidParameterValue);
  expect_mlflow_error([&] { s->set_tag(rid, {"t", "v"}); }, ErrorCode::kInvalidParameterValue);
  expect_mlflow_error(
      [&] { s->update_run_info(rid, RunStatus::kFailed, std::nullopt, std::nullopt); },
      ErrorCode::kInvalidParameterValue);
  s->restore_run(rid);
  EXPECT_EQ(s->get_run(rid).info.lifecycle_stage, "active");
  s->log_param(rid, {"p", "1"});
  expect_mlflow_error([&] { s->delete_run("ffffffffffffffffffffffffffffffff"); },
                      ErrorCode::kResourceDoesNotExist);
}

// ---------------------------------------------------------------- logging

TEST(SqliteLogging, LatestMetricFollowsStepTimestampValueOrder) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  auto latest = [&] {
    const mlflow::Run r = s->get_run(rid);
    EXPECT_EQ(r.data.latest_metrics.size(), 1u);
    return r.data.latest_metrics.at(0);
  };
  s->log_metric(rid, testing::metric_point("m", 5, 100, 2));
  s->log_metric(rid, testing::metric_point("m", 9, 999, 1));  // lower step: not latest
  EXPECT_EQ(latest().value, 5);
  s->log_metric(rid,
                testing::metric_point("m", 1, 50, 3));  // higher step wins despite older timestamp
  EXPECT_EQ(latest().value, 1);
  EXPECT_EQ(latest().step, 3);
  s->log_metric(rid, testing::metric_point("m", 0.5, 60, 3));  // same step, newer timestamp
  EXPECT_EQ(latest().value, 0.5);
  s->log_metric(rid, testing::metric_point("m", 0.7, 60, 3));  // same step & ts, greater value
  EXPECT_EQ(latest().value, 0.7);
  s->log_metric(rid, testing::metric_point("m", 0.6, 60, 3));  // smaller value: unchanged
  EXPECT_EQ(latest().value, 0.7);
  EXPECT_EQ(s->get_run(rid).data.metrics.at("m"), 0.7);
  // In one batch the greatest wins, whatever the order.
  s->log_batch(rid,
               {testing::metric_point("b", 3, 10, 7), testing::metric_point("b", 4, 10, 8),
                testing::metric_point("b", 1, 99, 2)},
               {}, {});
  EXPECT_EQ(s->get_run(rid).data.metrics.at("b"), 4);
}

TEST(SqliteLogging, NanAndInfinityEncodingAndDuplicates) {
  const std::string path = testing::make_temp_dir("sqlite-nan") + "/n.db";
  auto s = make_sqlite_tracking_store("sqlite:///" + path);
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  const double inf = std::numeric_limits<double>::infinity();
  s->log_metric(rid, testing::metric_point("nan", std::nan(""), 1, 0));
  s->log_metric(rid, testing::metric_point("pinf", inf, 1, 0));
  s->log_metric(rid, testing::metric_point("ninf", -inf, 1, 0));
  EXPECT_EQ(query(path, "SELECT key, value, is_nan FROM metrics ORDER BY key"),
            (std::vector<std::string>{"nan|0.0|1", "ninf|-1.79769313486232e+308|0",
                                      "pinf|1.79769313486232e+308|0"}));
  const mlflow::Run r = s->get_run(rid);
  EXPECT_TRUE(std::isnan(r.data.metrics.at("nan")));
  EXPECT_EQ(r.data.metrics.at("pinf"), std::numeric_limits<double>::max());
  EXPECT_EQ(r.data.metrics.at("ninf"), std::numeric_limits<double>::lowest());
  // Exact duplicates (also within a batch) are ignored; a different value is a new point.
  s->log_batch(rid, {testing::metric_point("d", 1, 5, 0), testing::metric_point("d", 1, 5, 0)}, {},
               {});
  s->log_metric(rid, testing::metric_point("d", 1, 5, 0));
  s->log_metric(rid, testing::metric_point("d", 2, 5, 0));
  EXPECT_EQ(s->get_metric_history_page(rid, "d", 100, "").items.size(), 2u);
  EXPECT_TRUE(std::isnan(s->get_metric_history_page(rid, "nan", 100, "").items.at(0).value));
}

TEST(SqliteLogging, ParamsAreImmutable) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  s->log_param(rid, {"lr", "0.1"});
  s->log_param(rid, {"lr", "0.1"});  // same value: no-op
  auto e = expect_mlflow_error(
      [&] {
        s->log_param(rid, {"lr", "0.2"});
      },
      ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(std::string(e.what()),
            "Changing param values is not allowed. Param with key='lr' was already logged with "
            "value='0.1' for run ID='" +
                rid + "'. Attempted logging new value '0.2'.");
  e = expect_mlflow_error(
      [&] {
        s->log_batch(rid, {}, {{"lr", "0.3"}, {"x", "1"}}, {});
      },
      ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(std::string(e.what()),
            "Changing param values is not allowed. Params were already logged='[{'key': 'lr', "
            "'old_value': '0.1', 'new_value': '0.3'}]' for run ID='" +
                rid + "'.");
  // The failed batch wrote nothing.
  EXPECT_EQ(s->get_run(rid).data.params.count("x"), 0u);
  EXPECT_EQ(s->get_run(rid).data.params.at("lr"), "0.1");
}

TEST(SqliteLogging, TagsUpsertAndDelete) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  s->set_tag(rid, {"t", "1"});
  s->log_batch(rid, {}, {}, {{"t", "2"}, {"u", "3"}});
  mlflow::Run r = s->get_run(rid);
  EXPECT_EQ(r.data.tags.at("t"), "2");
  EXPECT_EQ(r.data.tags.at("u"), "3");
  s->delete_tag(rid, "t");
  EXPECT_EQ(s->get_run(rid).data.tags.count("t"), 0u);
  const auto e =
      expect_mlflow_error([&] { s->delete_tag(rid, "t"); }, ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(std::string(e.what()), "No tag with name: t in run with id " + rid);
}

TEST(SqliteLogging, BatchOfThousandMetricsIsOneTransaction) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  std::vector<Metric> ms;
  for (int i = 0; i < 1000; ++i)
    ms.push_back(testing::metric_point("k" + std::to_string(i % 10), i, i, i));
  std::vector<Param> ps;
  for (int i = 0; i < 5; ++i) ps.push_back({"p" + std::to_string(i), "v"});
  s->log_batch(rid, ms, ps, {{"tag", "x"}});
  const mlflow::Run r = s->get_run(rid);
  EXPECT_EQ(r.data.metrics.size(), 10u);
  EXPECT_EQ(r.data.metrics.at("k9"), 999);
  EXPECT_EQ(r.data.params.size(), 5u);
  EXPECT_EQ(s->get_metric_history_page(rid, "k3", 0, "").items.size(), 100u);
  // A batch that fails half-way (param conflict after metrics were queued) leaves no trace.
  std::vector<Metric> more = {testing::metric_point("late", 1, 1, 1)};
  expect_mlflow_error(
      [&] {
        s->log_batch(rid, more, {{"p0", "changed"}}, {});
      },
      ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(s->get_run(rid).data.metrics.count("late"), 0u);
}

TEST(SqliteLogging, InputsAreDeduplicated) {
  auto s = memory_store();
  const std::string exp = s->create_experiment("d", std::nullopt, {});
  const std::string r1 = s->create_run(run_request(exp)).info.run_id;
  const std::string r2 = s->create_run(run_request(exp)).info.run_id;
  DatasetInput in;
  in.dataset = {"ds", "abc123", "local", "{\"uri\": \"/data\"}", std::string("{}"), std::nullopt};
  in.tags = {{"mlflow.data.context", "training"}};
  s->log_inputs(r1, {in, in}, {});
  s->log_inputs(r1, {in}, {{"m-0123"}});
  s->log_inputs(r2, {in}, {});
  const mlflow::Run got = s->get_run(r1);
  ASSERT_EQ(got.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(got.inputs.dataset_inputs[0], in);
  ASSERT_EQ(got.inputs.model_inputs.size(), 1u);
  EXPECT_EQ(got.inputs.model_inputs[0].model_id, "m-0123");
  EXPECT_EQ(s->get_run(r2).inputs.dataset_inputs.size(), 1u);
}

TEST(SqliteLogging, DatasetsAreSharedPerExperimentOnFile) {
  const std::string path = testing::make_temp_dir("sqlite-ds") + "/d.db";
  auto s = make_sqlite_tracking_store("sqlite:///" + path);
  const std::string r1 = s->create_run(run_request("0")).info.run_id;
  const std::string r2 = s->create_run(run_request("0")).info.run_id;
  DatasetInput in;
  in.dataset = {"ds", "d1", "local", "{}", std::nullopt, std::nullopt};
  s->log_inputs(r1, {in}, {});
  s->log_inputs(r2, {in}, {});
  s->log_inputs(r2, {in}, {});
  EXPECT_EQ(query(path, "SELECT count(*) FROM datasets"), std::vector<std::string>{"1"});
  EXPECT_EQ(query(path, "SELECT count(*) FROM inputs"), std::vector<std::string>{"2"});
}

// ---------------------------------------------------------------- history

TEST(SqliteHistory, PagedInTimestampStepValueOrder) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  std::vector<Metric> ms;
  for (int i = 0; i < 25; ++i) ms.push_back(testing::metric_point("loss", 25 - i, 1000 - i, i));
  s->log_batch(rid, ms, {}, {});
  std::vector<Metric> all;
  std::string token;
  int pages = 0;
  do {
    const PagedList<Metric> page = s->get_metric_history_page(rid, "loss", 10, token);
    all.insert(all.end(), page.items.begin(), page.items.end());
    token = page.token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), 25u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].timestamp, all[i].timestamp);
  EXPECT_EQ(all.front().step, 24);
  // MLflow's token format: base64 of {"offset": 10}.
  EXPECT_EQ(s->get_metric_history_page(rid, "loss", 10, "").token, "eyJvZmZzZXQiOiAxMH0=");
  expect_mlflow_error([&] { s->get_metric_history_page(rid, "loss", 10, "!!!"); },
                      ErrorCode::kInvalidParameterValue);
  // As MLflow's server: an unknown run has an empty history, not an error.
  EXPECT_TRUE(s->get_metric_history_page("nope", "loss", 10, "").items.empty());
  EXPECT_TRUE(s->get_metric_history_page(rid, "absent", 10, "").items.empty());
}

TEST(SqliteHistory, BulkIntervalSamplesKeepingEnds) {
  auto s = memory_store();
  const std::string r1 = s->create_run(run_request("0")).info.run_id;
  const std::string r2 = s->create_run(run_request("0")).info.run_id;
  std::vector<Metric> ms;
  for (int i = 0; i < 100; ++i) ms.push_back(testing::metric_point("m", i, i, i));
  s->log_batch(r1, ms, {}, {});
  s->log_batch(r2, {testing::metric_point("m", 1, 1, 1)}, {}, {});
  MetricHistoryBulkIntervalOptions o;
  o.max_results = 10;
  const std::vector<Metric> got = s->get_metric_history_bulk_interval({r1, r2}, "m", o);
  ASSERT_EQ(got.size(), 11u);
  // NTILE(10) over 100 rows: buckets start at 0, 10, ... 90; then the last (99) replaces 90.
  std::vector<std::int64_t> steps;
  for (std::size_t i = 0; i < 10; ++i) {
    steps.push_back(got[i].step);
    EXPECT_EQ(got[i].run_id, r1);
  }
  EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 10, 20, 30, 40, 50, 60, 70, 80, 99}));
  EXPECT_EQ(got[10].run_id, r2);

  o.start_step = 20;
  o.end_step = 29;
  o.max_results = 100;
  EXPECT_EQ(s->get_metric_history_bulk_interval({r1}, "m", o).size(), 10u);
  o.max_results = 1;
  const auto one = s->get_metric_history_bulk_interval({r1}, "m", o);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].step, 29);
  o.end_step.reset();
  expect_mlflow_error([&] { s->get_metric_history_bulk_interval({r1}, "m", o); },
                      ErrorCode::kInvalidParameterValue);
}

// ---------------------------------------------------------------- search

TEST(SqliteSearch, RunsFilterOrderPageAndView) {
  auto s = memory_store();
  const std::string exp = s->create_experiment("search", std::nullopt, {});
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    CreateRunRequest req = run_request(exp);
    req.start_time = 1000 + i;
    req.run_name = "run-" + std::to_string(i);
    const std::string rid = s->create_run(req).info.run_id;
    s->log_batch(rid, {testing::metric_point("acc", i * 0.1, 1, 0)},
                 {{"model", i % 2 ? "cnn" : "rnn"}}, {{"parity", i % 2 ? "odd" : "even"}});
    ids.push_back(rid);
  }
  SearchRunsOptions o;
  o.filter_string = "metrics.acc > 0.15 and params.model = 'cnn'";
  PagedList<mlflow::Run> page = s->search_runs({exp}, o);
  ASSERT_EQ(page.size(), 1u);  // cnn runs are 1 (acc 0.1) and 3 (acc 0.3)
  EXPECT_EQ(page[0].info.run_id, ids[3]);
  EXPECT_EQ(page[0].data.metrics.at("acc"), 0.30000000000000004);

  // Default order: start_time DESC; pages of 2 with MLflow tokens.
  o = SearchRunsOptions();
  o.max_results = 2;
  std::vector<std::string> order;
  do {
    page = s->search_runs({exp}, o);
    for (const auto& r : page) order.push_back(r.info.run_id);
    o.page_token = page.token;
  } while (!o.page_token.empty());
  EXPECT_EQ(order, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  o = SearchRunsOptions();
  o.order_by = {"metrics.acc ASC"};
  o.filter_string = "tags.parity = 'even'";
  page = s->search_runs({exp}, o);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].info.run_id, ids[0]);
  EXPECT_EQ(page[2].info.run_id, ids[4]);
  EXPECT_EQ(page[0].data.params.at("model"), "rnn");

  s->delete_run(ids[0]);
  o = SearchRunsOptions();
  EXPECT_EQ(s->search_runs({exp}, o).size(), 4u);
  o.run_view_type = ViewType::kDeletedOnly;
  ASSERT_EQ(s->search_runs({exp}, o).size(), 1u);
  o.run_view_type = ViewType::kAll;
  EXPECT_EQ(s->search_runs({exp}, o).size(), 5u);
  o.filter_string = "attributes.run_name = 'run-2'";
  ASSERT_EQ(s->search_runs({exp}, o).size(), 1u);
  EXPECT_EQ(s->search_runs({exp}, o)[0].info.run_id, ids[2]);

  o.filter_string = "metrics.acc >>> 1";
  expect_mlflow_error([&] { s->search_runs({exp}, o); }, ErrorCode::kInvalidParameterValue);
}

TEST(SqliteSearch, Experiments) {
  auto s = memory_store();
  s->create_experiment("alpha", std::nullopt, {{"team", "a"}});
  const std::string b = s->create_experiment("beta", std::nullopt, {{"team", "b"}});
  s->create_experiment("gamma", std::nullopt, {});
  SearchExperimentsOptions o;
  o.filter_string = "tags.team = 'b'";
  PagedList<Experiment> page = s->search_experiments(o);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].experiment_id, b);
  EXPECT_EQ(page[0].tags.at("team"), "b");

  o = SearchExperimentsOptions();
  o.max_results = 3;
  page = s->search_experiments(o);
  EXPECT_EQ(page.size(), 3u);
  EXPECT_TRUE(page.has_next_page());
  o.page_token = page.token;
  page = s->search_experiments(o);
  EXPECT_EQ(page.size(), 1u);  // 4 with Default
  EXPECT_FALSE(page.has_next_page());

  s->delete_experiment(b);
  o = SearchExperimentsOptions();
  o.filter_string = "name LIKE '%a'";
  o.order_by = {"name ASC"};
  page = s->search_experiments(o);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].name, "alpha");
  EXPECT_EQ(page[1].name, "gamma");
  o = SearchExperimentsOptions();
  o.view_type = ViewType::kDeletedOnly;
  page = s->search_experiments(o);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].name, "beta");
}

// ---------------------------------------------------------------- concurrency

TEST(SqliteConcurrency, ThreadsShareOneStore) {
  auto s = memory_store();
  const std::string rid = s->create_run(run_request("0")).info.run_id;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        s->log_metric(rid, testing::metric_point("t" + std::to_string(t), i, i, i));
        s->log_param(rid, {"p" + std::to_string(t) + "_" + std::to_string(i), "v"});
      }
    });
  }
  for (auto& th : threads) th.join();
  const mlflow::Run r = s->get_run(rid);
  EXPECT_EQ(r.data.metrics.size(), 8u);
  EXPECT_EQ(r.data.params.size(), 400u);
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(s->get_metric_history_page(rid, "t" + std::to_string(t), 0, "").items.size(), 50u);
  }
}

TEST(SqliteConcurrency, SeparateStoresOnOneFile) {
  // Each store has its own connection, as separate processes would.
  const std::string path = testing::make_temp_dir("sqlite-multi") + "/m.db";
  const std::string uri = "sqlite:///" + path;
  const std::string rid = make_sqlite_tracking_store(uri)->create_run(run_request("0")).info.run_id;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      try {
        auto s = make_sqlite_tracking_store(uri);
        for (int i = 0; i < 50; ++i) {
          s->log_metric(rid, testing::metric_point("w" + std::to_string(t), i, i, i));
          s->create_experiment("e" + std::to_string(t) + "_" + std::to_string(i), std::nullopt, {});
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(query(path, "SELECT count(*) FROM metrics"), std::vector<std::string>{"200"});
  EXPECT_EQ(query(path, "SELECT count(*) FROM experiments"), std::vector<std::string>{"201"});
}

}  // namespace
}  // namespace mlflow::internal
