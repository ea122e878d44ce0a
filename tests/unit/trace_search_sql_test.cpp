// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The trace search grammar and its SQL: what SearchTraceUtils makes of filters (key mapping,
// values, sqlparse quirks) and its errors, checked against Python 3.18's answers for the same
// strings; user text only in bind parameters, injection attempts matched literally. (Results on
// real data are compared with the server by tests/conformance/trace_conformance_test.cpp.)
#include "sqlite/trace_search_sql.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/errors.hpp"
#include "sqlite/sqlite_backend.hpp"
#include "support/builders.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string describe(const std::string& filter) {
  try {
    std::string out;
    for (const FilterClause& c : parse_traces_filter(filter)) {
      out += std::string(out.empty() ? "" : " & ") + entity_name(c.type) + ":" + c.key + " " +
             c.comparator;
      if (c.value.kind == FilterValue::Kind::kList) {
        out += " (";
        for (const auto& v : c.value.list) out += v + ",";
        out += ")";
      } else if (c.value.kind != FilterValue::Kind::kNone) {
        out += " " + c.value.text + (c.value.kind == FilterValue::Kind::kNumber ? "#" : "");
      }
    }
    return out;
  } catch (const MlflowException& e) {
    return std::string("! ") + e.what();
  }
}

TEST(TraceSearchGrammar, KeysAndValuesAsSearchTraceUtilsMapsThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"timestamp > 5", "attribute:timestamp_ms > 5#"},
      {"trace.timestamp > 1.5", "attribute:timestamp_ms > 1.5#"},
      {"execution_time > 10", "attribute:execution_time_ms > 10#"},
      {"end_time < 10.5", "attribute:end_time_ms < 10.5#"},
      {"tags.name = 'x'", "tag:mlflow.traceName = x"},
      {"feedback.name = 'x'", "tag:mlflow.traceName = x"},
      {"tags.Timestamp = 'x'", "tag:timestamp_ms = x"},
      {"tag.TEXT LIKE 'x'", "span:content LIKE x"},
      {"trace.text ILIKE '%x%'", "span:content ILIKE %x%"},
      {"span.name LIKE 'x'", "span:name LIKE x"},
      {"span.attributes.`a.b` = 'x'", "span:attributes.`a.b` = x"},
      {"name IN ('a','b')", "tag:mlflow.traceName IN (a,b,)"},
      {"status = \"OK\"", "attribute:status = OK"},
      {"metadata.`mlflow.trace.session` = 's1'", "request_metadata:mlflow.trace.session = s1"},
      {"run_id = 'abc'", "request_metadata:mlflow.sourceRun = abc"},
      {"prompt = 'a/1'", "tag:mlflow.linkedPrompts = a/1"},
      {"issue.id = 'x'", "issue:id = x"},
      {"feedback.`my q` IS NULL", "feedback:my q IS NULL"},
      {"feedback.q > 0.5", "feedback:q > 0.5#"},
      {"feedback.q = \"3\"", "feedback:q = 3"},
      {"`tags`.`a b` = 'x'", "tag:a b = x"},
      {"tags.'a b' = 'x' and status NOT IN ('OK')", "tag:a b = x & attribute:status NOT IN (OK,)"},
      {"timestamp_ms IS NULL", "attribute:timestamp_ms IS NULL"},
  };
  for (const auto& [filter, expected] : cases) EXPECT_EQ(describe(filter), expected) << filter;
}

