// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The value of a prompt's `_mlflow_experiment_ids` tag after linking an experiment, as Python's
// MlflowClient._link_prompt_to_experiment computes it (the bytes are checked against Python by
// tests/interop/prompt_experiment_link_test.cpp).

#include "client/prompt_experiment_link.hpp"

#include <gtest/gtest.h>

namespace {

using mlflow::internal::add_experiment_id;

TEST(PromptExperimentLink, AppendsWithCommasAround) {
  EXPECT_EQ(add_experiment_id("", "0"), ",0,");
  EXPECT_EQ(add_experiment_id(",0,", "12"), ",0,12,");
  EXPECT_EQ(add_experiment_id(",0,12,", "3"), ",0,12,3,");
}

TEST(PromptExperimentLink, AlreadyLinkedIsLeftAlone) {
  EXPECT_EQ(add_experiment_id(",0,12,", "12"), std::nullopt);
  EXPECT_EQ(add_experiment_id(",0,12,", "0"), std::nullopt);
  // "1" is not "12": whole items are compared, as the LIKE '%,1,%' of search_prompts does.
  EXPECT_EQ(add_experiment_id(",12,", "1"), ",12,1,");
}

TEST(PromptExperimentLink, ReadsValuesWrittenByHandAsPythonDoes) {
  // Outer commas stripped, items trimmed, empty items dropped.
  EXPECT_EQ(add_experiment_id(" 1 ,2", "3"), ",1,2,3,");
  EXPECT_EQ(add_experiment_id(",,1,, 2 ,,", "2"), std::nullopt);
  EXPECT_EQ(add_experiment_id(",,,", "4"), ",4,");
}

}  // namespace
