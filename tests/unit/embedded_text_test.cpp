// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Text on the embedded store (issue 15): keys Python refuses are refused, lengths count
// characters, long values are kept whole or cut between characters, and no invalid UTF-8
// ever reaches the file (Python's sqlite3 could not read the row back, nor could the UI).
// tests/interop/text_conformance_test.cpp asks Python the same questions case by case.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;

std::string repeat(const std::string& unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

// "table.column" of every text cell in the file that is not valid UTF-8.
std::vector<std::string> invalid_utf8_cells(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables, bad;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  for (const auto& table : tables) {
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (sqlite3_column_type(st, c) != SQLITE_TEXT) continue;
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
        const std::string text(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
        if (!internal::utf8::is_valid(text))
          bad.push_back(table + "." + sqlite3_column_name(st, c));
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return bad;
}

template <class Options, class Field, class Value>
Options with(Field Options::*field, Value value) {
  Options o;
  o.*field = std::move(value);
  return o;
}

class EmbeddedText : public ::testing::Test {
 protected:
  void SetUp() override {
    path = mlflow::testing::make_temp_dir("embedded-text") + "/mlflow.db";
    client = MlflowClient("sqlite:///" + path);
    experiment_id = client.create_experiment("text");
    run_id = client
                 .create_run(experiment_id,
                             with(&CreateRunOptions::run_name, std::optional<std::string>("r")))
                 .info.run_id;
  }
  std::string path;
  MlflowClient client{"sqlite:///:memory:"};
  std::string experiment_id, run_id;
};

TEST_F(EmbeddedText, KeysThatPythonRefusesAreRefused) {
  const std::string bad_keys[] = {u8"loss_\U0001F525", u8"a\u00a0b", u8"e\u0301"};
  for (const auto& key : bad_keys) {
    EXPECT_THAT(testing::refusal_message([&] { client.log_metric(run_id, key, 1.0); }),
                HasSubstr("Names may only"))
        << key;
    EXPECT_FALSE(testing::refusal_message([&] { client.log_param(run_id, key, "v"); }).empty());
    EXPECT_FALSE(testing::refusal_message([&] { client.set_tag(run_id, key, "v"); }).empty());
  }
  const std::string cyrillic = u8"\u043f\u043e\u0442\u0435\u0440\u044f";
  client.log_metric(run_id, cyrillic, 1.0);
  client.log_param(run_id, u8"\u635f\u5931", u8"pr\u00e9cision");
  const mlflow::Run run = client.get_run(run_id);
  EXPECT_EQ(run.data.metrics.count(cyrillic), 1u);
  EXPECT_EQ(run.data.params.at(u8"\u635f\u5931"), u8"pr\u00e9cision");
  EXPECT_EQ(run.data.params.size(), 1u);  // none of the refused keys
}

TEST_F(EmbeddedText, InvalidUtf8IsRefusedOnEveryWritingCallAndNothingIsStored) {
  const std::string bad = "ok\xC3(";  // a 2-byte lead followed by '('
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"'metric key'", [&] { client.log_metric(run_id, bad, 1.0); }},
      {"'param value'", [&] { client.log_param(run_id, "p", bad); }},
      {"'tag value'", [&] { client.set_tag(run_id, "t", bad); }},
      {"'params[1].value'",
       [&] {
         client.log_batch(run_id, {Metric{"m", 1.0, 1, 0}}, {{"p1", "fine"}, {"p2", bad}});
       }},
      {"'tags[0].key'",
       [&] {
         client.log_batch(run_id, {}, {}, {{bad, "v"}});
       }},
      {"'experiment name'", [&] { client.create_experiment(bad); }},
      {"'experiment tag value'",
       [&] {
         client.create_experiment("e2", with(&CreateExperimentOptions::tags,
                                             std::map<std::string, std::string>{{"k", bad}}));
       }},
      {"'experiment tag key'", [&] { client.set_experiment_tag(experiment_id, bad, "v"); }},
      {"'experiment name'", [&] { client.rename_experiment(experiment_id, bad); }},
      {"'run_name'",
       [&] {
         client.create_run(experiment_id,
                           with(&CreateRunOptions::run_name, std::optional<std::string>(bad)));
       }},
      {"'tag value'",
       [&] {
         client.create_run(experiment_id, with(&CreateRunOptions::tags,
                                               std::map<std::string, std::string>{{"k", bad}}));
       }},
      {"'name'",
       [&] {
         client.update_run(run_id, with(&UpdateRunOptions::name, std::optional<std::string>(bad)));
       }},
      {"'datasets[0].dataset.source'",
       [&] {
         client.log_inputs(run_id, {DatasetInput{Dataset{"d", "abc", "local", bad, {}, {}}, {}}});
       }},
      {"'datasets[0].tags[0].value'",
       [&] {
         client.log_inputs(run_id,
                           {DatasetInput{Dataset{"d", "abc", "local", "s", {}, {}}, {{"k", bad}}}});
       }},
      {"'description'",
       [&] {
         client.create_registered_model("m", with(&CreateRegisteredModelOptions::description,
                                                  std::optional<std::string>(bad)));
       }},
      {"'value'",
       [&] {
         client.create_registered_model("m", with(&CreateRegisteredModelOptions::tags,
                                                  std::map<std::string, std::string>{{"k", bad}}));
       }},
      {"'tag value'",
       [&] {
         client.create_logged_model(
             experiment_id,
             with(&CreateLoggedModelOptions::tags, std::map<std::string, std::string>{{"k", bad}}));
       }},
      {"'template'", [&] { client.register_prompt("p", bad); }},
  };
  for (const auto& [field, call] : calls) {
    const std::string msg = testing::refusal_message(call);
    EXPECT_THAT(msg, HasSubstr(field + " is not valid UTF-8 (byte 0xC3 at offset 2 of 4)"));
    EXPECT_THAT(msg, HasSubstr("convert the string before logging it"));
  }
  const mlflow::Run run = client.get_run(run_id);
  EXPECT_TRUE(run.data.metrics.empty());  // log_batch wrote nothing before refusing
  EXPECT_TRUE(run.data.params.empty());
  EXPECT_EQ(run.info.run_name, "r");
  EXPECT_TRUE(run.inputs.dataset_inputs.empty());
  EXPECT_EQ(client.search_runs({experiment_id}).items.size(), 1u);
  EXPECT_FALSE(client.get_experiment_by_name("e2").has_value());
  EXPECT_TRUE(client.search_registered_models().items.empty());
  EXPECT_TRUE(invalid_utf8_cells(path).empty());
}

TEST_F(EmbeddedText, LengthLimitsCountCharactersAndLongValuesStayWhole) {
  const std::string key_200 = repeat(u8"\u0436", 200);  // 400 bytes, 200 characters
  const std::string value_6000 = repeat(u8"\u0436", 6000);
  const std::string tag_8000 = repeat(u8"\u4e2d", 8000);
  const std::string emoji_6001 = repeat(u8"\U0001F525", 6001);
  client.log_param(run_id, key_200, value_6000);
  client.set_tag(run_id, "t", tag_8000);
  client.log_batch(run_id, {}, {{"cut", emoji_6001}});
  const mlflow::Run run = client.get_run(run_id);
  EXPECT_EQ(run.data.params.at(key_200), value_6000);  // Python stores it whole
  EXPECT_EQ(run.data.tags.at("t"), tag_8000);
  EXPECT_EQ(run.data.params.at("cut"), repeat(u8"\U0001F525", 6000));  // value[:6000]
  EXPECT_THAT(
      testing::refusal_message([&] { client.log_param(run_id, repeat(u8"\u0436", 251), "v"); }),
      HasSubstr("exceeds the maximum length of 250 characters"));
  EXPECT_TRUE(invalid_utf8_cells(path).empty());
}

TEST(EmbeddedStoreText, TheStoreItselfRefusesInvalidUtf8BehindTheClient) {
  // The last line of defence: a store call that skipped the client's checks.
  const std::string path = mlflow::testing::make_temp_dir("embedded-text-store") + "/s.db";
  auto store = internal::make_sqlite_tracking_store("sqlite:///" + path);
  const std::string exp = store->create_experiment("e", std::nullopt, {});
  internal::CreateRunRequest request;
  request.experiment_id = exp;
  request.user_id = "u";
  request.start_time = 1;
  const std::string run_id = store->create_run(request).info.run_id;
  EXPECT_THROW(store->log_batch(run_id, {}, {Param{"a", "1"}, Param{"b", "\xFF"}}, {}),
               InvalidArgument);
  EXPECT_TRUE(store->get_run(run_id).data.params.empty());
  EXPECT_TRUE(invalid_utf8_cells(path).empty());
}

}  // namespace
}  // namespace mlflow
