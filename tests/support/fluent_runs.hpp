// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Fluent-run scenarios that several tests replay against different stores.

#include <string>

namespace mlflow::testing {

/// Starts a fluent run whose scope an exception leaves (its ActiveRun must end it FAILED);
/// returns the run's id.
std::string run_left_by_an_exception();

/// Starts a fluent run and ends it (FINISHED) at once; returns the run's id.
std::string run_that_finished();

/// Sets tags on the active experiment one by one and in bulk, deletes one, and expects the
/// experiment `experiment_id` (the active one) to hold exactly what is left.
void expect_experiment_tags_set_and_deleted(const std::string& experiment_id);

}  // namespace mlflow::testing
