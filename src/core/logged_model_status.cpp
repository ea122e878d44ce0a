// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// LoggedModelStatus names: Python's (READY) and the proto's (LOGGED_MODEL_READY).
#include "core/enum_names.hpp"
#include "core/proto_enum_names.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logged_model.hpp"

namespace mlflow {
namespace {

constexpr internal::EnumName<LoggedModelStatus> kPythonNames[] = {
    {LoggedModelStatus::kUnspecified, "UNSPECIFIED"},
    {LoggedModelStatus::kPending, "PENDING"},
    {LoggedModelStatus::kReady, "READY"},
    {LoggedModelStatus::kFailed, "FAILED"},
};

constexpr internal::EnumName<LoggedModelStatus> kProtoNames[] = {
    {LoggedModelStatus::kUnspecified, "LOGGED_MODEL_STATUS_UNSPECIFIED"},
    {LoggedModelStatus::kPending, "LOGGED_MODEL_PENDING"},
    {LoggedModelStatus::kReady, "LOGGED_MODEL_READY"},
    {LoggedModelStatus::kFailed, "LOGGED_MODEL_UPLOAD_FAILED"},
};

}  // namespace

std::string to_string(LoggedModelStatus status) {
  return internal::name_in(kPythonNames, status, "UNSPECIFIED");
}

const char* internal::logged_model_status_proto_name(LoggedModelStatus status) noexcept {
  return name_in(kProtoNames, status, "LOGGED_MODEL_STATUS_UNSPECIFIED");
}

LoggedModelStatus logged_model_status_from_string(const std::string& text) {
  if (const auto status = internal::value_in(kPythonNames, text)) return *status;
  if (const auto status = internal::value_in(kProtoNames, text)) return *status;
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Unknown model status: '" + text + "'. Expected one of " +
                            internal::names_of(kPythonNames) + ".");
}

}  // namespace mlflow
