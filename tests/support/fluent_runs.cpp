// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/fluent_runs.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "mlflow/fluent.hpp"

namespace mlflow::testing {

std::string run_left_by_an_exception() {
  std::string run_id;
  try {
    ActiveRun run = start_run();
    run_id = run.run_id();
    throw std::runtime_error("training diverged");
  } catch (const std::runtime_error&) {
  }
  return run_id;
}

std::string run_that_finished() {
  ActiveRun run = start_run();
  return run.run_id();
}

void expect_experiment_tags_set_and_deleted(const std::string& experiment_id) {
  set_experiment_tag("a", "1");
  set_experiment_tags({{"b", "2"}, {"c", "3"}});
  delete_experiment_tag("c");
  const auto tags = get_experiment(experiment_id).tags;
  EXPECT_EQ(tags.at("a"), "1");
  EXPECT_EQ(tags.at("b"), "2");
  EXPECT_EQ(tags.count("c"), 0u);
}

}  // namespace mlflow::testing
