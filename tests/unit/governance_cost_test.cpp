// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The governance cost model against GenOps' worked examples (10 MB to S3, a 500 MB model,
// registry operations), user pricing tables, and dated LLM token prices (ADR 0027).
#include "mlflow/governance_cost.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/errors.hpp"
#include "mlflow/governance_llm_pricing.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::governance {
namespace {

using testing::ThrowsMlflow;

constexpr std::uint64_t kMegabyte = 1024ULL * 1024ULL;

Operation an_operation(std::string_view name, OperationKind kind, int depth = 0) {
  Operation operation;
  operation.name = name;
  operation.kind = kind;
  operation.depth = depth;
  return operation;
}

// GenOps: "10 MB artifact to S3 ... ~$0.0000075 per day: (10 MB / 1024 GB) * $0.023 / 30 days".
TEST(GovernanceCost, TenMegabytesOnS3CostGenOpsDailyFigure) {
  const CostModel model;
  const double expected = 10.0 / 1024.0 * 0.023 / 30.0;
  EXPECT_DOUBLE_EQ(model.storage_cost_per_day(10 * kMegabyte, "s3"), expected);
  EXPECT_NEAR(model.storage_cost_per_day(10 * kMegabyte, "s3"), 0.0000075, 1e-7);
}

// GenOps: "500 MB model to S3 ... ~$0.000375 per day: (500 MB / 1024 GB) * $0.023 / 30 days".
TEST(GovernanceCost, FiveHundredMegabyteModelOnS3CostsGenOpsDailyFigure) {
  const CostModel model;
  EXPECT_DOUBLE_EQ(model.storage_cost_per_day(500 * kMegabyte, "s3"), 500.0 / 1024.0 * 0.023 / 30);
  EXPECT_NEAR(model.storage_cost_per_day(500 * kMegabyte, "s3"), 0.000375, 1e-6);
  EXPECT_DOUBLE_EQ(model.storage_cost_per_day(500 * kMegabyte, "azure"), 500.0 / 1024 * 0.02 / 30);
  EXPECT_DOUBLE_EQ(model.storage_cost_per_day(500 * kMegabyte, "gcs"), 500.0 / 1024 * 0.02 / 30);
  EXPECT_EQ(model.storage_cost_per_day(500 * kMegabyte, "local"), 0.0);  // local is free
  EXPECT_EQ(model.storage_cost_per_day(500 * kMegabyte, "tape"), 0.0);   // no price
}

// GenOps: tracking calls $0.0001, register_model and stage transitions $0.0005; nested calls
// (register_model's create_model_version) are not charged again.
TEST(GovernanceCost, CallPricesFollowGenOpsAndChargeTopLevelCallsOnly) {
  const CostModel model;
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("log_param", OperationKind::kTracking)), 0.0001);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("log_metric", OperationKind::kTracking)), 0.0001);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("set_tag", OperationKind::kTracking)), 0.0001);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("create_run", OperationKind::kTracking)), 0.0001);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("register_model", OperationKind::kRegistry)),
                   0.0005);
  EXPECT_DOUBLE_EQ(
      model.call_cost(an_operation("transition_model_version_stage", OperationKind::kRegistry)),
      0.0005);
  EXPECT_EQ(model.call_cost(an_operation("create_model_version", OperationKind::kRegistry, 1)),
            0.0);
  EXPECT_EQ(model.call_cost(an_operation("download_artifacts", OperationKind::kArtifactDownload)),
            0.0);
}

TEST(GovernanceCost, UploadsPayStorageOnTheBackendOfTheirArtifactRoot) {
  const CostModel model;
  Operation upload = an_operation("log_artifact", OperationKind::kArtifactUpload);
  upload.bytes = 10 * kMegabyte;
  upload.target.artifact_uri = "s3://bucket/1/abc/artifacts";
  EXPECT_DOUBLE_EQ(model.operation_cost(upload), 10.0 / 1024 * 0.023 / 30);
  EXPECT_EQ(model.operation_cost(upload, "/tmp/mlruns/1/abc/artifacts"), 0.0);
  EXPECT_EQ(model.storage_backend_of("S3://b/x"), "s3");
  EXPECT_EQ(model.storage_backend_of("wasbs://c@a.blob.core.windows.net/x"), "azure");
  EXPECT_EQ(model.storage_backend_of("abfss://c@a.dfs.core.windows.net/x"), "azure");
  EXPECT_EQ(model.storage_backend_of("gs://b/x"), "gcs");
  EXPECT_EQ(model.storage_backend_of("file:///tmp/x"), "local");
  EXPECT_EQ(model.storage_backend_of("mlflow-artifacts:/1/abc"), "local");
  PricingTable proxied_on_s3;
  proxied_on_s3.default_storage_backend = "s3";
  EXPECT_EQ(CostModel(proxied_on_s3).storage_backend_of("mlflow-artifacts:/1/abc"), "s3");
}

