// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Bounded, deterministic mutation fuzzing of the search translator (gcc has no libFuzzer; the
// clang entry point is tests/fuzz/search_filter_fuzzer.cpp). Every input must either throw
// MlflowException or give SQL that SQLite prepares, with one bind per placeholder.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "sqlite/search_sql.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

const char* const kSchema =
    "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT, "
    "artifact_location TEXT, lifecycle_stage TEXT, creation_time BIGINT, last_update_time "
    "BIGINT, workspace TEXT);"
    "CREATE TABLE experiment_tags (key TEXT, value TEXT, experiment_id INTEGER);"
    "CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, user_id TEXT, status TEXT, "
    "start_time BIGINT, end_time BIGINT, lifecycle_stage TEXT, artifact_uri TEXT, "
    "experiment_id INTEGER, deleted_time BIGINT);"
    "CREATE TABLE tags (key TEXT, value TEXT, run_uuid TEXT);"
    "CREATE TABLE params (key TEXT, value TEXT, run_uuid TEXT);"
    "CREATE TABLE latest_metrics (key TEXT, value FLOAT, timestamp BIGINT, step BIGINT, "
    "is_nan BOOLEAN, run_uuid TEXT);"
    "CREATE TABLE datasets (dataset_uuid TEXT, experiment_id INTEGER, name TEXT, digest TEXT);"
    "CREATE TABLE inputs (input_uuid TEXT, source_type TEXT, source_id TEXT, destination_type "
    "TEXT, destination_id TEXT, step BIGINT);"
    "CREATE TABLE input_tags (input_uuid TEXT, name TEXT, value TEXT);";

const std::vector<std::string> kCorpus = {
    "metrics.acc > 0.5",
    "metrics.acc != 1e-3 AND params.lr = '0.1'",
    "params.opt LIKE 'A%' and tags.t ILIKE \"x%\"",
    "tags.`mlflow.runName` = 'r1'",
    "params.lr IS NULL AND tags.t IS NOT NULL",
    "run_id IN ('abc', \"def\") AND status != 'FINISHED'",
    "run_id NOT IN ('a')",
    "attributes.run_name = 'x' and `run name` LIKE 'y%'",
    "created >= 300 AND end_time < 5.5",
    "datasets.name = 'ds' AND dataset.context IN ('eval', 'training')",
    "datasets.digest NOT IN ('d') AND datasets.context ILIKE 'E%'",
    "name = 'exp' AND tags.k = 'v' AND creation_time > 5",
    "experiment_id IN ('1','2') and last_update_time <= 9",
    "metrics.\"f1 score\" >= -.5",
    "metrics.acc > 0.5 OR params.x = 'a'",
    "(metrics.acc > 0.5)",
    "params.x = 'a'; DROP TABLE runs",
    "params.`k'--` = 'v'' OR ''1''=''1'",
};

const std::vector<std::string> kFragments = {" AND ",
                                             " OR ",
                                             " NOT ",
                                             "(",
                                             ")",
                                             "'",
                                             "\"",
                                             "`",
                                             ".",
                                             ",",
                                             ";",
                                             "--",
                                             "/*",
                                             "*/",
                                             "=",
                                             "!=",
                                             "<>",
                                             "<=",
                                             ">=",
                                             "<",
                                             ">",
                                             " LIKE ",
                                             " ilike ",
                                             " IN ",
                                             " NOT IN ",
                                             " IS NULL",
                                             " IS NOT NULL",
                                             "metrics.",
                                             "params.",
                                             "tags.",
                                             "attributes.",
                                             "datasets.",
                                             "run_id",
                                             "start_time",
                                             "1e309",
                                             "-0",
                                             "9223372036854775808",
                                             "'x'",
                                             "('a',)",
                                             "\\",
                                             "\xff",
                                             "\xc3\xa9",
                                             std::string(1, '\0'),
                                             "%",
                                             "_",
                                             "  ",
                                             "\t\n"};

const std::vector<std::string> kOrderCorpus = {
    "metrics.acc DESC",   "params.lr", "tags.`a b` asc",   "start_time", "name",
    "experiment_id DESC", "run_name",  "metrics.acc DOWN", "x.y",        "`metrics`.`acc`",
    "creation_time ASC"};

std::string mutate(std::string s, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:  // insert a fragment
        s.insert(pos, kFragments[rng() % kFragments.size()]);
        break;
      case 1:  // delete a span
        if (!s.empty() && pos < s.size()) s.erase(pos, 1 + rng() % 4);
        break;
      case 2:  // flip a byte
        if (pos < s.size()) s[pos] = static_cast<char>(rng() % 256);
        break;
      case 3:  // splice another seed
        s += kFragments[0] + kCorpus[rng() % kCorpus.size()];
        break;
      case 4:  // duplicate a span
        if (pos < s.size()) s.insert(pos, s.substr(pos, 1 + rng() % 8));
        break;
      default:  // random printable byte
        s.insert(pos, 1, static_cast<char>(32 + rng() % 95));
        break;
    }
  }
  return s;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

void expect_prepares(sqlite3* db, const SqlQuery& q, const std::string& input) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, q.sql.c_str(), -1, &stmt, nullptr);
  ASSERT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db) << "\ninput: " << input << "\nsql: " << q.sql;
  EXPECT_EQ(sqlite3_bind_parameter_count(stmt), static_cast<int>(q.binds.size())) << input;
  sqlite3_finalize(stmt);
}

TEST(SearchFilterFuzz, TwentyThousandMutatedFiltersNeverEscape) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  ASSERT_EQ(sqlite3_exec(raw, kSchema, nullptr, nullptr, nullptr), SQLITE_OK);

  std::mt19937_64 rng(20260501);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string filter = mutate(kCorpus[rng() % kCorpus.size()], rng);
    std::vector<std::string> order_by;
    if (rng() % 3 == 0) order_by.push_back(mutate(kOrderCorpus[rng() % kOrderCorpus.size()], rng));
    const bool experiments = rng() % 4 == 0;
    try {
      const SqlQuery q =
          experiments
              ? build_search_experiments_query(ViewType::kAll, filter, order_by, 0, 10)
              : build_search_runs_query({"1", "2"}, ViewType::kActiveOnly, filter, order_by, 5, 10);
      expect_prepares(raw, q, filter);
      ++accepted;
    } catch (const MlflowException&) {
      // Rejected with an MLflow error: fine. Anything else propagates and fails the test.
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  // The mutations keep many inputs valid, so the SQL side is exercised too.
  EXPECT_GT(accepted, 500);
}

TEST(SearchFilterFuzz, RandomPageTokensOnlyThrowMlflowErrors) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string token = encode_page_token(static_cast<std::int64_t>(rng() % 100000));
    token = mutate(token, rng);
    try {
      (void)decode_page_token(token);
    } catch (const MlflowException&) {
    }
  }
}

}  // namespace
}  // namespace mlflow::internal::sqlite_search
