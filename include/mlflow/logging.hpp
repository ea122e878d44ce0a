// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The logging hook. The SDK is silent unless a handler is installed. Messages never contain
/// secrets: Authorization headers, passwords and tokens are redacted before a handler sees them.

#include <functional>
#include <string>

namespace mlflow {

enum class LogLevel { kTrace = 0, kDebug = 1, kInfo = 2, kWarning = 3, kError = 4, kOff = 5 };

/// Receives one already-redacted line.
using LogHandler = std::function<void(LogLevel level, const std::string& message)>;

/// Installs a process-wide handler (replacing any earlier one) that receives messages at
/// `min_level` and above. Pass an empty handler to silence the SDK again. Thread-safe.
void set_log_handler(LogHandler handler, LogLevel min_level = LogLevel::kInfo);

/// "TRACE", "DEBUG", "INFO", "WARNING", "ERROR" or "OFF".
const char* to_string(LogLevel level) noexcept;

}  // namespace mlflow
