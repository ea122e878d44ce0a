// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/validation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlflow/errors.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"

namespace mlflow::internal {
namespace {

using ::testing::HasSubstr;

TEST(Validation, KeysAcceptMlflowCharacters) {
  EXPECT_NO_THROW(validate_metric_key("train/loss-1.0 x:y_z"));
  EXPECT_NO_THROW(validate_param_key(u8"l\u00e9arning_rate"));  // non-ASCII letters are \w
}

// Python's key rule is `[/\w.\- :]` with a Unicode-aware \w (checked against Python itself,
// code point by code point, in tests/interop/python_chars_interop_test.cpp).
TEST(Validation, KeysUsePythonsUnicodeWordCharacters) {
  for (const char* ok : {u8"\u043f\u043e\u0442\u0435\u0440\u044f", u8"\u635f\u5931",
                         u8"pr\u00e9cision", u8"x\u00b2", u8"\U00020000"}) {
    EXPECT_NO_THROW(validate_metric_key(ok)) << ok;
  }
  // An emoji, a no-break space, a combining accent and a zero-width joiner are not \w.
  for (const char* bad : {u8"loss_\U0001F525", u8"a\u00a0b", u8"e\u0301", u8"a\u200db"}) {
    EXPECT_THAT(testing::refusal_message([&] { validate_param_key(bad); }),
                HasSubstr("Names may only contain alphanumerics"))
        << bad;
  }
}

TEST(Validation, InvalidUtf8IsRefusedNamingTheFieldAndTheByte) {
  EXPECT_THAT(testing::refusal_message([] { validate_metric_key("loss\xFF"); }),
              HasSubstr("'name' is not valid UTF-8 (byte 0xFF at offset 4 of 5)"));
  EXPECT_THAT(testing::refusal_message([] {
                validate_param(Param{"k", "ok\xC3"}, "params[7]");
              }),
              HasSubstr("'params[7].value' is not valid UTF-8 (byte 0xC3 at offset 2"));
  EXPECT_THAT(testing::refusal_message([] {
                validate_tag(RunTag{"k\xED\xA0\x80", "v"});
              }),
              HasSubstr("'tag key' is not valid UTF-8"));
  EXPECT_THAT(testing::refusal_message([] { validate_experiment_name("exp\xC0\xAF"); }),
              HasSubstr("'experiment name' is not valid UTF-8"));
  EXPECT_THAT(testing::refusal_message([] {
                validate_experiment_tag(ExperimentTag{"k", "\xF4\x90\x80\x80"});
              }),
              HasSubstr("'experiment tag value' is not valid UTF-8"));
  DatasetInput in{Dataset{"d\xFF", "abc", "local", "{}", {}, {}}, {}};
  EXPECT_THAT(testing::refusal_message([&] { validate_dataset_input(in, "datasets[0]"); }),
              HasSubstr("'datasets[0].dataset.name' is not valid UTF-8"));
}

TEST(Validation, LengthsAreCountedInCharactersAsPythonsLen) {
  std::string cyrillic_200, cyrillic_251;
  for (int i = 0; i < 200; ++i) cyrillic_200 += u8"\u0436";  // 400 bytes
  for (int i = 0; i < 251; ++i) cyrillic_251 += u8"\u0436";
  EXPECT_NO_THROW(validate_param_key(cyrillic_200));
  EXPECT_THAT(testing::refusal_message([&] { validate_param_key(cyrillic_251); }),
              HasSubstr("exceeds the maximum length of 250"));
  std::string name;
  for (int i = 0; i < 500; ++i) name += u8"\u540d";  // 1500 bytes, 500 characters
  EXPECT_NO_THROW(validate_experiment_name(name));
  EXPECT_THROW(validate_experiment_name(name + "x"), InvalidArgument);
}

TEST(Validation, LongNonAsciiValuesAreKeptWholeOrCutAtCharacterBoundaries) {
  std::string value;
  for (int i = 0; i < 6000; ++i) value += u8"\u0436";  // 6000 characters, 12000 bytes
  EXPECT_EQ(validate_param(Param{"k", value}).value, value);
  std::string emoji = "a";
  for (int i = 0; i < 8000; ++i) emoji += u8"\U0001F525";  // 8001 characters
  const std::string cut = validate_tag(RunTag{"k", emoji}).value;
  EXPECT_EQ(cut.size(), 1u + 7999u * 4u);  // Python's value[:8000]
  EXPECT_EQ(cut, emoji.substr(0, cut.size()));
  const std::string param_cut = validate_param(Param{"k", emoji}).value;
  EXPECT_EQ(param_cut.size(), 1u + 5999u * 4u);
}

TEST(Validation, BlankNamesAreWhatPythonsStripEmpties) {
  EXPECT_THAT(testing::refusal_message([] { validate_experiment_name(u8"\u00a0\u3000"); }),
              HasSubstr("Invalid experiment name"));
  EXPECT_NO_THROW(validate_experiment_name(u8"\u200b"));  // not whitespace for Python
}

TEST(Validation, KeysRejectBadCharactersWithMlflowWording) {
  EXPECT_THAT(testing::refusal_message([] { validate_metric_key("a*b"); }),
              HasSubstr("Names may only contain alphanumerics, underscores (_), dashes (-), "
                        "periods (.), spaces ( ), colon(:) and slashes (/)."));
  EXPECT_THAT(testing::refusal_message([] { validate_metric_key("a*b"); }),
              HasSubstr("Invalid value \"a*b\" for parameter 'name' supplied"));
}

TEST(Validation, KeysRejectNamesThatResolveToOtherPaths) {
  for (const char* bad : {"a//b", "./a", "a/", "/a", "..", "../a", "", "a/./b"}) {
    EXPECT_THAT(testing::refusal_message([&] { validate_tag_key(bad); }),
                HasSubstr("would resolve to"))
        << bad;
  }
}

TEST(Validation, KeyLengthLimit) {
  EXPECT_NO_THROW(validate_param_key(std::string(250, 'k')));
  EXPECT_THAT(testing::refusal_message([] { validate_param_key(std::string(251, 'k')); }),
              HasSubstr("'Param key' exceeds the maximum length of 250 characters"));
}

TEST(Validation, LongParamAndTagValuesAreTruncatedLikeMlflow) {
  EXPECT_EQ(validate_param(Param{"k", std::string(7000, 'v')}).value.size(), 6000u);
  EXPECT_EQ(validate_tag(RunTag{"k", std::string(9000, 'v')}).value.size(), 8000u);
  mlflow::testing::ScopedEnv env(
      std::map<std::string, std::optional<std::string>>{{"MLFLOW_TRUNCATE_LONG_VALUES", "false"}});
  EXPECT_THAT(testing::refusal_message([] {
                validate_param(Param{"k", std::string(7000, 'v')});
              }),
              HasSubstr("exceeds the maximum length of 6000"));
}

TEST(Validation, NegativeTimestampRejectedNanAllowed) {
  EXPECT_NO_THROW(validate_metric(Metric{"m", std::nan(""), 1, 0}));
  EXPECT_THAT(testing::refusal_message([] {
                validate_metric(Metric{"m", 1.0, -1, 0}, "metrics[2]");
              }),
              HasSubstr("metrics[2].timestamp"));
}

TEST(Validation, ExperimentNameAndTags) {
  EXPECT_THAT(testing::refusal_message([] { validate_experiment_name("   "); }),
              HasSubstr("Invalid experiment name"));
  EXPECT_THAT(testing::refusal_message([] { validate_experiment_name(std::string(501, 'n')); }),
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
  EXPECT_THAT(testing::refusal_message([] {
                validate_param_keys_unique({{"a", "1"}, {"b", "2"}, {"a", "3"}});
              }),
              HasSubstr("Duplicate parameter keys have been submitted: ['a']"));
}

TEST(Validation, DatasetLimits) {
  DatasetInput in{Dataset{"d", std::string(37, 'x'), "local", "{}", {}, {}}, {}};
  EXPECT_THAT(testing::refusal_message([&] { validate_dataset_input(in, "datasets[0]"); }),
              HasSubstr("'digest' exceeds the maximum length of 36"));
  in.dataset.digest = "abc";
  in.dataset.source = "";
  EXPECT_THAT(testing::refusal_message([&] { validate_dataset_input(in, "datasets[0]"); }),
              HasSubstr("datasets[0].dataset.source"));
}

}  // namespace
}  // namespace mlflow::internal
