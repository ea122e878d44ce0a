// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/log_capture.hpp"

namespace mlflow::testing {

LogCapture::LogCapture(LogLevel level) {
  set_log_handler(
      [this](LogLevel l, const std::string& message) {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.emplace_back(l, message);
      },
      level);
}

LogCapture::~LogCapture() { set_log_handler(nullptr); }

std::string LogCapture::text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string all;
  for (const auto& line : lines_) all += line.second + "\n";
  return all;
}

std::string LogCapture::text_with_levels() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string all;
  for (const auto& [level, line] : lines_) all += std::string(to_string(level)) + " " + line + "\n";
  return all;
}

std::size_t LogCapture::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_.size();
}

}  // namespace mlflow::testing