TEST(TraceSearchGrammar, RefusalsAsPython) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // sqlparse reads bare `timestamp` and `text` as type names, never as identifiers.
      {"timestamp > 1.5", "Invalid clause(s) in filter string: 'timestamp', '>', '1.5'"},
      {"TIMESTAMP > 5", "Invalid clause(s) in filter string: 'TIMESTAMP', '>', '5'"},
      {"text ILIKE '%x%'", "Invalid clause(s) in filter string: 'text', 'ILIKE', ''%x%''"},
      {"span.name like 'x'", "span.name comparator 'like' not one of"},
      {"span.foo = 'x'",
       "Invalid span attribute 'foo'. Supported attributes: name, status, type, "
       "attributes.<attribute_name>."},
      {"span.attributes. = 'x'", "Span attribute name cannot be empty after 'attributes.'"},
      {"span.content = 'a'", "span.content comparator '=' not one of '{'LIKE', 'ILIKE'}'"},
      {"feedback.q > 'a'",
       "Expected a numeric value for feedback when using comparator '>'. Got value 'a'"},
      {"feedback.q = 5",
       "Expected a quoted string value for feedback (e.g. 'my-value'). Got value 5"},
      {"feedback = 'x'", "Invalid attribute key 'feedback' specified."},
      {"status = OK",
       "Parameter value is either not quoted or unidentified quote types used for "
       "string value OK. Use either single or double quotes."},
      {"request_id = 'a' AND status != 'x' OR x = 'y'", "Invalid clause(s) in filter string: 'OR'"},
      {"foo.bar = 'x'", "Invalid entity type 'foo'. Valid values are"},
      {"tags.x = 5", "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5"},
      {"status = 5", "attributes support comparison with numeric values."},
      {"timestamp_ms IN (5)", "supports comparison with a list of quoted string values."},
      {"request_id IN ('a', 5)", "but got different type in list: ('a', 5)"},
      {"name = 'x'; drop table x", "Search filter contained multiple expression"},
  };
  for (const auto& [filter, expected] : cases) {
    EXPECT_THAT(describe(filter), HasSubstr(expected)) << filter;
  }
}

SqlQuery query(const std::string& filter, const std::vector<std::string>& order_by = {},
               const std::string& token = "") {
  return build_search_traces_query({1, 2}, filter, order_by, token, 11);
}

TEST(TraceSearchSql, UserTextOnlyInBindParameters) {
  const std::string evil = "x'; DROP TABLE trace_info; --";
  const SqlQuery q = query("tags.`k'); DELETE FROM spans; --` = \"" + evil +
                               "\" AND metadata.m LIKE '%\"%' AND "
                               "span.attributes.`a\"b` ILIKE '%" +
                               "'' OR 1=1 --" +
                               "%' AND feedback.`q'` != 'v' AND "
                               "request_id IN ('a''b', 'c')",
                           {"tags.`o'k` DESC"});
  EXPECT_THAT(q.sql, Not(HasSubstr("DROP")));
  EXPECT_THAT(q.sql, Not(HasSubstr("DELETE")));
  EXPECT_THAT(q.sql, Not(HasSubstr("1=1")));
  EXPECT_THAT(q.sql, Not(HasSubstr("o'k")));
  std::vector<std::string> texts;
  for (const auto& b : q.binds) {
    if (b.kind == sqlite::Bind::kText) texts.push_back(b.text);
  }
  EXPECT_THAT(texts, ::testing::Contains(evil));
  EXPECT_THAT(texts, ::testing::Contains("k'); DELETE FROM spans; --"));
  EXPECT_THAT(texts, ::testing::Contains("%\"a\"b\"%'' OR 1=1 --%%"));
  EXPECT_THAT(texts, ::testing::Contains("ab"));  // adjacent literals join, as in Python
  EXPECT_THAT(texts, ::testing::Contains("o'k"));
  std::size_t placeholders = 0;
  for (const char c : q.sql) placeholders += c == '?' ? 1 : 0;
  EXPECT_EQ(placeholders, q.binds.size());
}

TEST(TraceSearchSql, InjectionAttemptsAreMatchedLiterally) {
  SqliteStores stores = make_sqlite_stores("sqlite:///:memory:");
  const std::string exp = stores.tracking->create_experiment("inj", std::nullopt, {});
  const SpanData root =
      testing::span_data("tr-000000000000000000000000000000aa", "00000000000000aa", "root", 1000000,
                         2000000, {SpanStatusCode::kOk, ""});
  stores.traces->log_spans(exp, {root});
  const std::string evil = "' OR '1'='1";
  stores.traces->set_trace_tag(root.trace_id, "t", evil);
  const auto ids = [&](const std::string& filter) {
    std::vector<std::string> out;
    for (const auto& t : stores.traces->search_traces({exp}, filter, 10, {}, "").items) {
      out.push_back(t.trace_id);
    }
    return out;
  };
  EXPECT_EQ(ids("tags.t = \"" + evil + "\"").size(), 1u);
  EXPECT_TRUE(ids("tags.t = 'x'' OR ''1''=''1'").empty());
  EXPECT_TRUE(ids("request_id = \'\'\' OR 1=1 --\'").empty());
  EXPECT_TRUE(ids("span.name RLIKE '(' ").empty());  // a bad pattern matches nothing
  EXPECT_EQ(ids("span.name RLIKE '^ro+t$'").size(), 1u);
  EXPECT_EQ(stores.traces->get_trace_info(root.trace_id).tags.at("t"), evil);
}

