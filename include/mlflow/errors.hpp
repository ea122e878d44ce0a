// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The error model: every failing public call throws mlflow::MlflowException (or a subclass).

#include <exception>
#include <stdexcept>
#include <string>

namespace mlflow {

/// MLflow's error codes (databricks.proto `ErrorCode`), plus kUnknown for codes this release
/// does not know. Names follow MLflow's, converted to kCamelCase.
enum class ErrorCode {
  kInternalError,
  kTemporarilyUnavailable,
  kIoError,
  kBadRequest,
  kServiceUnderMaintenance,
  kDeadlineExceeded,
  kCancelled,
  kResourceExhausted,
  kAborted,
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,
  kInvalidParameterValue,
  kEndpointNotFound,
  kMalformedRequest,
  kInvalidState,
  kPermissionDenied,
  kFeatureDisabled,
  kCustomerUnauthorized,
  kRequestLimitExceeded,
  kResourceConflict,
  kUnparseableHttpError,
  kNotImplemented,
  kDataLoss,
  kInvalidStateTransition,
  kCouldNotAcquireLock,
  kResourceAlreadyExists,
  kResourceDoesNotExist,
  kQuotaExceeded,
  kMaxBlockSizeExceeded,
  kMaxReadSizeExceeded,
  kUnknown,
};

/// MLflow's wire name of a code, e.g. "RESOURCE_DOES_NOT_EXIST".
const char* error_code_name(ErrorCode code) noexcept;
/// Parses MLflow's wire name (or its numeric value as text); kUnknown if not recognised.
ErrorCode error_code_from_name(const std::string& name) noexcept;
/// The HTTP status MLflow's server uses for a code (RESOURCE_ALREADY_EXISTS is 400, not 409).
int http_status_for(ErrorCode code) noexcept;

/// Base of every exception the SDK throws.
///
/// `error_code()` is the classified code; `server_error_code()` is the raw `error_code`
/// string of the server's JSON answer (empty for local errors and non-JSON answers);
/// `http_status()` is 0 for errors raised without an HTTP exchange.
class MlflowException : public std::runtime_error {
 public:
  MlflowException(ErrorCode code, const std::string& message, int http_status = 0,
                  std::string server_error_code = {});
  ErrorCode error_code() const noexcept { return code_; }
  const std::string& server_error_code() const noexcept { return server_code_; }
  int http_status() const noexcept { return http_status_; }
  /// The message without any prefix (same text as what()).
  const char* message() const noexcept { return what(); }

 private:
  ErrorCode code_;
  int http_status_;
  std::string server_code_;
};

/// RESOURCE_DOES_NOT_EXIST, NOT_FOUND, ENDPOINT_NOT_FOUND.
class NotFound : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// RESOURCE_ALREADY_EXISTS, ALREADY_EXISTS.
class AlreadyExists : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// INVALID_PARAMETER_VALUE, BAD_REQUEST, MALFORMED_REQUEST (and client-side validation).
class InvalidArgument : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// PERMISSION_DENIED (HTTP 403).
class PermissionDenied : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// UNAUTHENTICATED, CUSTOMER_UNAUTHORIZED (HTTP 401).
class Unauthenticated : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// TEMPORARILY_UNAVAILABLE, connection failures, retryable statuses left after all retries.
class Unavailable : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// DEADLINE_EXCEEDED and client-side timeouts.
class DeadlineExceeded : public MlflowException {
 public:
  using MlflowException::MlflowException;
};

/// Governance (mlflow/governance.hpp): a budget's limit would be passed and the budget blocks.
/// RESOURCE_EXHAUSTED (HTTP 429, as MLflow's gateway answers a budget). Raised before the
/// operation runs: nothing of it was sent. Never made from a server's answer.
class BudgetExceeded : public MlflowException {
 public:
  using MlflowException::MlflowException;
};
/// Governance: a policy refused the operation (a missing required attribute, an environment
/// not allowed, an artifact over the size limit, a custom policy). PERMISSION_DENIED. Raised
/// before the operation runs: nothing of it was sent.
class PolicyViolation : public PermissionDenied {
 public:
  using PermissionDenied::PermissionDenied;
};

/// Throws the subclass that fits `code` (used by the SDK; handy in tests and mocks).
[[noreturn]] void throw_error(ErrorCode code, const std::string& message, int http_status = 0,
                              const std::string& server_error_code = {});

/// Go-style helpers: true when `e` is an MlflowException of that class.
bool is_not_found(const std::exception& e) noexcept;
bool is_already_exists(const std::exception& e) noexcept;
bool is_invalid_argument(const std::exception& e) noexcept;
bool is_permission_denied(const std::exception& e) noexcept;
bool is_unauthenticated(const std::exception& e) noexcept;
bool is_unavailable(const std::exception& e) noexcept;
bool is_deadline_exceeded(const std::exception& e) noexcept;
bool is_budget_exceeded(const std::exception& e) noexcept;
bool is_policy_violation(const std::exception& e) noexcept;

}  // namespace mlflow
