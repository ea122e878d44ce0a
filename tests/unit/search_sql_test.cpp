// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The search translator against a real SQLite database holding the same rows as a database
// that MLflow 3.18 itself wrote (same run ids), so every expected order below is the answer
// MLflow's MlflowClient("sqlite:///...").search_runs / search_experiments gave for it.
#include "sqlite/search_sql.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "sqlite/search_filter.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

using ::testing::HasSubstr;

const char* const kSchema = R"sql(
CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,
  last_update_time BIGINT, workspace VARCHAR(63) NOT NULL DEFAULT 'default');
CREATE TABLE experiment_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000),
  experiment_id INTEGER NOT NULL, PRIMARY KEY (key, experiment_id));
CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250),
  source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50),
  user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),
  experiment_id INTEGER, deleted_time BIGINT);
CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), run_uuid VARCHAR(32) NOT NULL,
  PRIMARY KEY (key, run_uuid));
CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid));
CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, step BIGINT NOT NULL DEFAULT '0', is_nan BOOLEAN NOT NULL
  DEFAULT '0', PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));
CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT,
  step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  PRIMARY KEY (key, run_uuid));
CREATE TABLE datasets (dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL,
  name VARCHAR(500) NOT NULL, digest VARCHAR(36) NOT NULL, dataset_source_type VARCHAR(36) NOT NULL,
  dataset_source TEXT NOT NULL, dataset_schema TEXT, dataset_profile TEXT,
  PRIMARY KEY (experiment_id, name, digest));
CREATE TABLE inputs (input_uuid VARCHAR(36) NOT NULL, source_type VARCHAR(36) NOT NULL,
  source_id VARCHAR(36) NOT NULL, destination_type VARCHAR(36) NOT NULL,
  destination_id VARCHAR(36) NOT NULL, step BIGINT NOT NULL DEFAULT '0',
  PRIMARY KEY (source_type, source_id, destination_type, destination_id));
CREATE TABLE input_tags (input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL,
  value VARCHAR(500) NOT NULL, PRIMARY KEY (input_uuid, name));
)sql";

