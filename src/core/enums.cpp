// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// String forms of the public enums, exactly as MLflow spells them on the wire.
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow {

const char* to_string(RunStatus status) noexcept {
  switch (status) {
    case RunStatus::kRunning:
      return "RUNNING";
    case RunStatus::kScheduled:
      return "SCHEDULED";
    case RunStatus::kFinished:
      return "FINISHED";
    case RunStatus::kFailed:
      return "FAILED";
    case RunStatus::kKilled:
      return "KILLED";
  }
  return "RUNNING";
}

RunStatus run_status_from_string(const std::string& name) {
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kScheduled, RunStatus::kFinished,
                      RunStatus::kFailed, RunStatus::kKilled}) {
    if (name == to_string(s)) return s;
  }
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid run status '" + name +
                            "'. Expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
}

bool is_terminated(RunStatus status) noexcept {
  return status == RunStatus::kFinished || status == RunStatus::kFailed ||
         status == RunStatus::kKilled;
}

const char* to_string(ViewType view) noexcept {
  switch (view) {
    case ViewType::kActiveOnly:
      return "ACTIVE_ONLY";
    case ViewType::kDeletedOnly:
      return "DELETED_ONLY";
    case ViewType::kAll:
      return "ALL";
  }
  return "ACTIVE_ONLY";
}

ViewType view_type_from_string(const std::string& name) {
  // The proto's names (upper case) and Python 3.18's ViewType.from_string names (lower case).
  for (ViewType v : {ViewType::kActiveOnly, ViewType::kDeletedOnly, ViewType::kAll}) {
    if (name == to_string(v) || name == internal::to_lower(to_string(v))) return v;
  }
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid view type '" + name +
                            "'. Expected one of active_only, deleted_only, all (or ACTIVE_ONLY, "
                            "DELETED_ONLY, ALL).");
}

const char* to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kTrace:
      return "TRACE";
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kOff:
      return "OFF";
  }
  return "OFF";
}

}  // namespace mlflow
