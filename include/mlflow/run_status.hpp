// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// RunStatus: the lifecycle status of a run (MLflow's RunStatus enum).

#include <string>

namespace mlflow {

/// A run's status. Values equal MLflow's proto numbers.
enum class RunStatus { kRunning = 1, kScheduled = 2, kFinished = 3, kFailed = 4, kKilled = 5 };

/// "RUNNING", "SCHEDULED", "FINISHED", "FAILED" or "KILLED".
const char* to_string(RunStatus status) noexcept;
/// Parses MLflow's name (case-sensitive, as the server writes it); throws InvalidArgument.
RunStatus run_status_from_string(const std::string& name);
/// True for FINISHED, FAILED and KILLED.
bool is_terminated(RunStatus status) noexcept;

}  // namespace mlflow
