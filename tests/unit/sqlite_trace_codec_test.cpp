// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The row codecs of the embedded trace store against bytes MLflow 3.18's SQL store wrote:
// spans.content (Span.to_dict as json.dumps(ensure_ascii=False)), the trace-level usage and
// cost aggregation, the analytics columns, assessment value columns and request previews.
#include <gtest/gtest.h>

#include "core/trace_preview.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/span_content.hpp"
#include "sqlite/trace_rows.hpp"
#include "support/builders.hpp"

namespace mlflow::internal::sqlite {
namespace {

// A span row Python 3.18 wrote (mlflow.trace + set_attribute + add_event on sqlite:///).
const std::string kPythonContent =
    R"({"trace_id": "byR12+2U48P3+eDzbzZ+vw==", "span_id": "KtOhbuSkUlI=", "parent_span_id": )"
    R"("8Vu7SH5Kv2Q=", "name": "llm", "kind": "SPAN_KIND_INTERNAL", "start_time_unix_nano": )"
    R"(1796663486993366343, "end_time_unix_nano": 1796663486994195933, "events": [{"name": )"
    R"("ev", "time_unix_nano": 1796663486993822976, "attributes": {"a": 1, "b": [1, 2], )"
    R"("ü": "ä"}}], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": )"
    R"({"mlflow.traceRequestId": "\"tr-6f2475dbed94e3c3f7f9e0f36f367ebf\"", "mlflow.spanType": )"
    R"("\"LLM\"", "mlflow.spanFunctionName": "\"llm\"", "mlflow.spanInputs": "{\"q\": )"
    R"(\"hi\"}", "mlflow.chat.tokenUsage": "{\"input_tokens\": 3, \"output_tokens\": 4, )"
    R"(\"total_tokens\": 7}", "mlflow.llm.cost": "{\"input_cost\": 0.1, \"output_cost\": 0.2, )"
    R"(\"total_cost\": 0.30000000000000004}", "mlflow.llm.model": "\"gpt-x\"", )"
    R"("mlflow.spanOutputs": "\"ans ü\"", "mlflow.spanLogLevel": "20"}, "links": []})";

TEST(SpanContent, ReadsPythonRowsAndWritesTheSameBytes) {
  const SpanData s = span_from_content(kPythonContent, "tr-unused");
  EXPECT_EQ(s.trace_id, "tr-6f2475dbed94e3c3f7f9e0f36f367ebf");
  EXPECT_EQ(s.span_id, "2ad3a16ee4a45252");
  EXPECT_EQ(s.parent_id, std::optional<std::string>("f15bbb487e4abf64"));
  EXPECT_EQ(s.name, "llm");
  EXPECT_EQ(s.start_time_ns, 1796663486993366343);
  EXPECT_EQ(s.end_time_ns, std::optional<std::int64_t>(1796663486994195933));
  EXPECT_EQ(s.status.status_code, SpanStatusCode::kOk);
  EXPECT_EQ(s.span_type(), "LLM");
  EXPECT_EQ(s.inputs(), JsonValue({{"q", "hi"}}));
  EXPECT_EQ(s.outputs(), JsonValue("ans ü"));
  EXPECT_EQ(*s.get_attribute("mlflow.llm.cost"),
            JsonValue({{"input_cost", 0.1}, {"output_cost", 0.2}, {"total_cost", 0.1 + 0.2}}));
  EXPECT_EQ(*s.get_attribute("mlflow.spanLogLevel"), JsonValue(20));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].attributes, JsonValue({{"a", 1}, {"b", {1, 2}}, {"ü", "ä"}}));
  EXPECT_EQ(span_content(span_for_storage(s)), kPythonContent);
}