// r1..r5 with MLflow's run ids; r2's acc is NaN (stored as 0, is_nan 1), r5 is deleted.
const char* const kSeed = R"sql(
INSERT INTO experiments VALUES (0,'Default','a/0','active',1795351592113,1795351592113,'default');
INSERT INTO experiments VALUES (1,'exp_b','a/1','active',1795351592130,1795351592130,'default');
INSERT INTO experiments VALUES (2,'exp_a','a/2','active',1795351592151,1795351592151,'default');
INSERT INTO experiments VALUES (3,'other_ws','a/3','active',1795351592199,1795351592199,'team');
INSERT INTO experiment_tags VALUES ('k','v',2);
INSERT INTO runs VALUES ('3b07c709e2fc44a08de162d405d6a1f7','r1','UNKNOWN','','','unknown','FINISHED',100,1000,'','active','a/1/3b07c709e2fc44a08de162d405d6a1f7/artifacts',1,NULL);
INSERT INTO runs VALUES ('8f7d2b666cc541ee8b9fc9ac578c69a5','r2','UNKNOWN','','','unknown','RUNNING',200,NULL,'','active','a/1/8f7d2b666cc541ee8b9fc9ac578c69a5/artifacts',1,NULL);
INSERT INTO runs VALUES ('f49ddd1806f44648b94e24c8c9d6ad4d','r3','UNKNOWN','','','unknown','RUNNING',300,NULL,'','active','a/1/f49ddd1806f44648b94e24c8c9d6ad4d/artifacts',1,NULL);
INSERT INTO runs VALUES ('1d663cd1f6df45a8a2fbd11945106ce9','r4','UNKNOWN','','','unknown','RUNNING',300,NULL,'','active','a/1/1d663cd1f6df45a8a2fbd11945106ce9/artifacts',1,NULL);
INSERT INTO runs VALUES ('d3faef7871ff4fa5a232414f761c2224','r5','UNKNOWN','','','unknown','RUNNING',50,NULL,'','deleted','a/1/d3faef7871ff4fa5a232414f761c2224/artifacts',1,7);
INSERT INTO runs VALUES ('0000000000000000000000000000000a','other','UNKNOWN','','','unknown','RUNNING',999,NULL,'','active','x',2,NULL);
INSERT INTO latest_metrics VALUES ('acc',0.5,1,0,0,'3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO latest_metrics VALUES ('loss',1.0,1,0,0,'3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO latest_metrics VALUES ('acc',0.0,1,0,1,'8f7d2b666cc541ee8b9fc9ac578c69a5');
INSERT INTO latest_metrics VALUES ('acc',0.9,1,0,0,'f49ddd1806f44648b94e24c8c9d6ad4d');
INSERT INTO latest_metrics VALUES ('acc',0.0,1,0,0,'1d663cd1f6df45a8a2fbd11945106ce9');
INSERT INTO params VALUES ('lr','0.1','3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO params VALUES ('opt','Adam','3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO params VALUES ('lr','0.01','8f7d2b666cc541ee8b9fc9ac578c69a5');
INSERT INTO params VALUES ('opt','adam','8f7d2b666cc541ee8b9fc9ac578c69a5');
INSERT INTO params VALUES ('lr','abc','f49ddd1806f44648b94e24c8c9d6ad4d');
INSERT INTO tags VALUES ('t','x','3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO tags VALUES ('mlflow.runName','r1','3b07c709e2fc44a08de162d405d6a1f7');
INSERT INTO tags VALUES ('t','X','8f7d2b666cc541ee8b9fc9ac578c69a5');
INSERT INTO tags VALUES ('mlflow.runName','r2','8f7d2b666cc541ee8b9fc9ac578c69a5');
INSERT INTO tags VALUES ('mlflow.runName','r3','f49ddd1806f44648b94e24c8c9d6ad4d');
INSERT INTO tags VALUES ('t','y','1d663cd1f6df45a8a2fbd11945106ce9');
INSERT INTO tags VALUES ('mlflow.runName','r4','1d663cd1f6df45a8a2fbd11945106ce9');
INSERT INTO tags VALUES ('mlflow.runName','r5','d3faef7871ff4fa5a232414f761c2224');
INSERT INTO datasets VALUES ('e9619c7ea234405995ff4494b9e0692a',1,'ds1','dg1','local','src',NULL,NULL);
INSERT INTO datasets VALUES ('a7e60d980f9c41e4a1a14bf18ad441f8',1,'ds2','dg2','local','src',NULL,NULL);
INSERT INTO inputs VALUES ('505ec484178a4fae9a532d363b0b2d5f','DATASET','e9619c7ea234405995ff4494b9e0692a','RUN','3b07c709e2fc44a08de162d405d6a1f7',0);
INSERT INTO inputs VALUES ('211c9b5b95b94118983c863b4f65b4ee','DATASET','a7e60d980f9c41e4a1a14bf18ad441f8','RUN','8f7d2b666cc541ee8b9fc9ac578c69a5',0);
INSERT INTO input_tags VALUES ('505ec484178a4fae9a532d363b0b2d5f','mlflow.data.context','training');
INSERT INTO input_tags VALUES ('211c9b5b95b94118983c863b4f65b4ee','mlflow.data.context','eval');
)sql";

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class SearchSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    // The embedded store's connection runs with MLflow's pragma: LIKE is case-sensitive.
    exec("PRAGMA case_sensitive_like=ON;");
    exec(kSchema);
    exec(kSeed);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_.get(), "SELECT run_uuid, name FROM runs", -1, &s, nullptr),
              SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
      names_[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
          reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    }
    sqlite3_finalize(s);
  }

  void exec(const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  // Runs the query; returns the first column of each row.
  std::vector<std::string> run(const SqlQuery& q) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_.get(), q.sql.c_str(), -1, &raw, nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db_.get()) << "\n" << q.sql;
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw);
    if (rc != SQLITE_OK) return {};
    EXPECT_EQ(sqlite3_bind_parameter_count(raw), static_cast<int>(q.binds.size())) << q.sql;
    for (std::size_t i = 0; i < q.binds.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const Bind& b = q.binds[i];
      if (b.kind == Bind::kText) {
        sqlite3_bind_text(raw, idx, b.text.c_str(), static_cast<int>(b.text.size()),
                          SQLITE_TRANSIENT);
      } else if (b.kind == Bind::kInt) {
        sqlite3_bind_int64(raw, idx, b.i);
      } else {
        sqlite3_bind_double(raw, idx, b.r);
      }
    }
    std::vector<std::string> out;
    int step = 0;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)));
    }
    EXPECT_EQ(step, SQLITE_DONE) << sqlite3_errmsg(db_.get());
    return out;
  }

  // Run names of search_runs over experiment 1, view ALL, space-separated.
  std::string runs(const std::string& filter, const std::vector<std::string>& order_by = {},
                   ViewType view = ViewType::kAll, std::int64_t offset = 0,
                   std::int64_t limit = 100) {
    std::string out;
    for (const auto& id :
         run(build_search_runs_query({"1"}, view, filter, order_by, offset, limit))) {
      if (!out.empty()) out += ' ';
      out += names_[id];
    }
    return out;
  }

  std::string experiments(const std::string& filter, const std::vector<std::string>& order_by = {},
                          ViewType view = ViewType::kAll) {
    std::string out;
    for (const auto& id : run(build_search_experiments_query(view, filter, order_by, 0, 100))) {
      if (!out.empty()) out += ' ';
      out += id;
    }
    return out;
  }

  std::unique_ptr<sqlite3, DbCloser> db_;
  std::map<std::string, std::string> names_;
};

