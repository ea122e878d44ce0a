// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The registry search translator: user text only ever in bind parameters, MLflow's prompt
// exclusion, orderings and tiebreaks, and its error messages. (Results against real data are
// checked on both stores by the conformance suite.)
#include "sqlite/registry_search_sql.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/errors.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> texts(const SqlQuery& q) {
  std::vector<std::string> out;
  for (const auto& b : q.binds) {
    out.push_back(b.kind == Bind::kInt ? std::to_string(b.i) : b.text);
  }
  return out;
}

TEST(RegistrySearchSql, UserTextOnlyInBindParameters) {
  const std::string evil = "x'; DROP TABLE registered_models; --";
  const SqlQuery q = build_search_registered_models_query(
      "name = \"" + evil + "\" AND tags.`k'` LIKE '%" + "\"" + "'", {"name DESC"}, 0, 11);
  EXPECT_THAT(q.sql, Not(HasSubstr("DROP")));
  EXPECT_THAT(q.sql, Not(HasSubstr("k'")));
  EXPECT_THAT(texts(q), ::testing::Contains(evil));
  EXPECT_THAT(texts(q), ::testing::Contains("k'"));
  // Placeholders and binds line up.
  EXPECT_EQ(static_cast<std::size_t>(std::count(q.sql.begin(), q.sql.end(), '?')), q.binds.size());
}

TEST(RegistrySearchSql, PromptsExcludedUnlessTheFilterAsks) {
  const SqlQuery plain = build_search_registered_models_query("", {}, 0, 101);
  EXPECT_THAT(plain.sql, HasSubstr("NOT EXISTS"));
  EXPECT_THAT(texts(plain), ::testing::ElementsAre("mlflow.prompt.is_prompt", "true", "101", "0"));
  const SqlQuery prompts =
      build_search_registered_models_query("tags.`mlflow.prompt.is_prompt` = 'true'", {}, 0, 101);
  EXPECT_THAT(prompts.sql, Not(HasSubstr("NOT EXISTS")));
  EXPECT_THAT(prompts.sql, HasSubstr("EXISTS (SELECT 1 FROM registered_model_tags"));
  // `!= 'false'` asks for prompts too; `= 'false'` is dropped and prompts stay hidden.
  EXPECT_THAT(
      build_search_model_versions_query("tags.`mlflow.prompt.is_prompt` != 'FALSE'", {}, 0, 11).sql,
      Not(HasSubstr("NOT EXISTS")));
  const SqlQuery models =
      build_search_model_versions_query("tags.`mlflow.prompt.is_prompt` = 'false'", {}, 0, 11);
  EXPECT_THAT(models.sql, HasSubstr("NOT EXISTS"));
  EXPECT_THAT(texts(models), Not(::testing::Contains("false")));
}

TEST(RegistrySearchSql, OrderingsAndTiebreaks) {
  EXPECT_THAT(build_search_registered_models_query("", {}, 0, 5).sql,
              HasSubstr("ORDER BY rm.name ASC LIMIT"));
  EXPECT_THAT(build_search_registered_models_query("", {"timestamp DESC"}, 0, 5).sql,
              HasSubstr("ORDER BY rm.last_updated_time DESC, rm.name ASC LIMIT"));
  EXPECT_THAT(build_search_model_versions_query("", {}, 0, 5).sql,
              HasSubstr("ORDER BY mv.last_updated_time DESC, mv.name ASC, mv.version DESC LIMIT"));
  EXPECT_THAT(build_search_model_versions_query("", {"version_number"}, 10, 5).sql,
              HasSubstr("ORDER BY mv.version ASC, mv.name ASC LIMIT"));
  EXPECT_THAT(build_search_model_versions_query("", {}, 0, 5).sql,
              HasSubstr("mv.current_stage != 'Deleted_Internal'"));
}

TEST(RegistrySearchSql, VersionNumbersAreIntegers) {
  const SqlQuery q = build_search_model_versions_query("version_number >= 3", {}, 0, 5);
  EXPECT_THAT(q.sql, HasSubstr("mv.version >= ?"));
  EXPECT_EQ(q.binds[0].kind, Bind::kInt);
  EXPECT_EQ(q.binds[0].i, 3);
  // A quoted integer is accepted as the server's int(value) accepts it.
  EXPECT_EQ(build_search_model_versions_query("version_number = '4'", {}, 0, 5).binds[0].i, 4);
}

TEST(RegistrySearchSql, ErrorsAsTheServerWordsThem) {
  EXPECT_EQ(
      testing::error_of([] { build_search_registered_models_query("tags.k > 'a'", {}, 0, 5); }),
      "INVALID_PARAMETER_VALUE: Invalid comparator for tag: >");
  EXPECT_EQ(testing::error_of([] { build_search_registered_models_query("name > 'a'", {}, 0, 5); }),
            "INVALID_PARAMETER_VALUE: Invalid comparator for attribute: >");
  EXPECT_THAT(
      testing::error_of([] { build_search_registered_models_query("run_id = 'a'", {}, 0, 5); }),
      HasSubstr("Invalid attribute key 'run_id' specified."));
  EXPECT_THAT(
      testing::error_of([] { build_search_registered_models_query("metric.x = 'a'", {}, 0, 5); }),
      HasSubstr("Invalid entity type 'metric'. Valid entity types are ('attribute', 'tag', "
                "'tags')"));
  EXPECT_EQ(testing::error_of(
                [] { build_search_model_versions_query("version_number LIKE '1'", {}, 0, 5); }),
            "INVALID_PARAMETER_VALUE: Invalid comparator for attribute version_number: LIKE");
  EXPECT_EQ(testing::error_of(
                [] { build_search_model_versions_query("version_number = 'x'", {}, 0, 5); }),
            "INVALID_PARAMETER_VALUE: Invalid value for numeric attribute 'version_number': 'x'");
  EXPECT_EQ(testing::error_of(
                [] { build_search_model_versions_query("source_path IN ('a')", {}, 0, 5); }),
            "INVALID_PARAMETER_VALUE: Only ['name', 'run_id'] attributes support comparison "
            "with a list of quoted string values.");
  EXPECT_THAT(
      testing::error_of([] { build_search_model_versions_query("name IS NULL", {}, 0, 5); }),
      HasSubstr("IS NULL / IS NOT NULL is not supported"));
  EXPECT_THAT(testing::error_of([] {
                build_search_model_versions_query("", {"name", "name"}, 0, 5);
              }),
              HasSubstr("INTERNAL_ERROR: `order_by` contains duplicate fields"));
  EXPECT_THAT(testing::error_of(
                  [] { build_search_registered_models_query("", {"creation_timestamp"}, 0, 5); }),
              HasSubstr("INVALID_PARAMETER_VALUE: Invalid order by key 'creation_timestamp'"));
}

}  // namespace
}  // namespace mlflow::internal::sqlite_search
