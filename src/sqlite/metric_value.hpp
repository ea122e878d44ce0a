// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// How MLflow's SQL store keeps a metric value that SQL cannot hold (reference §9.5), the one
// rule for every table with metric values (metrics, latest_metrics, logged_model_metrics).

#include <cmath>
#include <limits>

namespace mlflow::internal::sqlite {

/// A metric value as stored: NaN becomes 0 with is_nan set, +-inf becomes +-DBL_MAX.
struct StoredValue {
  double value = 0;
  bool is_nan = false;
};

inline StoredValue to_stored(double value) {
  if (std::isnan(value)) return {0.0, true};
  if (std::isinf(value)) {
    return {value > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest(),
            false};
  }
  return {value, false};
}

/// The value MLflow reads back: NaN where is_nan is set (infinities stay +-DBL_MAX, as in
/// Python).
inline double from_stored(double value, bool is_nan) {
  return is_nan ? std::numeric_limits<double>::quiet_NaN() : value;
}

}  // namespace mlflow::internal::sqlite