// Expected strings are MLflow 3.18's answers on the same data.
TEST_F(SearchSqlTest, FiltersSelectWhatMlflowSelects) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "r4 r3 r2 r1 r5"},
      {"metrics.acc > 0.4", "r3 r1"},
      {"metrics.acc != 0.5", "r4 r3 r2"},  // NaN satisfies only "!="
      {"metrics.acc = 0", "r4"},           // NaN's stored 0 never matches
      {"metrics.acc <= 0", "r4"},
      {"metrics.acc < 1", "r4 r3 r1"},
      {"metric.acc >= 0.9", "r3"},
      {"params.lr = '0.1'", "r1"},
      {"params.opt LIKE 'A%'", "r1"},  // LIKE is case-sensitive
      {"params.opt like 'a%'", "r2"},
      {"params.opt ILIKE 'a%'", "r2 r1"},
      {"params.lr != '0.1'", "r3 r2"},
      {"params.lr IS NULL", "r4 r5"},
      {"params.lr IS NOT NULL", "r3 r2 r1"},
      {"tags.t IS NULL", "r3 r5"},
      {"tags.t = 'X'", "r2"},
      {"tags.`mlflow.runName` = 'r3'", "r3"},
      {"run_name = 'r1'", "r1"},
      {"`run name` LIKE 'r%'", "r4 r3 r2 r1 r5"},
      {"attributes.run_name != 'r1'", "r4 r3 r2 r5"},
      {"status = 'FINISHED'", "r1"},
      {"status != 'FINISHED'", "r4 r3 r2 r5"},
      {"end_time > 5", "r1"},
      {"end_time = 1000", "r1"},
      {"end_time != 1000", ""},  // NULL end_time compares unknown
      {"created >= 300", "r4 r3"},
      {"start_time < 150.5", "r1 r5"},
      {"run_id IN ('f49ddd1806f44648b94e24c8c9d6ad4d', 'F49DDD1806F44648B94E24C8C9D6AD4D')", "r3"},
      {"run_id NOT IN ('f49ddd1806f44648b94e24c8c9d6ad4d')", "r4 r2 r1 r5"},
      {"datasets.name = 'ds1'", "r1"},
      {"datasets.context = 'eval'", "r2"},
      {"datasets.context IN ('eval','training')", "r2 r1"},
      {"datasets.name NOT IN ('ds1')", "r2"},
      {"datasets.digest LIKE 'dg%'", "r2 r1"},
      {"dataset.digest ILIKE 'DG2'", "r2"},
      {"metrics.acc > 0 and params.lr LIKE '0%' AND tags.t = 'x'", "r1"},
  };
  for (const auto& [filter, expected] : cases) {
    EXPECT_EQ(runs(filter), expected) << filter;
  }
}

