// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// String forms of the public enums, exactly as MLflow spells them on the wire.
#include "core/enum_names.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow {
namespace {

constexpr internal::EnumName<RunStatus> kRunStatusNames[] = {
    {RunStatus::kRunning, "RUNNING"},   {RunStatus::kScheduled, "SCHEDULED"},
    {RunStatus::kFinished, "FINISHED"}, {RunStatus::kFailed, "FAILED"},
    {RunStatus::kKilled, "KILLED"},
};

constexpr internal::EnumName<ViewType> kViewTypeNames[] = {
    {ViewType::kActiveOnly, "ACTIVE_ONLY"},
    {ViewType::kDeletedOnly, "DELETED_ONLY"},
    {ViewType::kAll, "ALL"},
};

constexpr internal::EnumName<LogLevel> kLogLevelNames[] = {
    {LogLevel::kTrace, "TRACE"},     {LogLevel::kDebug, "DEBUG"}, {LogLevel::kInfo, "INFO"},
    {LogLevel::kWarning, "WARNING"}, {LogLevel::kError, "ERROR"}, {LogLevel::kOff, "OFF"},
};

}  // namespace

const char* to_string(RunStatus status) noexcept {
  return internal::name_in(kRunStatusNames, status, "RUNNING");
}

RunStatus run_status_from_string(const std::string& name) {
  return internal::value_or_invalid(kRunStatusNames, name, "run status");
}

bool is_terminated(RunStatus status) noexcept {
  return status == RunStatus::kFinished || status == RunStatus::kFailed ||
         status == RunStatus::kKilled;
}

const char* to_string(ViewType view) noexcept {
  return internal::name_in(kViewTypeNames, view, "ACTIVE_ONLY");
}

ViewType view_type_from_string(const std::string& name) {
  // The proto's names (upper case) and Python 3.18's ViewType.from_string names (lower case).
  const auto view = internal::value_in(kViewTypeNames, [&name](const char* candidate) {
    return name == candidate || name == internal::to_lower(candidate);
  });
  if (view) return *view;
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid view type '" + name +
                            "'. Expected one of active_only, deleted_only, all (or ACTIVE_ONLY, "
                            "DELETED_ONLY, ALL).");
}

const char* to_string(LogLevel level) noexcept {
  return internal::name_in(kLogLevelNames, level, "OFF");
}

}  // namespace mlflow
