// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Internal logging: cheap check, then emit through the handler of mlflow/logging.hpp.
// Every message goes through redact_secrets() before a handler sees it.

#include <string>

#include "mlflow/logging.hpp"

namespace mlflow::internal {

/// True when a handler is installed that wants `level`.
bool log_enabled(LogLevel level) noexcept;
/// Redacts, then hands the line to the handler. Never throws.
void log(LogLevel level, const std::string& message) noexcept;
/// Replaces secrets with "[REDACTED]": Authorization / Proxy-Authorization / Cookie /
/// X-Api-Key style header values, Basic/Bearer credentials, `password=`/`token=`-style query
/// and JSON fields, and user:password@ in URLs.
std::string redact_secrets(const std::string& text);

}  // namespace mlflow::internal
