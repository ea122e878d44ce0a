// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The SDK's log messages, captured for checks of what it says (and never says: secrets).

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/logging.hpp"

namespace mlflow::testing {

/// Installs a capturing log handler at `level` for the lifetime of the object and silences
/// the SDK afterwards.
class LogCapture {
 public:
  explicit LogCapture(LogLevel level = LogLevel::kDebug);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// Every message so far, one a line.
  std::string text() const;
  /// Every message so far, one a line, after its level's name: "WARNING kept".
  std::string text_with_levels() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> lines_;
};

}  // namespace mlflow::testing
