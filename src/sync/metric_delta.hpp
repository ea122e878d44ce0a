// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Which points of a source metric history a sync still has to send. MLflow keeps one row per
// (key, value, timestamp, step) of a run and ignores a point logged twice, so a point counts as
// sent when a destination point equals it on those fields (NaN equal to NaN).

#include <cstdint>
#include <optional>
#include <vector>

#include "mlflow/metric.hpp"

namespace mlflow::internal::sync {

/// A key's high-water mark: every source point with timestamp <= high_water was sent, and
/// there were `count` of them when it was written.
struct KeyMark {
  std::int64_t high_water = 0;
  std::int64_t count = 0;
};

/// The mark of a history sent whole.
KeyMark mark_of(const std::vector<Metric>& sent);

/// The points after `mark` when the mark still describes `source` (the same number of points
/// at or below it); std::nullopt when a point appeared below the mark (logged late, or with an
/// old timestamp), so the caller must compare with the destination instead.
std::optional<std::vector<Metric>> points_after(const std::vector<Metric>& source,
                                                const KeyMark& mark);

/// The points of `source` that `destination` lacks.
std::vector<Metric> points_missing(const std::vector<Metric>& source,
                                   const std::vector<Metric>& destination);

}  // namespace mlflow::internal::sync
