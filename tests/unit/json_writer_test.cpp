// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "mlflow/errors.hpp"

namespace mlflow::internal::json_writer {
namespace {

std::string str(const std::string& s) {
  std::string out;
  append_string(out, s, "f");
  return out;
}

TEST(JsonWriter, EscapesLikeAJsonEncoderAndKeepsUtf8) {
  const std::string tricky = "q\"b\\n\n\t\x01 \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(nlohmann::json::parse(str(tricky)).get<std::string>(), tricky);
  EXPECT_EQ(str("a\"b"), R"("a\"b")");
  EXPECT_EQ(str(std::string("\x1f", 1)), R"("\u001f")");
}

TEST(JsonWriter, RejectsInvalidUtf8WithAClearError) {
  for (const std::string& bad : {std::string("\xC3"), std::string("\xFF"), std::string("\xC0\xAF"),
                                 std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    try {
      str("ok" + bad);
      ADD_FAILURE() << "accepted invalid UTF-8";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("not valid UTF-8"), std::string::npos);
    }
  }
}

TEST(JsonWriter, DoublesRoundTripExactlyAndNonFiniteAreMlflowStrings) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::uint64_t> bits;
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t b = bits(rng);
    double v;
    std::memcpy(&v, &b, sizeof v);
    if (!std::isfinite(v)) continue;
    std::string out;
    append_double(out, v);
    EXPECT_EQ(nlohmann::json::parse(out).get<double>(), v) << out;
  }
  std::string out;
  append_double(out, std::numeric_limits<double>::quiet_NaN());
  append_double(out, std::numeric_limits<double>::infinity());
  append_double(out, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, R"("NaN""Infinity""-Infinity")");
}

TEST(JsonWriter, Int64Extremes) {
  std::string out;
  append_int(out, std::numeric_limits<std::int64_t>::min());
  out += ",";
  append_int(out, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(out, "-9223372036854775808,9223372036854775807");
}

TEST(JsonWriter, LogBatchBodyParsesToTheExpectedDocument) {
  const std::vector<Metric> metrics{{"m", 1.5, 10, 2}};
  const std::vector<Param> params{{"p", "v"}};
  const std::string body = log_batch_body("r", metrics, params, {});
  EXPECT_EQ(
      nlohmann::json::parse(body),
      nlohmann::json::parse(R"({"run_id":"r","metrics":[{"key":"m","value":1.5,)"
                            R"("timestamp":10,"step":2}],"params":[{"key":"p","value":"v"}]})"));
}

}  // namespace
}  // namespace mlflow::internal::json_writer