TEST(SpanContent, RootsErrorsAndTheRequestIdAsTheServerStoresThem) {
  SpanData s =
      testing::span_data("tr-0123456789ABCDEF0123456789abcdef", "00000000000000FF", "root \"q\"\n",
                         5, std::nullopt, {SpanStatusCode::kError, "boom"});
  s.attributes = JsonValue::object({{"x", JsonValue::array({1.5, nullptr, true})}});
  const SpanData stored = span_for_storage(s);
  EXPECT_EQ(stored.trace_id, "tr-0123456789abcdef0123456789abcdef");
  EXPECT_EQ(span_content(stored),
            R"({"trace_id": "ASNFZ4mrze8BI0VniavN7w==", "span_id": "AAAAAAAAAP8=", )"
            R"("parent_span_id": null, "name": "root \"q\"\n", "kind": "SPAN_KIND_INTERNAL", )"
            R"("start_time_unix_nano": 5, "end_time_unix_nano": null, "events": [], "status": )"
            R"({"code": "STATUS_CODE_ERROR", "message": "boom"}, "attributes": {"x": "[1.5, null, )"
            R"(true]", "mlflow.traceRequestId": "\"tr-0123456789abcdef0123456789abcdef\""}, )"
            R"("links": []})");
  // OpenTelemetry drops descriptions of non-error statuses.
  s.status = {SpanStatusCode::kOk, "fine"};
  EXPECT_NE(span_content(span_for_storage(s)).find(R"("message": "")"), std::string::npos);
  // Text that is not JSON stays text when read back.
  const SpanData back = span_from_content(
      R"({"span_id": "AAAAAAAAAP8=", "parent_span_id": "", "name": "n", )"
      R"("start_time_unix_nano": 1, "end_time_unix_nano": 2, "status": {"code": "OK"}, )"
      R"("attributes": {"raw": "not json"}})",
      "tr-x");
  EXPECT_EQ(back.trace_id, "tr-x");
  EXPECT_FALSE(back.parent_id.has_value());
  EXPECT_EQ(*back.get_attribute("raw"), JsonValue("not json"));
  for (const char* bad :
       {"tr-123", "0123456789abcdef0123456789abcdef", "tr-0123456789abcdef0123456789abcdeg"}) {
    s.trace_id = bad;
    EXPECT_THROW(span_for_storage(s), InvalidArgument) << bad;
  }
  EXPECT_THROW(span_from_content("{", "tr-x"), MlflowException);
}

TEST(TraceRows, UsageAndCostSkipDescendantsOfSpansThatHaveThem) {
  // root (usage 10) -> child (usage 4, must not count) ; sibling leaf (usage 1) ; orphan (2).
  const std::vector<SpanAggregationNode> usage = {
      {"r", std::nullopt,
       JsonValue({{"input_tokens", 6}, {"output_tokens", 4}, {"total_tokens", 10}})},
      {"c", "r", JsonValue({{"input_tokens", 3}, {"output_tokens", 1}, {"total_tokens", 4}})},
      {"p", std::nullopt, JsonValue()},
      {"l", "p", JsonValue({{"input_tokens", 1}, {"cache_read_input_tokens", 7}})},
      {"o", "missing", JsonValue({{"total_tokens", 2}})}};
  EXPECT_EQ(aggregate_usage(usage).dump(),
            R"({"input_tokens": 7, "output_tokens": 4, "total_tokens": 12, )"
            R"("cache_read_input_tokens": 7})");
  EXPECT_TRUE(aggregate_usage({{"a", std::nullopt, JsonValue()}}).is_null());
  EXPECT_EQ(aggregate_cost({{"a", std::nullopt, JsonValue({{"total_cost", 1}})},
                            {"b", std::nullopt, JsonValue({{"input_cost", 0.25}})}})
                .dump(),
            R"({"input_cost": 0.25, "output_cost": 0.0, "total_cost": 1.0})");
}

