// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/validation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/errors.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

using ::testing::HasSubstr;

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
    return e.what();
  }
  ADD_FAILURE() << "expected InvalidArgument";
  return "";
}

TEST(Validation, KeysAcceptMlflowCharacters) {
  EXPECT_NO_THROW(validate_metric_key("train/loss-1.0 x:y_z"));
  EXPECT_NO_THROW(validate_param_key(u8"l\u00e9arning_rate"));  // non-ASCII letters are \w
}

TEST(Validation, KeysRejectBadCharactersWithMlflowWording) {
  EXPECT_THAT(message_of([] { validate_metric_key("a*b"); }),
              HasSubstr("Names may only contain alphanumerics, underscores (_), dashes (-), "
                        "periods (.), spaces ( ), colon(:) and slashes (/)."));
  EXPECT_THAT(message_of([] { validate_metric_key("a*b"); }),
              HasSubstr("Invalid value \"a*b\" for parameter 'name' supplied"));
}

TEST(Validation, KeysRejectNamesThatResolveToOtherPaths) {
  for (const char* bad : {"a//b", "./a", "a/", "/a", "..", "../a", "", "a/./b"}) {
    EXPECT_THAT(message_of([&] { validate_tag_key(bad); }), HasSubstr("would resolve to")) << bad;
  }
}

TEST(Validation, KeyLengthLimit) {
  EXPECT_NO_THROW(validate_param_key(std::string(250, 'k')));
  EXPECT_THAT(message_of([] { validate_param_key(std::string(251, 'k')); }),
              HasSubstr("'Param key' exceeds the maximum length of 250 characters"));
}

TEST(Validation, LongParamAndTagValuesAreTruncatedLikeMlflow) {
  EXPECT_EQ(validate_param(Param{"k", std::string(7000, 'v')}).value.size(), 6000u);
  EXPECT_EQ(validate_tag(RunTag{"k", std::string(9000, 'v')}).value.size(), 8000u);
  mlflow::testing::ScopedEnv env(
      std::map<std::string, std::optional<std::string>>{{"MLFLOW_TRUNCATE_LONG_VALUES", "false"}});
  EXPECT_THAT(message_of([] {
                validate_param(Param{"k", std::string(7000, 'v')});
              }),
              HasSubstr("exceeds the maximum length of 6000"));
}

TEST(Validation, NegativeTimestampRejectedNanAllowed) {
  EXPECT_NO_THROW(validate_metric(Metric{"m", std::nan(""), 1, 0}));
  EXPECT_THAT(message_of([] {
                validate_metric(Metric{"m", 1.0, -1, 0}, "metrics[2]");
              }),
              HasSubstr("metrics[2].timestamp"));
}

TEST(Validation, ExperimentNameAndTags) {
  EXPECT_THAT(message_of([] { validate_experiment_name("   "); }),
              HasSubstr("Invalid experiment name"));
  EXPECT_THAT(message_of([] { validate_experiment_name(std::string(501, 'n')); }),
              HasSubstr("exceeds the maximum length of 500"));
  EXPECT_NO_THROW(validate_experiment_tag(ExperimentTag{"k", std::string(20000, 'v')}));
  EXPECT_THROW(validate_experiment_tag(ExperimentTag{"k", std::string(20001, 'v')}),
               InvalidArgument);
}

TEST(Validation, RunIdFormat) {
  EXPECT_NO_THROW(validate_run_id("0123456789abcdef0123456789abcdef"));
  EXPECT_THROW(validate_run_id("-abc"), InvalidArgument);
  EXPECT_THROW(validate_run_id("abc'; DROP TABLE runs; --"), InvalidArgument);
}

TEST(Validation, MaxResultsRange) {
  EXPECT_THROW(validate_max_results(0), InvalidArgument);
  EXPECT_THROW(validate_max_results(50001), InvalidArgument);
  EXPECT_NO_THROW(validate_max_results(50000));
}

TEST(Validation, DuplicateParamKeysInOneBatch) {
  EXPECT_THAT(message_of([] {
                validate_param_keys_unique({{"a", "1"}, {"b", "2"}, {"a", "3"}});
              }),
              HasSubstr("Duplicate parameter keys have been submitted: ['a']"));
}

TEST(Validation, DatasetLimits) {
  DatasetInput in{Dataset{"d", std::string(37, 'x'), "local", "{}", {}, {}}, {}};
  EXPECT_THAT(message_of([&] { validate_dataset_input(in, "datasets[0]"); }),
              HasSubstr("'digest' exceeds the maximum length of 36"));
  in.dataset.digest = "abc";
  in.dataset.source = "";
  EXPECT_THAT(message_of([&] { validate_dataset_input(in, "datasets[0]"); }),
              HasSubstr("datasets[0].dataset.source"));
}

}  // namespace
}  // namespace mlflow::internal
