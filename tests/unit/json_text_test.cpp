// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The one JSON text writer (core/json_text) and the one metric encoder (rest/json_writer).
#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "mlflow/errors.hpp"
#include "rest/json_writer.hpp"

namespace mlflow::internal::json_text {
namespace {

using json_writer::log_batch_body;
using json_writer::log_metric_body;
using json_writer::metric_json;

std::string str(const std::string& s) {
  std::string out;
  append_string(out, s, NonAscii::kKeep, "f");
  return out;
}

std::string ascii(const std::string& s) {
  std::string out;
  append_string(out, s, NonAscii::kEscape, "f");
  return out;
}

std::string repr(double v) {
  std::string out;
  append_float_repr(out, v);
  return out;
}

TEST(JsonText, EscapesLikeAJsonEncoderAndKeepsUtf8) {
  const std::string tricky = "q\"b\\n\n\t\x01 \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(nlohmann::json::parse(str(tricky)).get<std::string>(), tricky);
  EXPECT_EQ(str("a\"b"), R"("a\"b")");
  EXPECT_EQ(str(std::string("\x1f", 1)), R"("\u001f")");
}

TEST(JsonText, RejectsInvalidUtf8WithAClearError) {
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

TEST(JsonText, DoublesRoundTripExactlyAndNonFiniteAreMlflowStrings) {
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

TEST(JsonText, Int64Extremes) {
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

// json.dumps' ensure_ascii, as the prompt tags need it: \uXXXX with lowercase hex, surrogate
// pairs above U+FFFF, DEL escaped too; the same escapes as kKeep for ASCII.
TEST(JsonText, AsciiModeEscapesLikePythonEnsureAscii) {
  EXPECT_EQ(ascii("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            R"("caf\u00e9 \u20ac \ud83d\ude00")");
  EXPECT_EQ(ascii(std::string("a\x7f\x1f\"\\\n\t", 7)), R"("a\u007f\u001f\"\\\n\t")");
  EXPECT_EQ(str(std::string("a\x7f", 2)), std::string("\"a\x7f\""));
  EXPECT_THROW(ascii("\xC3"), InvalidArgument);
  try {
    ascii("ok\xFF");
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'f'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("at offset 2"), std::string::npos) << e.what();
  }
}

// Python's repr(float), which MLflow's Python client sends for metric values and json.dumps
// writes into prompt tags.
TEST(JsonText, FloatReprIsPythons) {
  EXPECT_EQ(repr(1.0), "1.0");
  EXPECT_EQ(repr(-0.0), "-0.0");
  EXPECT_EQ(repr(0.1), "0.1");
  EXPECT_EQ(repr(100000.0), "100000.0");
  EXPECT_EQ(repr(1e15), "1000000000000000.0");
  EXPECT_EQ(repr(1e16), "1e+16");
  EXPECT_EQ(repr(1.5e16), "1.5e+16");
  EXPECT_EQ(repr(0.0001), "0.0001");
  EXPECT_EQ(repr(1e-05), "1e-05");
  EXPECT_EQ(repr(123456.789), "123456.789");
  EXPECT_EQ(repr(5e-324), "5e-324");
  EXPECT_EQ(repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(repr(-2.5e-100), "-2.5e-100");
}

// The one metric encoder: fields in alphabetical order (the order of nlohmann::json, which
// wrote log-metric bodies before), optional fields only when set, no run_id in log-batch.
TEST(JsonWriter, MetricBodies) {
  Metric m{"k", 1.0, 1718000000000, 9007199254740993LL, {}, {}, {}, std::string("other-run")};
  EXPECT_EQ(metric_json(m),
            R"({"key":"k","step":9007199254740993,"timestamp":1718000000000,"value":1.0})");
  m.model_id = "m-1";
  m.dataset_name = "ds";
  m.dataset_digest = "d1";
  m.value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(log_metric_body("r1", m),
            R"({"dataset_digest":"d1","dataset_name":"ds","key":"k","model_id":"m-1",)"
            R"("run_id":"r1","run_uuid":"r1","step":9007199254740993,"timestamp":1718000000000,)"
            R"("value":"Infinity"})");
  EXPECT_EQ(
      nlohmann::json::parse(log_batch_body("r1", std::vector<Metric>{m}, {}, {}))["metrics"][0],
      nlohmann::json::parse(metric_json(m)));
}

}  // namespace
}  // namespace mlflow::internal::json_text
