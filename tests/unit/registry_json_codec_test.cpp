// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The model registry's JSON codec (leniency of protobuf JSON, strictness on wrong types) and
// the exact request shapes of RestRegistryStore against a recording fake transport.
#include "rest/registry_json_codec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>

#include "mlflow/errors.hpp"
#include "rest/rest_registry_store.hpp"
#include "support/fake_transport.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;
using testing::FakeTransport;
using ::testing::HasSubstr;

TEST(RegistryJsonCodec, DecodesAModelVersionAsTheServerSendsIt) {
  const Json j = Json::parse(R"({"name": "m", "version": "3", "creation_timestamp": 1718000000000,
    "last_updated_timestamp": "1718000000005", "current_stage": "Production",
    "description": "d", "source": "s3://b/m", "run_id": "abc", "status": "READY",
    "tags": [{"key": "k", "value": "v"}, {"key": "e"}], "run_link": "http://x",
    "aliases": ["champion", "b"], "unknown_field": 1})");
  const ModelVersion mv = json_codec::decode_model_version(j);
  EXPECT_EQ(mv.name, "m");
  EXPECT_EQ(mv.version, "3");
  EXPECT_EQ(mv.creation_timestamp, 1718000000000);
  EXPECT_EQ(mv.last_updated_timestamp, 1718000000005);
  EXPECT_EQ(mv.current_stage, ModelVersionStage::kProduction);
  EXPECT_EQ(mv.status, ModelVersionStatus::kReady);
  EXPECT_EQ(mv.tags.at("k"), "v");
  EXPECT_EQ(mv.tags.at("e"), "");
  EXPECT_THAT(mv.aliases, ::testing::ElementsAre("champion", "b"));
  EXPECT_EQ(mv.run_link, "http://x");
  EXPECT_FALSE(mv.model_id.has_value());
  EXPECT_EQ(mv.description, std::optional<std::string>("d"));
}

// Python's ModelVersion.from_proto: None when the field is absent, "" when sent empty;
// RegisteredModel.from_proto reads "" for both.
TEST(RegistryJsonCodec, TellsAnAbsentDescriptionFromAnEmptyOneAsPython) {
  EXPECT_EQ(json_codec::decode_model_version(Json::parse(R"({"name": "m"})")).description,
            std::nullopt);
  EXPECT_EQ(json_codec::decode_model_version(Json::parse(R"({"name": "m", "description": ""})"))
                .description,
            std::optional<std::string>(""));
  EXPECT_EQ(json_codec::decode_registered_model(Json::parse(R"({"name": "m"})")).description,
            std::optional<std::string>(""));
}

TEST(RegistryJsonCodec, IsLenientWhereProtobufJsonIs) {
  // Version as a number, status as its enum number, stage in another case, nulls as absent.
  const Json j = Json::parse(
      R"({"name": "m", "version": 2, "status": 1, "current_stage": "staging", "source": null})");
  const ModelVersion mv = json_codec::decode_model_version(j);
  EXPECT_EQ(mv.version, "2");
  EXPECT_EQ(mv.status, ModelVersionStatus::kPendingRegistration);
  EXPECT_EQ(mv.current_stage, ModelVersionStage::kStaging);
  EXPECT_EQ(mv.source, "");
  // Defaults when the server omits fields.
  const ModelVersion empty = json_codec::decode_model_version(Json::object());
  EXPECT_EQ(empty.current_stage, ModelVersionStage::kNone);
  EXPECT_EQ(empty.status, ModelVersionStatus::kReady);
}

TEST(RegistryJsonCodec, DecodesARegisteredModel) {
  const Json j = Json::parse(R"({"name": "m", "creation_timestamp": 5, "last_updated_timestamp": 6,
    "latest_versions": [{"name": "m", "version": "1", "current_stage": "None"}],
    "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}],
    "aliases": [{"alias": "a", "version": "1"}, {"alias": "b", "version": 2}]})");
  const RegisteredModel rm = json_codec::decode_registered_model(j);
  EXPECT_EQ(rm.name, "m");
  EXPECT_EQ(rm.creation_timestamp, 5);
  EXPECT_EQ(rm.description, "");
  ASSERT_EQ(rm.latest_versions.size(), 1u);
  EXPECT_EQ(rm.latest_versions[0].version, "1");
  EXPECT_EQ(rm.tags.at("mlflow.prompt.is_prompt"), "true");
  EXPECT_EQ(rm.aliases.at("a"), "1");
  EXPECT_EQ(rm.aliases.at("b"), "2");
}

