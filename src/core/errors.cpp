// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/errors.hpp"

#include <cstdlib>
#include <cstring>

namespace mlflow {
namespace {

struct CodeInfo {
  ErrorCode code;
  const char* name;
  int number;  // databricks.proto value
  int http;    // server mapping (unlisted -> 500)
};

constexpr CodeInfo kCodes[] = {
    {ErrorCode::kInternalError, "INTERNAL_ERROR", 1, 500},
    {ErrorCode::kTemporarilyUnavailable, "TEMPORARILY_UNAVAILABLE", 2, 503},
    {ErrorCode::kIoError, "IO_ERROR", 3, 500},
    {ErrorCode::kBadRequest, "BAD_REQUEST", 4, 400},
    {ErrorCode::kServiceUnderMaintenance, "SERVICE_UNDER_MAINTENANCE", 5, 500},
    {ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED", 7, 504},
    {ErrorCode::kCancelled, "CANCELLED", 8, 499},
    {ErrorCode::kResourceExhausted, "RESOURCE_EXHAUSTED", 9, 429},
    {ErrorCode::kAborted, "ABORTED", 10, 409},
    {ErrorCode::kNotFound, "NOT_FOUND", 11, 404},
    {ErrorCode::kAlreadyExists, "ALREADY_EXISTS", 12, 409},
    {ErrorCode::kUnauthenticated, "UNAUTHENTICATED", 13, 401},
    {ErrorCode::kInvalidParameterValue, "INVALID_PARAMETER_VALUE", 1000, 400},
    {ErrorCode::kEndpointNotFound, "ENDPOINT_NOT_FOUND", 1001, 404},
    {ErrorCode::kMalformedRequest, "MALFORMED_REQUEST", 1002, 500},
    {ErrorCode::kInvalidState, "INVALID_STATE", 1003, 500},
    {ErrorCode::kPermissionDenied, "PERMISSION_DENIED", 1004, 403},
    {ErrorCode::kFeatureDisabled, "FEATURE_DISABLED", 1005, 500},
    {ErrorCode::kCustomerUnauthorized, "CUSTOMER_UNAUTHORIZED", 1006, 401},
    {ErrorCode::kRequestLimitExceeded, "REQUEST_LIMIT_EXCEEDED", 1007, 429},
    {ErrorCode::kResourceConflict, "RESOURCE_CONFLICT", 1008, 409},
    {ErrorCode::kUnparseableHttpError, "UNPARSEABLE_HTTP_ERROR", 1009, 500},
    {ErrorCode::kNotImplemented, "NOT_IMPLEMENTED", 1010, 501},
    {ErrorCode::kDataLoss, "DATA_LOSS", 1011, 500},
    {ErrorCode::kInvalidStateTransition, "INVALID_STATE_TRANSITION", 2001, 500},
    {ErrorCode::kCouldNotAcquireLock, "COULD_NOT_ACQUIRE_LOCK", 2002, 500},
    {ErrorCode::kResourceAlreadyExists, "RESOURCE_ALREADY_EXISTS", 3001, 400},
    {ErrorCode::kResourceDoesNotExist, "RESOURCE_DOES_NOT_EXIST", 3002, 404},
    {ErrorCode::kQuotaExceeded, "QUOTA_EXCEEDED", 4001, 500},
    {ErrorCode::kMaxBlockSizeExceeded, "MAX_BLOCK_SIZE_EXCEEDED", 4002, 500},
    {ErrorCode::kMaxReadSizeExceeded, "MAX_READ_SIZE_EXCEEDED", 4003, 500},
    {ErrorCode::kUnknown, "UNKNOWN", -1, 500},
};

const CodeInfo& info(ErrorCode code) noexcept {
  for (const auto& c : kCodes) {
    if (c.code == code) return c;
  }
  return kCodes[sizeof(kCodes) / sizeof(kCodes[0]) - 1];
}

template <typename T>
bool is_a(const std::exception& e) noexcept {
  return dynamic_cast<const T*>(&e) != nullptr;
}

}  // namespace

const char* error_code_name(ErrorCode code) noexcept { return info(code).name; }

ErrorCode error_code_from_name(const std::string& name) noexcept {
  for (const auto& c : kCodes) {
    if (name == c.name) return c.code;
  }
  // A numeric code as text (older servers and some proxies send those).
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos &&
      name.size() < 9) {
    const int n = std::atoi(name.c_str());
    for (const auto& c : kCodes) {
      if (c.number == n) return c.code;
    }
  }
  return ErrorCode::kUnknown;
}

int http_status_for(ErrorCode code) noexcept { return info(code).http; }

MlflowException::MlflowException(ErrorCode code, const std::string& message, int http_status,
                                 std::string server_error_code)
    : std::runtime_error(message),
      code_(code),
      http_status_(http_status),
      server_code_(std::move(server_error_code)) {}

void throw_error(ErrorCode code, const std::string& message, int http_status,
                 const std::string& server_error_code) {
  switch (code) {
    case ErrorCode::kResourceDoesNotExist:
    case ErrorCode::kNotFound:
    case ErrorCode::kEndpointNotFound:
      throw NotFound(code, message, http_status, server_error_code);
    case ErrorCode::kResourceAlreadyExists:
    case ErrorCode::kAlreadyExists:
      throw AlreadyExists(code, message, http_status, server_error_code);
    case ErrorCode::kInvalidParameterValue:
    case ErrorCode::kBadRequest:
    case ErrorCode::kMalformedRequest:
      throw InvalidArgument(code, message, http_status, server_error_code);
    case ErrorCode::kPermissionDenied:
      throw PermissionDenied(code, message, http_status, server_error_code);
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kCustomerUnauthorized:
      throw Unauthenticated(code, message, http_status, server_error_code);
    case ErrorCode::kTemporarilyUnavailable:
    case ErrorCode::kServiceUnderMaintenance:
    case ErrorCode::kRequestLimitExceeded:
    case ErrorCode::kResourceExhausted:
      throw Unavailable(code, message, http_status, server_error_code);
    case ErrorCode::kDeadlineExceeded:
      throw DeadlineExceeded(code, message, http_status, server_error_code);
    default:
      throw MlflowException(code, message, http_status, server_error_code);
  }
}

bool is_not_found(const std::exception& e) noexcept { return is_a<NotFound>(e); }
bool is_already_exists(const std::exception& e) noexcept { return is_a<AlreadyExists>(e); }
bool is_invalid_argument(const std::exception& e) noexcept { return is_a<InvalidArgument>(e); }
bool is_permission_denied(const std::exception& e) noexcept { return is_a<PermissionDenied>(e); }
bool is_unauthenticated(const std::exception& e) noexcept { return is_a<Unauthenticated>(e); }
bool is_unavailable(const std::exception& e) noexcept { return is_a<Unavailable>(e); }
bool is_deadline_exceeded(const std::exception& e) noexcept { return is_a<DeadlineExceeded>(e); }
bool is_budget_exceeded(const std::exception& e) noexcept { return is_a<BudgetExceeded>(e); }
bool is_policy_violation(const std::exception& e) noexcept { return is_a<PolicyViolation>(e); }

}  // namespace mlflow