TEST(GovernanceCost, UserPricingTablesReplaceTheDefaults) {
  PricingTable pricing;
  pricing.tracking_operation = 0.0002;
  pricing.operation_prices = {{"log_batch", 0.001}};
  pricing.storage_per_gb_month["s3"] = 0.030;
  const CostModel model(pricing);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("log_param", OperationKind::kTracking)), 0.0002);
  EXPECT_DOUBLE_EQ(model.call_cost(an_operation("log_batch", OperationKind::kTracking)), 0.001);
  EXPECT_DOUBLE_EQ(model.storage_cost_per_day(1024 * kMegabyte, "s3"), 0.030 / 30);
}

TEST(GovernanceCost, BadPricesAreRefusedWithTheFieldNamed) {
  PricingTable negative;
  negative.registry_operation = -1;
  EXPECT_THAT(
      [&] { CostModel{negative}; },
      ThrowsMlflow(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("registry_operation")));
  PricingTable no_days;
  no_days.days_per_month = 0;
  EXPECT_THAT([&] { CostModel{no_days}; }, ThrowsMlflow(ErrorCode::kInvalidParameterValue,
                                                        ::testing::HasSubstr("days_per_month")));
}

LlmPriceTable a_price_table() {
  LlmPriceTable table;
  table.add({"gpt-4o", "2024-05-13", 5.0, 15.0, std::nullopt});
  table.add({"gpt-4o", "2024-08-06", 2.5, 10.0, 1.25});
  return table;
}

TEST(GovernanceLlmPricing, TheEntryInForceOnTheDateApplies) {
  const LlmPriceTable table = a_price_table();
  EXPECT_FALSE(table.price_on("gpt-4o", "2024-05-12"));
  EXPECT_DOUBLE_EQ(table.price_on("gpt-4o", "2024-05-13")->input_per_million, 5.0);
  EXPECT_DOUBLE_EQ(table.price_on("gpt-4o", "2024-08-05")->input_per_million, 5.0);
  EXPECT_DOUBLE_EQ(table.price_on("gpt-4o", "2024-08-06")->input_per_million, 2.5);
  EXPECT_DOUBLE_EQ(table.price_on("gpt-4o", "2026-12-08")->output_per_million, 10.0);
  EXPECT_FALSE(table.price_on("claude", "2026-12-08"));
}

TEST(GovernanceLlmPricing, CachedInputTokensPayTheCachedPrice) {
  const LlmPriceTable table = a_price_table();
  TokenUsage usage;
  usage.input_tokens = 1000;
  usage.output_tokens = 200;
  usage.cache_read_input_tokens = 400;
  const auto cost = table.cost_of("gpt-4o", usage, "2025-01-01");
  ASSERT_TRUE(cost);
  EXPECT_DOUBLE_EQ(cost->input_cost, (600 * 2.5 + 400 * 1.25) / 1e6);
  EXPECT_DOUBLE_EQ(cost->output_cost, 200 * 10.0 / 1e6);
  EXPECT_DOUBLE_EQ(*cost->total_cost, cost->input_cost + cost->output_cost);
  // Without a cached price, cached tokens pay the input price.
  const auto old = table.cost_of("gpt-4o", usage, "2024-06-01");
  EXPECT_DOUBLE_EQ(old->input_cost, 1000 * 5.0 / 1e6);
}

TEST(GovernanceLlmPricing, BadEntriesAreRefused) {
  LlmPriceTable table = a_price_table();
  EXPECT_THAT(
      [&] {
        table.add({"gpt-4o", "2024-08-06", 1.0, 1.0, std::nullopt});
      },
      ThrowsMlflow(ErrorCode::kResourceAlreadyExists));
  EXPECT_THAT(
      [&] {
        table.add({"gpt-4o", "08/06/2024", 1.0, 1.0, std::nullopt});
      },
      ThrowsMlflow(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("YYYY-MM-DD")));
  EXPECT_THAT(
      [&] {
        table.add({"", "", 1.0, 1.0, std::nullopt});
      },
      ThrowsMlflow(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(
      [&] {
        table.add({"m", "", -1.0, 1.0, std::nullopt});
      },
      ThrowsMlflow(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("input_per_million")));
}

TEST(GovernanceLlmPricing, AnInertSpanIsNotPriced) {
  LiveSpan inert;
  EXPECT_FALSE(price_llm_span(inert, a_price_table(), "2025-01-01"));
}

}  // namespace
}  // namespace mlflow::governance
