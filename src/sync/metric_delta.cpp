// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "sync/metric_delta.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

namespace mlflow::internal::sync {
namespace {

// MLflow's identity of a point: key, timestamp, step and value, NaN being one value.
using PointId = std::tuple<std::int64_t, std::int64_t, bool, std::uint64_t>;

PointId id_of(const Metric& m) {
  const bool nan = std::isnan(m.value);
  std::uint64_t bits = 0;
  if (!nan) std::memcpy(&bits, &m.value, sizeof bits);
  return {m.timestamp, m.step, nan, bits};
}

}  // namespace

KeyMark mark_of(const std::vector<Metric>& sent) {
  KeyMark mark;
  for (const auto& m : sent) mark.high_water = std::max(mark.high_water, m.timestamp);
  mark.count = static_cast<std::int64_t>(sent.size());
  return mark;
}

std::optional<std::vector<Metric>> points_after(const std::vector<Metric>& source,
                                                const KeyMark& mark) {
  std::vector<Metric> after;
  std::int64_t at_or_below = 0;
  for (const auto& m : source) {
    if (m.timestamp <= mark.high_water) {
      ++at_or_below;
    } else {
      after.push_back(m);
    }
  }
  if (at_or_below != mark.count) return std::nullopt;
  return after;
}

std::vector<Metric> points_missing(const std::vector<Metric>& source,
                                   const std::vector<Metric>& destination) {
  std::vector<PointId> have;
  have.reserve(destination.size());
  for (const auto& m : destination) have.push_back(id_of(m));
  std::sort(have.begin(), have.end());
  std::vector<Metric> missing;
  for (const auto& m : source) {
    if (!std::binary_search(have.begin(), have.end(), id_of(m))) missing.push_back(m);
  }
  return missing;
}

}  // namespace mlflow::internal::sync
