// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// UTC calendar keys of governance: the day ("2026-12-08") of daily usage and budgets, the
// month ("2026-12") of monthly budgets.

#include <chrono>
#include <string>

namespace mlflow::internal {

/// "YYYY-MM-DD" of `time` in UTC.
std::string utc_date(std::chrono::system_clock::time_point time);
/// True for a "YYYY-MM-DD" with a month 01-12 and a day 01-31.
bool is_date(const std::string& text) noexcept;

}  // namespace mlflow::internal
