// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// OrderedDict (the argument of log_params, log_metrics, set_tags ...) and the order it keeps
// all the way into the embedded store's file, where Python and the UI read it back.
#include "mlflow/ordered_dict.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

template <class V>
std::vector<std::string> keys(const OrderedDict<V>& d) {
  std::vector<std::string> out;
  for (const auto& [k, v] : d) out.push_back(k);
  return out;
}

using Keys = std::vector<std::string>;

TEST(OrderedDict, KeepsTheOrderOfABracedList) {
  const OrderedDict<std::string> d{{"zeta", "1"}, {"alpha", "2"}, {"mid", "3"}};
  EXPECT_EQ(keys(d), (Keys{"zeta", "alpha", "mid"}));
  EXPECT_EQ(d.find("alpha")->second, "2");
  EXPECT_EQ(d.find("none"), d.end());
}

TEST(OrderedDict, ARepeatedKeyKeepsItsFirstPlaceAndTakesTheLastValueAsAPythonDict) {
  const OrderedDict<double> d{{"b", 1.0}, {"a", 2.0}, {"b", 3.0}};
  EXPECT_EQ(keys(d), (Keys{"b", "a"}));
  EXPECT_EQ(d.find("b")->second, 3.0);
}

TEST(OrderedDict, TakesAStdMapAndOtherRangesOfPairs) {
  const std::map<std::string, std::string> sorted{{"b", "1"}, {"a", "2"}};
  const OrderedDict<std::string> from_map = sorted;
  EXPECT_EQ(keys(from_map), (Keys{"a", "b"}));
  const std::vector<std::pair<std::string, std::string>> built{{"y", "1"}, {"x", "2"}};
  EXPECT_EQ(keys(OrderedDict<std::string>(built)), (Keys{"y", "x"}));
  const std::unordered_map<std::string, int> ints{{"n", 3}};
  EXPECT_EQ(OrderedDict<double>(ints).find("n")->second, 3.0);
}

// The keys of one run's rows of `table` in the order they were inserted (rowid).
Keys stored_order(const std::string& path, const std::string& table, const std::string& run_id) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const std::string sql = "SELECT key FROM " + table + " WHERE run_uuid = ? ORDER BY rowid";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
  sqlite3_bind_text(st, 1, run_id.c_str(), -1, SQLITE_TRANSIENT);
  Keys out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(OrderedDict, FluentLoggingStoresItemsInTheOrderGiven) {
  internal::reset_fluent_state();
  const std::string path = testing::make_temp_dir("ordered") + "/mlflow.db";
  set_tracking_uri("sqlite:///" + path);
  std::string run_id;
  {
    ActiveRun run = start_run();
    run_id = run.run_id();
    log_params({{"zeta", "1"}, {"alpha", "2"}, {"mid", "3"}});
    log_metrics({{"z_loss", 0.5}, {"a_acc", 0.9}});
    set_tags({{"z_tag", "1"}, {"a_tag", "2"}});
  }
  EXPECT_EQ(stored_order(path, "params", run_id), (Keys{"zeta", "alpha", "mid"}));
  EXPECT_EQ(stored_order(path, "latest_metrics", run_id), (Keys{"z_loss", "a_acc"}));
  Keys tags;
  for (const auto& k : stored_order(path, "tags", run_id)) {
    if (k.rfind("mlflow.", 0) != 0) tags.push_back(k);
  }
  EXPECT_EQ(tags, (Keys{"z_tag", "a_tag"}));
  set_tracking_uri("");
  internal::reset_fluent_state();
}

}  // namespace
}  // namespace mlflow