TEST(TraceRows, AnalyticsColumnsAndNumberCoercionsAsPython) {
  EXPECT_EQ(token_count_or_none(JsonValue(3.0)), std::optional<std::int64_t>(3));
  EXPECT_EQ(token_count_or_none(JsonValue(" 12 ")), std::optional<std::int64_t>(12));
  EXPECT_EQ(token_count_or_none(JsonValue("9223372036854775807")),
            std::optional<std::int64_t>(9223372036854775807));
  EXPECT_FALSE(token_count_or_none(JsonValue(3.5)));
  EXPECT_FALSE(token_count_or_none(JsonValue(true)));
  EXPECT_FALSE(token_count_or_none(JsonValue("x")));
  EXPECT_EQ(finite_float_or_none(JsonValue("1.5")), std::optional<double>(1.5));
  EXPECT_FALSE(finite_float_or_none(JsonValue("inf")));
  EXPECT_FALSE(finite_float_or_none(JsonValue(false)));

  const AnalyticsColumns a = analytics_columns_from_metadata(
      {{"mlflow.trace.session", "s1"},
       {"mlflow.trace.tokenUsage", R"({"input_tokens": 3, "total_tokens": "x"})"},
       {"mlflow.trace.cost", "not json"}});
  EXPECT_TRUE(a.has_session);
  EXPECT_EQ(a.session_id, std::optional<std::string>("s1"));
  ASSERT_EQ(a.tokens.size(), 2u);
  EXPECT_STREQ(a.tokens[0].first, "input_tokens");
  EXPECT_EQ(a.tokens[0].second, std::optional<std::int64_t>(3));
  EXPECT_STREQ(a.tokens[1].first, "total_tokens");
  EXPECT_FALSE(a.tokens[1].second);  // NULL, but written
  EXPECT_TRUE(a.costs.empty());
  EXPECT_THROW(analytics_columns_from_metadata({{"mlflow.trace.session", std::string(251, 's')}}),
               InvalidArgument);
  EXPECT_EQ(parse_json_string_or_raw("\"a\""), "a");
  EXPECT_EQ(parse_json_string_or_raw("5"), "5");
}

TEST(TraceRows, AssessmentColumnsAsSqlAssessmentsWritesThem) {
  Feedback yes(JsonValue("Yes "), "ok");
  auto v = assessment_value_columns(yes);
  EXPECT_EQ(v.value, "\"Yes \"");
  EXPECT_EQ(v.aggregate_value, std::optional<double>(1.0));
  EXPECT_FALSE(v.is_numeric_value);
  Feedback failed(AssessmentError{"TIMEOUT", "judge timed out", std::nullopt});
  v = assessment_value_columns(failed);
  EXPECT_EQ(v.value, "null");
  EXPECT_EQ(v.error, std::optional<std::string>(
                         R"({"error_code": "TIMEOUT", "error_message": "judge timed out", )"
                         R"("stack_trace": null})"));
  v = assessment_value_columns(Expectation("e", JsonValue({{"a", {1}}, {"é", 0.5}})));
  EXPECT_EQ(v.value, R"({"a": [1], "\u00e9": 0.5})");
  EXPECT_FALSE(v.aggregate_value);
  v = assessment_value_columns(Feedback(JsonValue(0.75)));
  EXPECT_EQ(v.aggregate_value, std::optional<double>(0.75));
  EXPECT_TRUE(v.is_numeric_value);
  EXPECT_EQ(assessment_metadata_json({{"b", "2"}, {"a", "ü"}}),
            std::optional<std::string>(R"({"a": "\u00fc", "b": "2"})"));
  EXPECT_FALSE(assessment_metadata_json({}));
}

TEST(TracePreview, ChatMessagesAndTruncationAsPython) {
  EXPECT_EQ(truncated_preview(R"({"q": "hi é"})", "user"), R"({"q": "hi é"})");
  EXPECT_EQ(truncated_preview(
                R"({"messages": [{"role": "system", "content": "s"}, {"role": "user", )"
                R"("content": [{"type": "text", "text": "question"}]}, {"role": "assistant", )"
                R"("content": "a"}]})",
                "user"),
            "question");
  EXPECT_EQ(truncated_preview(R"({"choices": [{"message": {"role": "assistant", "content": )"
                              R"("answer"}}]})",
                              "assistant"),
            "answer");
  EXPECT_EQ(truncated_preview(R"({"messages": []})", "user"), R"({"messages": []})");
  EXPECT_EQ(truncated_preview("not json\x01", "user"), "not json\x01");
  EXPECT_EQ(truncated_preview(std::string("a\0b", 3), "user"),
            "a\xEF\xBF\xBD"
            "b");
  const std::string long_text = "\"" + std::string(600, 'x') + std::string(600, 'y') + "\"";
  const std::string p = truncated_preview(long_text, "user");
  EXPECT_EQ(p.size(), 1000u);
  EXPECT_EQ(p.substr(997), "...");
  std::string umlauts;
  for (int i = 0; i < 1001; ++i) umlauts += "ü";
  EXPECT_EQ(truncated_preview(umlauts, "user").size(), 997u * 2 + 3);  // characters, not bytes
}

}  // namespace
}  // namespace mlflow::internal::sqlite