TEST_F(SearchSqlTest, ViewTypeAndExperimentIdsRestrictRuns) {
  EXPECT_EQ(runs("", {}, ViewType::kActiveOnly), "r4 r3 r2 r1");
  EXPECT_EQ(runs("", {}, ViewType::kDeletedOnly), "r5");
  EXPECT_EQ(run(build_search_runs_query({"2"}, ViewType::kAll, "", {}, 0, 10)).size(), 1U);
  EXPECT_EQ(run(build_search_runs_query({"1", "2"}, ViewType::kAll, "", {}, 0, 10)).size(), 6U);
  EXPECT_TRUE(run(build_search_runs_query({}, ViewType::kAll, "", {}, 0, 10)).empty());
  EXPECT_THROW(build_search_runs_query({"x"}, ViewType::kAll, "", {}, 0, 10), MlflowException);
}

TEST_F(SearchSqlTest, OrderByMatchesMlflow) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"metrics.acc"}, "r4 r1 r3 r2 r5"},  // present values, then NaN, then missing
      {{"metrics.acc DESC"}, "r3 r1 r4 r2 r5"},
      {{"metrics.acc asc"}, "r4 r1 r3 r2 r5"},
      {{"params.lr"}, "r2 r1 r3 r4 r5"},
      {{"params.lr DESC"}, "r3 r1 r2 r4 r5"},
      {{"tags.t"}, "r2 r1 r4 r3 r5"},
      {{"tags.t desc"}, "r4 r1 r2 r3 r5"},
      {{"start_time"}, "r5 r1 r2 r4 r3"},
      {{"created"}, "r5 r1 r2 r4 r3"},
      {{"run_name"}, "r1 r2 r3 r4 r5"},
      {{"run_name DESC"}, "r5 r4 r3 r2 r1"},
      {{"attributes.run_name"}, "r1 r2 r3 r4 r5"},
      {{"status"}, "r1 r4 r3 r2 r5"},
      {{"end_time DESC"}, "r1 r4 r3 r2 r5"},
      {{"run_id"}, "r4 r1 r2 r5 r3"},
      {{"user_id"}, "r4 r3 r2 r1 r5"},
      {{"artifact_uri"}, "r4 r1 r2 r5 r3"},
      {{"`metrics`.`acc` DESC"}, "r3 r1 r4 r2 r5"},
      {{"metrics.\"acc\""}, "r4 r1 r3 r2 r5"},
      {{"metrics.`a b` DESC"}, "r4 r3 r2 r1 r5"},
      {{"metrics.acc DESC", "params.lr"}, "r3 r1 r4 r2 r5"},
      {{"metrics.acc  DESC"}, "r3 r1 r4 r2 r5"},
  };
  for (const auto& [order_by, expected] : cases) {
    EXPECT_EQ(runs("", order_by), expected) << order_by[0];
  }
}

TEST_F(SearchSqlTest, OffsetAndLimitPage) {
  EXPECT_EQ(runs("", {}, ViewType::kAll, 0, 2), "r4 r3");
  EXPECT_EQ(runs("", {}, ViewType::kAll, 2, 2), "r2 r1");
  EXPECT_EQ(runs("", {}, ViewType::kAll, 4, 2), "r5");
}

