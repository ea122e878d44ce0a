// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// LoggedModelStatus names: Python's (READY) and the proto's (LOGGED_MODEL_READY).
#include "mlflow/errors.hpp"
#include "mlflow/logged_model.hpp"

namespace mlflow {

std::string to_string(LoggedModelStatus status) {
  switch (status) {
    case LoggedModelStatus::kPending:
      return "PENDING";
    case LoggedModelStatus::kReady:
      return "READY";
    case LoggedModelStatus::kFailed:
      return "FAILED";
    case LoggedModelStatus::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

LoggedModelStatus logged_model_status_from_string(const std::string& text) {
  if (text == "UNSPECIFIED" || text == "LOGGED_MODEL_STATUS_UNSPECIFIED") {
    return LoggedModelStatus::kUnspecified;
  }
  if (text == "PENDING" || text == "LOGGED_MODEL_PENDING") return LoggedModelStatus::kPending;
  if (text == "READY" || text == "LOGGED_MODEL_READY") return LoggedModelStatus::kReady;
  if (text == "FAILED" || text == "LOGGED_MODEL_UPLOAD_FAILED") return LoggedModelStatus::kFailed;
  throw InvalidArgument(
      ErrorCode::kInvalidParameterValue,
      "Unknown model status: '" + text + "'. Expected one of UNSPECIFIED, PENDING, READY, FAILED.");
}

}  // namespace mlflow
