// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// JSON codec: the exact wire forms of MLflow's protobuf JSON, checked against answers captured
// from a real MLflow 3.18.0 server (curl, SQLite backend).
#include "rest/json_codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/json_text.hpp"
#include "mlflow/errors.hpp"
#include "rest/json_writer.hpp"
#include "support/files.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal::json_codec {
namespace {

using ::testing::HasSubstr;

// Answers of a real MLflow 3.18.0 server, verbatim, in tests/data/server-3.18/. get_run: the
// run had log-batch metrics loss@1=0.5, loss@2=0.25, nanm="NaN", infm="Infinity" (stored
// by the SQL backend as DBL_MAX), big=9007199254740993 at step 9007199254740993, a param, a
// tag and a dataset input.
using testing::recorded_server_json;

// ---- scalars ----

// The one NaN/Infinity rule (core/json_text::append_double), read back by decode_double.
TEST(JsonCodecTest, EncodesFiniteDoublesAsNumbersAndNonFiniteAsQuotedStrings) {
  const auto encode_double = [](double v) {
    std::string text;
    json_text::append_double(text, v);
    const Json j = Json::parse(text);
    EXPECT_EQ(decode_double(j, "v") == v || (std::isnan(v) && std::isnan(decode_double(j, "v"))),
              true)
        << text;
    return j;
  };
  EXPECT_EQ(encode_double(0.25).dump(), "0.25");
  EXPECT_EQ(encode_double(std::numeric_limits<double>::quiet_NaN()).dump(), "\"NaN\"");
  EXPECT_EQ(encode_double(std::numeric_limits<double>::infinity()).dump(), "\"Infinity\"");
  EXPECT_EQ(encode_double(-std::numeric_limits<double>::infinity()).dump(), "\"-Infinity\"");
  // DBL_MAX stays a finite number (MLflow's SQL store writes +-Inf as that value).
  EXPECT_EQ(encode_double(1.7976931348623157e308).dump(), "1.7976931348623157e+308");
  EXPECT_EQ(encode_double(-1.7976931348623157e308).dump(), "-1.7976931348623157e+308");
  EXPECT_TRUE(encode_double(1e20).is_number());
}

TEST(JsonCodecTest, DecodesDoublesInEveryWireForm) {
  EXPECT_EQ(decode_double(Json(0.5), "v"), 0.5);
  EXPECT_EQ(decode_double(Json(3), "v"), 3.0);
  EXPECT_TRUE(std::isnan(decode_double(Json("NaN"), "v")));
  EXPECT_EQ(decode_double(Json("Infinity"), "v"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(decode_double(Json("-Infinity"), "v"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(decode_double(Json::parse("1.7976931348623157e+308"), "v"), 1.7976931348623157e308);
  EXPECT_EQ(decode_double(Json("1.5"), "v"), 1.5);
}

TEST(JsonCodecTest, RejectsDoubleSpellingsProtobufRejects) {
  EXPECT_THROW(decode_double(Json("nan"), "v"), MlflowException);
  EXPECT_THROW(decode_double(Json("inf"), "v"), MlflowException);
  EXPECT_THROW(decode_double(Json("0x1p3"), "v"), MlflowException);
  EXPECT_THROW(decode_double(Json(true), "v"), MlflowException);
  EXPECT_THAT([] { decode_double(Json("oops"), "metrics.value"); },
              testing::ThrowsMlflow(ErrorCode::kUnparseableHttpError, HasSubstr("metrics.value")));
}

TEST(JsonCodecTest, DecodesInt64AsNumberOrDecimalString) {
  EXPECT_EQ(decode_int64(Json::parse("9007199254740993"), "t"), 9007199254740993LL);
  EXPECT_EQ(decode_int64(Json("9007199254740993"), "t"), 9007199254740993LL);
  EXPECT_EQ(decode_int64(Json("-42"), "t"), -42);
  EXPECT_EQ(decode_int64(Json::parse("9223372036854775807"), "t"),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(decode_int64(Json("-9223372036854775808"), "t"),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(decode_int64(Json::parse("5.0"), "t"), 5);
  EXPECT_THROW(decode_int64(Json::parse("1.5"), "t"), MlflowException);
  EXPECT_THROW(decode_int64(Json("1.5"), "t"), MlflowException);
  EXPECT_THROW(decode_int64(Json("9223372036854775808"), "t"), MlflowException);
  EXPECT_THROW(decode_int64(Json::parse("18446744073709551615"), "t"), MlflowException);
  EXPECT_THROW(decode_int64(Json(""), "t"), MlflowException);
  EXPECT_THROW(decode_int64(Json("-"), "t"), MlflowException);
}

TEST(JsonCodecTest, EncodesInt64AsJsonNumbers) {
  Metric m{"k", 1.0, 1718000000000, 9007199254740993LL, {}, {}, {}, {}};
  const Json j = Json::parse(json_writer::metric_json(m));
  EXPECT_TRUE(j["timestamp"].is_number_integer());
  EXPECT_EQ(j.dump(),
            R"({"key":"k","step":9007199254740993,"timestamp":1718000000000,"value":1.0})");
}

TEST(JsonCodecTest, DecodesEnumsByNameOrNumber) {
  EXPECT_EQ(decode_run_status(Json("FINISHED"), "s"), RunStatus::kFinished);
  EXPECT_EQ(decode_run_status(Json(5), "s"), RunStatus::kKilled);
  EXPECT_THROW(decode_run_status(Json("finished"), "s"), MlflowException);
  EXPECT_THROW(decode_run_status(Json(9), "s"), MlflowException);
  EXPECT_EQ(decode_view_type(Json("ALL"), "v"), ViewType::kAll);
  EXPECT_EQ(decode_view_type(Json(2), "v"), ViewType::kDeletedOnly);
  EXPECT_THROW(decode_view_type(Json("EVERYTHING"), "v"), MlflowException);
}

// ---- encoding of entities ----

TEST(JsonCodecTest, EncodesMetricWithOptionalFieldsOnlyWhenSet) {
  Metric m;
  m.key = "acc";
  m.value = std::numeric_limits<double>::quiet_NaN();
  m.timestamp = 7;
  m.step = 0;
  EXPECT_EQ(json_writer::metric_json(m), R"({"key":"acc","step":0,"timestamp":7,"value":"NaN"})");
  m.model_id = "m-1";
  m.dataset_name = "ds";
  m.dataset_digest = "d1";
  const Json j = Json::parse(json_writer::metric_json(m));
  EXPECT_EQ(j["model_id"], "m-1");
  EXPECT_EQ(j["dataset_name"], "ds");
  EXPECT_EQ(j["dataset_digest"], "d1");
}

TEST(JsonCodecTest, EncodesDatasetInputAsMlflowDoes) {
  DatasetInput in;
  in.dataset = Dataset{"ds", "abc123", "local", R"({"uri":"/tmp/x"})", std::string("{}"), {}};
  in.tags = {InputTag{"mlflow.data.context", "training"}};
  EXPECT_EQ(
      encode(in).dump(),
      R"({"dataset":{"digest":"abc123","name":"ds","schema":"{}","source":"{\"uri\":\"/tmp/x\"}",)"
      R"("source_type":"local"},"tags":[{"key":"mlflow.data.context","value":"training"}]})");
  EXPECT_EQ(encode(ModelOutput{"m-2", 3}).dump(), R"({"model_id":"m-2","step":3})");
  EXPECT_EQ(encode(ModelInput{"m-3"}).dump(), R"({"model_id":"m-3"})");
  EXPECT_EQ(encode(Param{"lr", "0.01"}).dump(), R"({"key":"lr","value":"0.01"})");
}

// ---- decoding of real server answers ----

TEST(JsonCodecTest, DecodesRealGetRun) {
  const mlflow::Run run = decode_run(Json::parse(recorded_server_json("get_run"))["run"]);
  EXPECT_EQ(run.info.run_id, "d9881f3ffdfc4a5b9a15adaf9055630d");
  EXPECT_EQ(run.info.experiment_id, "1");
  EXPECT_EQ(run.info.run_name, "my-run");
  EXPECT_EQ(run.info.user_id, "alice");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_EQ(run.info.start_time, 1718000000000);
  EXPECT_FALSE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.artifact_uri,
            "mlflow-artifacts:/1/d9881f3ffdfc4a5b9a15adaf9055630d/artifacts");
  EXPECT_EQ(run.info.lifecycle_stage, "active");

  ASSERT_EQ(run.data.latest_metrics.size(), 4u);
  EXPECT_EQ(run.data.metrics.size(), 4u);
  EXPECT_EQ(run.data.metrics.at("loss"), 0.25);
  EXPECT_EQ(run.data.latest_metrics[0].step, 2);
  EXPECT_EQ(run.data.latest_metrics[0].timestamp, 1718000002000);
  EXPECT_TRUE(std::isnan(run.data.metrics.at("nanm")));
  EXPECT_EQ(run.data.metrics.at("infm"), 1.7976931348623157e308);
  EXPECT_EQ(run.data.latest_metrics[3].step, 9007199254740993LL);
  EXPECT_FALSE(run.data.latest_metrics[0].run_id.has_value());
  EXPECT_EQ(run.data.params, (std::map<std::string, std::string>{{"lr", "0.01"}}));
  EXPECT_EQ(run.data.tags.at("mlflow.runName"), "my-run");
  EXPECT_EQ(run.data.tags.at("phase"), "train");
  EXPECT_EQ(run.data.tags.size(), 3u);

  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  const DatasetInput& in = run.inputs.dataset_inputs[0];
  EXPECT_EQ(in.dataset.name, "ds");
  EXPECT_EQ(in.dataset.digest, "abc123");
  EXPECT_EQ(in.dataset.source_type, "local");
  EXPECT_EQ(in.dataset.source, R"({"uri":"/tmp/x"})");
  EXPECT_EQ(in.dataset.schema, std::optional<std::string>("{}"));
  EXPECT_FALSE(in.dataset.profile.has_value());
  EXPECT_EQ(in.tags, (std::vector<InputTag>{{"mlflow.data.context", "training"}}));
  EXPECT_TRUE(run.inputs.model_inputs.empty());
  EXPECT_TRUE(run.outputs.model_outputs.empty());
}

TEST(JsonCodecTest, DecodesRealUpdateRunInfoWithEndTime) {
  const RunInfo info = decode_run_info(Json::parse(recorded_server_json("update_run"))["run_info"]);
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.end_time, std::optional<std::int64_t>(1718000100000));
}

TEST(JsonCodecTest, DecodesRealSearchRunsPage) {
  const Json page = Json::parse(recorded_server_json("search_runs"));
  ASSERT_EQ(array_field(page, "runs").size(), 1u);
  const mlflow::Run run = decode_run(array_field(page, "runs")[0]);
  EXPECT_EQ(run.info.run_name, "second");
  EXPECT_EQ(run.info.user_id, "bob");
  EXPECT_TRUE(run.data.metrics.empty());
  EXPECT_EQ(page["next_page_token"], "eyJvZmZzZXQiOiAxfQ==");
}

TEST(JsonCodecTest, DecodesRealExperimentIgnoringUnknownFields) {
  const Json page = Json::parse(recorded_server_json("search_experiments"));
  const Experiment e = decode_experiment(array_field(page, "experiments")[0]);
  EXPECT_EQ(e.experiment_id, "1");
  EXPECT_EQ(e.name, "sample-exp");
  EXPECT_EQ(e.artifact_location, "mlflow-artifacts:/1");
  EXPECT_EQ(e.lifecycle_stage, "active");
  EXPECT_EQ(e.creation_time, std::optional<std::int64_t>(1795351553195));
  EXPECT_EQ(e.last_update_time, std::optional<std::int64_t>(1795351553195));
  EXPECT_EQ(e.tags, (std::map<std::string, std::string>{{"team", "ml"}}));
}

TEST(JsonCodecTest, ExperimentTimesAndTagsAreOptional) {
  const Experiment e = decode_experiment(
      Json::parse(R"({"experiment_id":"0","name":"Default","lifecycle_stage":"active"})"));
  EXPECT_FALSE(e.creation_time.has_value());
  EXPECT_FALSE(e.last_update_time.has_value());
  EXPECT_TRUE(e.tags.empty());
  EXPECT_TRUE(e.artifact_location.empty());
}

TEST(JsonCodecTest, DecodesRealMetricHistoryAndBulkInterval) {
  const Json hist = Json::parse(recorded_server_json("get_metric_history"));
  const Metric m = decode_metric(array_field(hist, "metrics")[0]);
  EXPECT_EQ(m, (Metric{"loss", 0.5, 1718000001000, 1, {}, {}, {}, {}}));

  const Json bulk = Json::parse(recorded_server_json("get_metric_history_bulk_interval"));
  ASSERT_EQ(array_field(bulk, "metrics").size(), 2u);
  const Metric b = decode_metric(array_field(bulk, "metrics")[1]);
  EXPECT_EQ(b.value, 0.25);
  EXPECT_EQ(b.run_id, std::optional<std::string>("d9881f3ffdfc4a5b9a15adaf9055630d"));
}

TEST(JsonCodecTest, EveryFieldIsOptionalAndNullMeansAbsent) {
  const mlflow::Run run =
      decode_run(Json::parse(R"({"info":{"run_id":"r","end_time":null},"data":{}})"));
  EXPECT_EQ(run.info.run_id, "r");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_FALSE(run.info.end_time.has_value());
  const mlflow::Run empty = decode_run(Json::object());
  EXPECT_TRUE(empty.info.run_id.empty());
  const Metric m = decode_metric(Json::parse(R"({"key":"k"})"));
  EXPECT_EQ(m.value, 0.0);
  EXPECT_EQ(m.step, 0);
}

TEST(JsonCodecTest, OldServersSendOnlyRunUuid) {
  const RunInfo info = decode_run_info(Json::parse(R"({"run_uuid":"abc"})"));
  EXPECT_EQ(info.run_id, "abc");
}

TEST(JsonCodecTest, Int64AsStringsAndEnumsAsNumbersAreAccepted) {
  const RunInfo info = decode_run_info(Json::parse(
      R"({"run_id":"r","status":3,"start_time":"1718000000000","end_time":"1718000100000"})"));
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.start_time, 1718000000000);
  EXPECT_EQ(info.end_time, std::optional<std::int64_t>(1718000100000));
}

TEST(JsonCodecTest, DuplicateKeysInRunDataKeepTheLastLikePython) {
  const RunData d = decode_run_data(Json::parse(
      R"({"metrics":[{"key":"a","value":1,"timestamp":1,"step":1},{"key":"a","value":2,"timestamp":2,"step":2}],)"
      R"("tags":[{"key":"t","value":"x"},{"key":"t","value":"y"}]})"));
  EXPECT_EQ(d.metrics.at("a"), 2.0);
  EXPECT_EQ(d.latest_metrics.size(), 2u);
  EXPECT_EQ(d.tags.at("t"), "y");
}

TEST(JsonCodecTest, WrongTypesFailWithTheFieldName) {
  EXPECT_THAT([] { decode_run_info(Json::parse(R"({"run_id":"r","start_time":"yesterday"})")); },
              testing::ThrowsMlflow(ErrorCode::kUnparseableHttpError, HasSubstr("start_time")));
  EXPECT_THROW(decode_run_data(Json::parse(R"({"tags":{"k":"v"}})")), MlflowException);
  EXPECT_THROW(decode_experiment(Json::parse(R"({"name":5})")), MlflowException);
  EXPECT_THROW(decode_run(Json::array()), MlflowException);
}

TEST(JsonCodecTest, DecodesModelInputsAndOutputs) {
  const mlflow::Run run = decode_run(Json::parse(
      R"({"inputs":{"model_inputs":[{"model_id":"m-1"}]},"outputs":{"model_outputs":[{"model_id":"m-2","step":"4"}]}})"));
  ASSERT_EQ(run.inputs.model_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.model_inputs[0].model_id, "m-1");
  ASSERT_EQ(run.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(run.outputs.model_outputs[0].model_id, "m-2");
  EXPECT_EQ(run.outputs.model_outputs[0].step, 4);
}

}  // namespace
}  // namespace mlflow::internal::json_codec