TEST(RegistryJsonCodec, WrongTypesNameTheField) {
  const auto expect_bad = [](const char* text, const char* field) {
    try {
      json_codec::decode_model_version(Json::parse(text));
      ADD_FAILURE() << text << " accepted";
    } catch (const MlflowException& e) {
      EXPECT_EQ(e.error_code(), ErrorCode::kUnparseableHttpError);
      EXPECT_THAT(e.what(), HasSubstr(field)) << text;
    }
  };
  expect_bad(R"({"status": "DONE"})", "status");
  expect_bad(R"({"status": 7})", "status");
  expect_bad(R"({"current_stage": "Live"})", "current_stage");
  expect_bad(R"({"tags": {"k": "v"}})", "tags");
  expect_bad(R"({"creation_timestamp": "soon"})", "creation_timestamp");
  expect_bad(R"([1])", "model_version");
  EXPECT_THROW(json_codec::decode_registered_model(Json::parse(R"({"aliases": ["a"]})")),
               MlflowException);
}

TEST(RegistryJsonCodec, EncodesTags) {
  EXPECT_EQ(json_codec::encode(RegisteredModelTag{"k", "v"}).dump(), R"({"key":"k","value":"v"})");
  EXPECT_EQ(json_codec::encode(ModelVersionTag{"k", ""}).dump(), R"({"key":"k","value":""})");
}

TEST(RegistryEnums, StagesAreCaseInsensitiveWithTheServersMessage) {
  EXPECT_EQ(model_version_stage_from_string("ARCHIVED"), ModelVersionStage::kArchived);
  EXPECT_EQ(model_version_stage_from_string("none"), ModelVersionStage::kNone);
  EXPECT_STREQ(to_string(ModelVersionStage::kProduction), "Production");
  try {
    model_version_stage_from_string("Live");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(),
                 "Invalid Model Version stage: Live. Value must be one of None, Staging, "
                 "Production, Archived.");
  }
  EXPECT_EQ(model_version_status_from_string("FAILED_REGISTRATION"),
            ModelVersionStatus::kFailedRegistration);
  EXPECT_THROW(model_version_status_from_string("ready"), InvalidArgument);
}

// ---- request shapes ----

class RestRegistryShapes : public ::testing::Test {
 protected:
  RestRegistryShapes() : transport_(std::make_shared<FakeTransport>()) {
    config_.tracking_uri = "http://h:5000";
    config_.retry.max_retries = 0;
  }
  RestRegistryStore make() { return RestRegistryStore(config_, transport_); }
  const HttpRequest& last() const { return transport_->requests.back(); }

  ResolvedConfig config_;
  std::shared_ptr<FakeTransport> transport_;
};

TEST_F(RestRegistryShapes, DeletesCarryAJsonBody) {
  auto store = make();
  store.delete_registered_model_alias("m", "champ");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last().url, "http://h:5000/api/2.0/mlflow/registered-models/alias");
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"name":"m","alias":"champ"})"));
  store.delete_model_version_tag("m", "2", "k");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"name":"m","version":"2","key":"k"})"));
}

TEST_F(RestRegistryShapes, SearchesAreGetsWithRepeatedOrderBy) {
  auto store = make();
  transport_->reply_ok(
      R"({"model_versions": [{"name": "m", "version": "1"}], "next_page_token": "tok"})");
  SearchModelVersionsOptions o;
  o.filter_string = "name = 'a b'";
  o.order_by = {"name", "version_number DESC"};
  o.max_results = 5;
  const auto page = store.search_model_versions(o);
  EXPECT_EQ(last().method, "GET");
  EXPECT_EQ(last().url,
            "http://h:5000/api/2.0/mlflow/model-versions/search?filter=name%20%3D%20%27a%20b%27&"
            "max_results=5&order_by=name&order_by=version_number%20DESC");
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page.token, "tok");
}

TEST_F(RestRegistryShapes, UpdatesArePatchesAndTransitionsSendTheFlag) {
  auto store = make();
  transport_->reply_ok(R"({"model_version": {"name": "m", "version": "1"}})");
  store.update_model_version("m", "1", std::nullopt);
  EXPECT_EQ(last().method, "PATCH");
  EXPECT_EQ(Json::parse(last().body), Json::parse(R"({"name":"m","version":"1"})"));
  transport_->reply_ok(R"({"model_version": {"name": "m", "version": "1"}})");
  store.transition_model_version_stage("m", "1", "Staging", true);
  EXPECT_EQ(
      Json::parse(last().body),
      Json::parse(
          R"({"name":"m","version":"1","stage":"Staging","archive_existing_versions":true})"));
  // An answer without the object is not MLflow's.
  transport_->reply_ok("{}");
  EXPECT_THROW(store.get_model_version("m", "1"), MlflowException);
}

}  // namespace
}  // namespace mlflow::internal