TEST_F(SearchSqlTest, ExperimentsMatchMlflow) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "2 1 0"},
      {"name = 'exp_a'", "2"},
      {"name like 'exp%'", "2 1"},
      {"name LIKE 'EXP%'", ""},
      {"name ILIKE 'EXP%'", "2 1"},
      {"attributes.name = 'exp_a'", "2"},
      {"attribute.name != 'exp_a'", "1 0"},
      {"tags.k = 'v'", "2"},
      {"tag.k IS NULL", "1 0"},
      {"tags.k is not null", "2"},
      {"creation_time > 1795351592120", "2 1"},
      {"last_update_time <= 1795351592130", "1 0"},
      {"experiment_id = '1'", "1"},
      {"experiment_id IN ('1','2')", "2 1"},
      {"experiment_id NOT IN ('1')", "2 0"},
  };
  for (const auto& [filter, expected] : cases) {
    EXPECT_EQ(experiments(filter), expected) << filter;
  }
  const std::vector<std::pair<std::string, std::string>> orders = {
      {"name", "0 2 1"},          {"name DESC", "1 2 0"},
      {"experiment_id", "0 1 2"}, {"experiment_id DESC", "2 1 0"},
      {"creation_time", "0 1 2"}, {"last_update_time DESC", "2 1 0"},
      {"`name` DESC", "1 2 0"},   {"attribute.name", "0 2 1"},
  };
  for (const auto& [order, expected] : orders) {
    EXPECT_EQ(experiments("", {order}), expected) << order;
  }
  // Ties on creation_time fall back to experiment_id DESC when it was not requested.
  exec("UPDATE experiments SET creation_time = 5");
  EXPECT_EQ(experiments("", {"creation_time"}), "2 1 0");
  EXPECT_EQ(experiments("", {"creation_time", "experiment_id"}), "0 1 2");
}

struct Rejection {
  bool experiments;
  std::string filter;
  std::string message;
};

TEST(SearchFilterErrors, MalformedFiltersGiveMlflowMessages) {
  const std::vector<Rejection> cases = {
      {false, "metrics.acc > 0.5 or params.x = 'a'", "Invalid clause(s) in filter string: 'or'"},
      {false, "(metrics.acc > 0.5)", "Invalid clause(s) in filter string: '(metrics.acc > 0.5)'"},
      {false, "not metrics.acc > 0.5", "Invalid clause(s) in filter string: 'not'"},
      {true, "name = 'a' or name = 'b'", "Invalid clause(s) in filter string: or"},
      {false, "metrics.acc >", "Invalid clause(s) in filter string: 'metrics.acc', '>'"},
      {false, "params.x = 'a' -- c", "Invalid clause(s) in filter string: '-- c'"},
      {false, "metrics.acc > 0.5; params.x = 'a'",
       "Search filter contained multiple expression \"metrics.acc > 0.5; params.x = 'a'\". "
       "Provide AND-ed expression list."},
      {false, "metrics.acc = 'a'", "Expected numeric value type for metric. Found 'a'"},
      {false, "params.x = 1",
       "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1"},
      {false, "status = RUNNING",
       "Parameter value is either not quoted or unidentified quote types used for string value "
       "RUNNING. Use either single or double quotes."},
      {false, "start_time > 'a'",
       "Expected numeric value type for numeric attribute: start_time. Found 'a'"},
      {false, "foo.bar = 'x'",
       "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', "
       "'dataset']"},
      {false, "status IN ('A')",
       "Only ['run_id'] attributes support comparison with a list of quoted string values."},
      {false, "run_id IN ()",
       "While parsing a list in the query, expected a non-empty list of string values, but got "
       "empty list"},
      {false, "run_id IN ('abc', 1)",
       "While parsing a list in the query, expected string value, punctuation, or whitespace, "
       "but got different type in list: ('abc', 1)"},
      {false, "metrics.acc IS NULL",
       "IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' 'acc'"},
      {false, "'a' = params.x", "Invalid comparison clause. Expected 'Identifier' found ''a''"},
      {false, "datasets.foo = 'x'",
       "Invalid dataset key 'foo' specified. Valid keys are '{'name', 'digest', 'context'}'"},
      {false, "params.lr > '0'",
       "Invalid comparator '>' not one of '{'IS NULL', 'IS NOT NULL', '!=', 'LIKE', '=', "
       "'ILIKE'}'"},
      {false, "metrics.acc LIKE 1", "Invalid comparator 'LIKE' not one of '{"},
      {false, "attr.foo = 'x'", "Invalid attribute key 'foo' specified. Valid keys are '{"},
      {true, "attr.name = 'x'",
       "Invalid entity type 'attr'. Valid entity types are ('attribute', 'attributes', 'tag', "
       "'tags')"},
      {true, "metrics.a > 1", "Invalid entity type 'metrics'."},
      {true, "name IS NULL",
       "IS NULL / IS NOT NULL is only supported for tags, not for attribute 'name'"},
      {true, "creation_time > 1.5", "Invalid value for numeric attribute 'creation_time': '1.5'"},
      {true, "creation_time > 1e3",
       "Invalid value for numeric attribute 'creation_time': '1000.0'"},
      {true, "experiment_id = 'abc'",
       "Invalid experiment ID 'abc'. Experiment ID must be a valid integer."},
      {true, "experiment_id > '1'", "Invalid comparator for experiment_id: >"},
      {true, "tags.k > 'a'", "Invalid comparator for tag: >"},
      {true, "name > 'a'", "Invalid comparator '>' not one of '{"},
  };
  for (const auto& c : cases) {
    try {
      if (c.experiments) {
        build_search_experiments_query(ViewType::kAll, c.filter, {}, 0, 10);
      } else {
        build_search_runs_query({"1"}, ViewType::kAll, c.filter, {}, 0, 10);
      }
      ADD_FAILURE() << "accepted: " << c.filter;
    } catch (const MlflowException& e) {
      EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue) << c.filter;
      EXPECT_THAT(std::string(e.what()), HasSubstr(c.message)) << c.filter;
    }
  }
}

