// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Metric: one logged point of a metric series.

#include <cstdint>
#include <optional>
#include <string>

namespace mlflow {

/// One metric point. `value` may be NaN or +-infinity; they travel as MLflow encodes them
/// ("NaN", "Infinity", "-Infinity" on the wire). Note that MLflow's SQL stores keep +-infinity
/// as +-1.7976931348623157e308, so reading back from a server gives that finite value.
struct Metric {
  std::string key{};
  double value = 0.0;
  /// Milliseconds since the Unix epoch.
  std::int64_t timestamp = 0;
  std::int64_t step = 0;
  /// MLflow 3: the logged model this point belongs to.
  std::optional<std::string> model_id = std::nullopt;
  /// MLflow 3: the dataset the point was computed on.
  std::optional<std::string> dataset_name = std::nullopt;
  std::optional<std::string> dataset_digest = std::nullopt;
  /// Set by reads that span several runs (get_metric_history_bulk_interval).
  std::optional<std::string> run_id = std::nullopt;
};

bool operator==(const Metric& a, const Metric& b) noexcept;
inline bool operator!=(const Metric& a, const Metric& b) noexcept { return !(a == b); }

}  // namespace mlflow