TEST(TraceSearchSql, OrderingsDefaultsAndErrors) {
  EXPECT_THAT(query("").sql,
              HasSubstr("ORDER BY trace_info.timestamp_ms DESC, trace_info.request_id LIMIT"));
  EXPECT_THAT(query("", {"timestamp_ms ASC"}).sql,
              HasSubstr("ORDER BY trace_info.timestamp_ms, trace_info.request_id LIMIT"));
  EXPECT_THAT(query("", {"execution_time DESC", "name"}).sql,
              HasSubstr("ORDER BY CASE WHEN trace_info.execution_time_ms IS NULL THEN 1 ELSE 0 "
                        "END, trace_info.execution_time_ms DESC, CASE WHEN "
                        "trace_info.trace_name IS NULL THEN 1 ELSE 0 END, "
                        "trace_info.trace_name, trace_info.timestamp_ms DESC"));
  EXPECT_THAT(query("", {"tags.env DESC"}).sql,
              HasSubstr("LEFT OUTER JOIN trace_tags AS o0 ON o0.request_id = "
                        "trace_info.request_id AND o0.key = ?"));
  EXPECT_EQ(testing::error_of([] {
              query("", {"name", "tags.mlflow.traceName"});
            }),
            "INTERNAL_ERROR: `order_by` contains duplicate fields: ['name', "
            "'tags.mlflow.traceName']");
  EXPECT_EQ(testing::error_of([] { query("", {"metadata.`mlflow.trace.cost`"}); }),
            "INVALID_PARAMETER_VALUE: Ordering by reserved metadata 'mlflow.trace.cost' is not "
            "supported because it is represented by multiple columns.");
  EXPECT_EQ(testing::error_of([] { query("", {"span.name"}); }),
            "INVALID_PARAMETER_VALUE: Invalid identifier type 'span'");
  EXPECT_THAT(testing::error_of([] { query("tags.x > 'a'"); }),
              HasSubstr("INVALID_PARAMETER_VALUE: Invalid comparator '>' not one of"));
  EXPECT_THAT(testing::error_of([] { query("prompt LIKE 'a%'"); }),
              HasSubstr("Invalid comparator 'LIKE' for prompts filter."));
  EXPECT_EQ(testing::error_of([] { query("prompt = 'a'"); }),
            "INVALID_PARAMETER_VALUE: Invalid prompts filter value 'a'. Expected format: prompt "
            "= \"name/version\"");
  EXPECT_EQ(testing::error_of([] { query("metadata.`mlflow.trace.tokenUsage` LIKE 'a'"); }),
            "INVALID_PARAMETER_VALUE: Comparator 'LIKE' is not supported for reserved metadata "
            "'mlflow.trace.tokenUsage'. Only '=', '!=', 'IS NULL', and 'IS NOT NULL' are "
            "supported.");
  EXPECT_EQ(testing::error_of([] { query("issue.name2 = 'a'"); }),
            "INVALID_PARAMETER_VALUE: Invalid issue attribute 'name2'. Supported attributes: id");
  EXPECT_EQ(testing::error_of([] { query("feedback. = 'a'"); }),
            "INVALID_PARAMETER_VALUE: Assessment field name cannot be empty");
  EXPECT_EQ(testing::error_of([] { query("", {}, "not a token!"); }),
            "INVALID_PARAMETER_VALUE: Invalid page token, could not base64-decode");
  // The filter is parsed before the page token, the order_by before the filter.
  EXPECT_THAT(testing::error_of([] { query("x", {"bad key"}, "!"); }), HasSubstr("order_by"));
  EXPECT_THAT(testing::error_of([] { query("x = 'y'", {}, "!"); }),
              HasSubstr("Invalid attribute key 'x'"));
}

}  // namespace
}  // namespace mlflow::internal::sqlite_search