TEST(SearchFilterErrors, MalformedOrderByGivesMlflowMessages) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"metrics.acc DOWN", "Invalid ordering key in order_by clause 'metrics.acc DOWN'."},
      {"metrics.acc DESC ASC",
       "Invalid order_by clause 'metrics.acc DESC ASC'. Could not be parsed."},
      {"metrics.acc,params.lr",
       "Invalid order_by clause 'metrics.acc,params.lr'. Could not be parsed."},
      {"(metrics.acc)", "Invalid order_by clause '(metrics.acc)'. Could not be parsed."},
      {"metrics.acc; drop", "Invalid order_by clause 'metrics.acc; drop'. Could not be parsed."},
      {"datasets.name", "Invalid identifier type 'dataset'"},
      {"experiment_id", "Invalid attribute key 'experiment_id' specified."},
      {"Run name", "Invalid ordering key in order_by clause 'Run name'."},
  };
  for (const auto& [order, message] : cases) {
    try {
      build_search_runs_query({"1"}, ViewType::kAll, "", {order}, 0, 10);
      ADD_FAILURE() << "accepted: " << order;
    } catch (const MlflowException& e) {
      EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue) << order;
      EXPECT_THAT(std::string(e.what()), HasSubstr(message)) << order;
    }
  }
  // MLflow raises duplicates without an error code (HTTP 500).
  try {
    build_search_runs_query({"1"}, ViewType::kAll, "", {"start_time", "created"}, 0, 10);
    ADD_FAILURE();
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kInternalError);
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("`order_by` contains duplicate fields: ['start_time', 'created']"));
  }
  EXPECT_THROW(build_search_experiments_query(ViewType::kAll, "", {"tags.k"}, 0, 10),
               MlflowException);
  EXPECT_THROW(build_search_experiments_query(ViewType::kAll, "", {"run_id"}, 0, 10),
               MlflowException);
}

TEST(SearchFilterParse, KeysAndValuesAreTakenRaw) {
  auto c = parse_runs_filter("params.`a'b` = 'it''s' AND tags.\"x-y\" = \"v\" AND metrics. > 1");
  ASSERT_EQ(c.size(), 3U);
  EXPECT_EQ(c[0].key, "a'b");
  EXPECT_EQ(c[0].value.text, "it''s");  // MLflow does not unescape
  EXPECT_EQ(c[1].key, "x-y");
  EXPECT_EQ(c[1].value.text, "v");
  EXPECT_EQ(c[2].type, EntityType::kMetric);
  EXPECT_EQ(c[2].key, "");
  auto in = parse_runs_filter("run_id in ('a' 'b', \"c\",)");
  ASSERT_EQ(in.size(), 1U);
  EXPECT_EQ(in[0].value.list, (std::vector<std::string>{"ab", "c"}));
  EXPECT_EQ(parse_runs_order_by("metrics.`a b` DESC").key, "a b");
  EXPECT_FALSE(parse_runs_order_by("metrics.`a b` DESC").ascending);
}

