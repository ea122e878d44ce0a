// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// JsonValue: construction from C++ values, Python's json.dumps bytes (expected strings are
// what Python 3.11's json.dumps prints for the same value), parsing, equality.

#include "mlflow/json_value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"

namespace {

using mlflow::JsonValue;

TEST(JsonValue, ScalarsDumpLikePython) {
  EXPECT_EQ(JsonValue().dump(), "null");
  EXPECT_EQ(JsonValue(nullptr).dump(), "null");
  EXPECT_EQ(JsonValue(true).dump(), "true");
  EXPECT_EQ(JsonValue(1).dump(), "1");
  EXPECT_EQ(JsonValue(-5L).dump(), "-5");
  EXPECT_EQ(JsonValue(1.0).dump(), "1.0");
  EXPECT_EQ(JsonValue(0.1).dump(), "0.1");
  EXPECT_EQ(JsonValue(1e16).dump(), "1e+16");
  EXPECT_EQ(JsonValue(1.5e-7).dump(), "1.5e-07");
  EXPECT_EQ(JsonValue(std::nan("")).dump(), "NaN");
  EXPECT_EQ(JsonValue(HUGE_VAL).dump(), "Infinity");
  EXPECT_EQ(JsonValue(-HUGE_VAL).dump(), "-Infinity");
  EXPECT_EQ(JsonValue(std::uint64_t{18446744073709551615ULL}).dump(), "1.8446744073709552e+19");
}

TEST(JsonValue, StringsEscapeLikePython) {
  const JsonValue s("a\"b\\\n\t\x01\x7f \xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(s.dump(), R"("a\"b\\\n\t\u0001\u007f \u00e9 \ud83d\ude00")");
  JsonValue::DumpOptions raw;
  raw.ensure_ascii = false;
  EXPECT_EQ(JsonValue({{"k", "\xc3\xa9\xf0\x9f\x98\x80\x7f"}}).dump(raw),
            "{\"k\": \"\xc3\xa9\xf0\x9f\x98\x80\x7f\"}");
  // Bytes Python could not hold in a str are replaced, never written raw.
  EXPECT_EQ(JsonValue(std::string("a\xff"
                                  "b"))
                .dump(),
            R"("a\ufffdb")");
}

TEST(JsonValue, ContainersFromLiteralsAndStdTypes) {
  const JsonValue obj = {{"b", 1}, {"a", {1.5, "x"}}};
  ASSERT_TRUE(obj.is_object());
  EXPECT_EQ(obj.dump(), R"({"b": 1, "a": [1.5, "x"]})");
  const JsonValue arr = {1, 2, 3};
  EXPECT_TRUE(arr.is_array());
  EXPECT_EQ(JsonValue({1, {2, JsonValue::object()}}).dump(), "[1, [2, {}]]");
  // A list of pairs is an object unless array() says otherwise.
  EXPECT_EQ(JsonValue::array({{"a", 1}}).dump(), R"([["a", 1]])");
  EXPECT_EQ(JsonValue({"a", "b"}).dump(), R"(["a", "b"])");
  EXPECT_EQ(JsonValue(std::vector<std::string>{"x", "y"}).dump(), R"(["x", "y"])");
  EXPECT_EQ(JsonValue(std::map<std::string, double>{{"z", 2.0}, {"a", 0.5}}).dump(),
            R"({"a": 0.5, "z": 2.0})");
  EXPECT_EQ(JsonValue(std::optional<int>()).dump(), "null");
  EXPECT_EQ(JsonValue(std::optional<int>(4)).dump(), "4");
  EXPECT_EQ(JsonValue::array().dump(), "[]");
  EXPECT_EQ(JsonValue::object().dump(), "{}");
}

TEST(JsonValue, IndentAndSortKeysLikePython) {
  JsonValue::DumpOptions pretty;
  pretty.indent = 2;
  pretty.sort_keys = true;
  const JsonValue v = {{"b", {1, JsonValue::object()}}, {"a", JsonValue::array()}};
  EXPECT_EQ(v.dump(pretty), "{\n  \"a\": [],\n  \"b\": [\n    1,\n    {}\n  ]\n}");
}

TEST(JsonValue, ObjectEditsKeepInsertionOrder) {
  JsonValue v = JsonValue::object();
  v.set("b", 1);
  v.set("a", 2);
  v.set("b", 3);  // replaced in place, like a Python dict
  v["c"] = "x";
  EXPECT_EQ(v.dump(), R"({"b": 3, "a": 2, "c": "x"})");
  EXPECT_TRUE(v.erase("a"));
  EXPECT_FALSE(v.erase("a"));
  EXPECT_EQ(v.at("b").as_int(), 3);
  EXPECT_EQ(v.find("zz"), nullptr);
  EXPECT_THROW(v.at("zz"), mlflow::InvalidArgument);
  EXPECT_THROW(v.as_string(), mlflow::InvalidArgument);
}

TEST(JsonValue, ParsesWhatPythonLoads) {
  const JsonValue v =
      JsonValue::parse(R"([1, 12345678901234567890, -0, 1E2, "\ud83d\ude00", NaN, -Infinity])");
  ASSERT_EQ(v.size(), 7u);
  EXPECT_TRUE(v.at(0).is_int());
  EXPECT_TRUE(v.at(1).is_double());  // beyond int64
  EXPECT_EQ(v.at(2).as_int(), 0);
  EXPECT_TRUE(v.at(3).is_double());
  EXPECT_EQ(v.at(3).as_double(), 100.0);
  EXPECT_EQ(v.at(4).as_string(), "\xf0\x9f\x98\x80");
  EXPECT_TRUE(std::isnan(v.at(5).as_double()));
  EXPECT_TRUE(std::isinf(v.at(6).as_double()));
  const JsonValue o = JsonValue::parse(R"({"z": {"y": [true, null]}, "a": "t", "z": 1})");
  EXPECT_EQ(o.dump(), R"({"z": 1, "a": "t"})");  // last value, first position
  EXPECT_THROW(JsonValue::parse("{'a': 1}"), mlflow::InvalidArgument);
  EXPECT_THROW(JsonValue::parse("[1,]"), mlflow::InvalidArgument);
  EXPECT_THROW(JsonValue::parse("01"), mlflow::InvalidArgument);
  EXPECT_THROW(JsonValue::parse("1 2"), mlflow::InvalidArgument);
}

TEST(JsonValue, RoundTripsThroughDumpAndParse) {
  const JsonValue v = {{"messages", {JsonValue{{"role", "user"}, {"content", "hi \xc3\xa9"}}}},
                       {"temperature", 0.7},
                       {"n", 3},
                       {"stop", nullptr}};
  EXPECT_EQ(JsonValue::parse(v.dump()), v);
  EXPECT_EQ(JsonValue::parse(v.dump()).dump(), v.dump());
}

TEST(JsonValue, EqualityIsPythons) {
  EXPECT_EQ(JsonValue(1), JsonValue(1.0));
  EXPECT_NE(JsonValue(1), JsonValue(true));
  EXPECT_EQ(JsonValue({{"a", 1}, {"b", 2}}), JsonValue({{"b", 2}, {"a", 1}}));
  EXPECT_NE(JsonValue({1, 2}), JsonValue({2, 1}));
  EXPECT_NE(JsonValue(std::nan("")), JsonValue(std::nan("")));
}

}  // namespace
