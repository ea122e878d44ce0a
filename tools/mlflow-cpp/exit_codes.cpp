// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "exit_codes.hpp"

namespace mlflow_cli {

ExitCode exit_code_for(mlflow::ErrorCode code) noexcept {
  using mlflow::ErrorCode;
  switch (code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kResourceDoesNotExist:
    case ErrorCode::kEndpointNotFound:
      return kExitNotFound;
    case ErrorCode::kInvalidParameterValue:
    case ErrorCode::kBadRequest:
    case ErrorCode::kMalformedRequest:
    case ErrorCode::kMaxBlockSizeExceeded:
    case ErrorCode::kMaxReadSizeExceeded:
      return kExitInvalid;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kResourceAlreadyExists:
      return kExitAlreadyExists;
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kCustomerUnauthorized:
      return kExitPermission;
    case ErrorCode::kTemporarilyUnavailable:
    case ErrorCode::kServiceUnderMaintenance:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kRequestLimitExceeded:
    case ErrorCode::kQuotaExceeded:
    case ErrorCode::kCouldNotAcquireLock:
      return kExitUnavailable;
    case ErrorCode::kInvalidState:
    case ErrorCode::kInvalidStateTransition:
    case ErrorCode::kResourceConflict:
    case ErrorCode::kAborted:
      return kExitInvalidState;
    case ErrorCode::kNotImplemented:
    case ErrorCode::kFeatureDisabled:
      return kExitNotImplemented;
    case ErrorCode::kInternalError:
    case ErrorCode::kIoError:
    case ErrorCode::kCancelled:
    case ErrorCode::kUnparseableHttpError:
    case ErrorCode::kDataLoss:
    case ErrorCode::kUnknown:
      return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace mlflow_cli
