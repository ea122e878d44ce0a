// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/fluent_runs.hpp"

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

}  // namespace mlflow::testing