TEST_F(SearchSqlTest, InjectionAttemptsAreMatchedLiterallyOrRejected) {
  exec(
      "INSERT INTO params VALUES ('k''; DROP TABLE runs; --', 'v''); DROP TABLE runs; --', "
      "'3b07c709e2fc44a08de162d405d6a1f7')");
  const std::vector<std::string> literal = {
      "params.`k'; DROP TABLE runs; --` = \"v'); DROP TABLE runs; --\"",
      "params.lr = '0.1'' OR ''1''=''1'",
      "params.lr = \"x\" AND tags.`a\"b` = '; DELETE FROM runs'",
      "run_id IN ('x'') OR 1=1 --')",
      "params.lr LIKE '%'' --'",
  };
  EXPECT_EQ(runs(literal[0]), "r1");
  for (std::size_t i = 1; i < literal.size(); ++i) EXPECT_EQ(runs(literal[i]), "") << literal[i];
  const std::vector<std::string> rejected = {
      "params.lr = '0.1'; DROP TABLE runs", "params.lr = '0.1' -- ",
      "params.lr = '0.1' OR 1=1",           "params.lr = '0.1' /* */ OR 1 = 1",
      "params.lr = '0.1') OR (1=1",         "tags.t = 'x' UNION SELECT run_uuid FROM runs",
  };
  for (const auto& f : rejected) {
    EXPECT_THROW(runs(f), MlflowException) << f;
  }
  const std::vector<std::string> bad_orders = {
      "metrics.acc; DROP TABLE runs", "metrics.acc DESC, (SELECT 1)", "start_time DESC --"};
  for (const auto& o : bad_orders) {
    EXPECT_THROW(runs("", {o}), MlflowException) << o;
  }
  EXPECT_EQ(runs("", {"params.`k'; DROP TABLE runs; --` DESC"}), "r1 r4 r3 r2 r5");
  EXPECT_EQ(experiments("tags.`k'--` = 'x'' OR 1=1'"), "");
  // Everything is still there.
  EXPECT_EQ(runs(""), "r4 r3 r2 r1 r5");
  EXPECT_EQ(run({"SELECT count(*) FROM params", {}}), std::vector<std::string>{"6"});
}

TEST(PageToken, RoundTripsAndMatchesPython) {
  EXPECT_EQ(encode_page_token(1000), "eyJvZmZzZXQiOiAxMDAwfQ==");
  EXPECT_EQ(decode_page_token("eyJvZmZzZXQiOiAxMDAwfQ=="), 1000);
  EXPECT_EQ(decode_page_token(""), 0);
  for (std::int64_t v : std::vector<std::int64_t>{1, 2, 10, 999, 50001, 1234567890123}) {
    EXPECT_EQ(decode_page_token(encode_page_token(v)), v) << v;
  }
}

TEST(PageToken, InvalidTokensGiveMlflowMessages) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "Invalid page token, could not base64-decode"},
      {"YWJj", "Invalid page token, decoded value=b'abc'"},  // "abc"
      {"eyJvZmZzZXQiOiAwfQ==", "Invalid page token, parsed value={'offset': 0}"},
      {"eyJmb28iOiAxfQ==", "Invalid page token, parsed value={'foo': 1}"},  // {"foo": 1}
      {"eyJvZmZzZXQiOiAieCJ9", "Invalid page token, not stringable x"},     // {"offset": "x"}
  };
  for (const auto& [token, message] : cases) {
    try {
      decode_page_token(token);
      ADD_FAILURE() << token;
    } catch (const MlflowException& e) {
      EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
      EXPECT_THAT(std::string(e.what()), HasSubstr(message)) << token;
    }
  }
}

}  // namespace
}  // namespace mlflow::internal::sqlite_search
