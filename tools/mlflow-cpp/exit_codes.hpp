// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The tool's exit codes, one per error class (docs/cli.md keeps the table; scripts rely on
// them, so a code never changes meaning).

#include <exception>

#include "mlflow/errors.hpp"

namespace mlflow_cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,          // anything not classified below (internal errors, local I/O)
  kExitUsage = 2,            // bad command line: unknown option, missing argument, bad value
  kExitNotFound = 3,         // RESOURCE_DOES_NOT_EXIST, NOT_FOUND, ENDPOINT_NOT_FOUND
  kExitInvalid = 4,          // INVALID_PARAMETER_VALUE, BAD_REQUEST, MALFORMED_REQUEST, bad input
  kExitAlreadyExists = 5,    // RESOURCE_ALREADY_EXISTS, ALREADY_EXISTS
  kExitPermission = 6,       // PERMISSION_DENIED, UNAUTHENTICATED, CUSTOMER_UNAUTHORIZED
  kExitUnavailable = 7,      // server unreachable or transient: TEMPORARILY_UNAVAILABLE, timeouts
  kExitInvalidState = 8,     // INVALID_STATE, INVALID_STATE_TRANSITION, RESOURCE_CONFLICT, ABORTED
  kExitNotImplemented = 9,   // NOT_IMPLEMENTED, FEATURE_DISABLED
  kExitCommandNotRun = 127,  // `run -- CMD`: CMD could not be started (as a shell says)
};

/// The exit code of an SDK error class.
ExitCode exit_code_for(mlflow::ErrorCode code) noexcept;

/// Thrown for a command line the parser accepted but the command refuses (e.g. two options
/// that exclude each other); exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace mlflow_cli
