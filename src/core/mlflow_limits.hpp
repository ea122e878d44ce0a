// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// MLflow's size limits, one table for every layer that needs them: validation
// (src/client/validation.*), the log_batch chunker (src/store/batching.*) and asynchronous
// logging (src/async/). Values of mlflow/utils/validation.py in MLflow 3.18.

#include <cstddef>
#include <cstdint>

namespace mlflow::internal {

inline constexpr std::size_t kMaxEntityKeyLength = 250;
inline constexpr std::size_t kMaxParamValueLength = 6000;
inline constexpr std::size_t kMaxTagValueLength = 8000;
inline constexpr std::size_t kMaxExperimentNameLength = 500;
inline constexpr std::size_t kMaxExperimentTagKeyLength = 250;
inline constexpr std::size_t kMaxExperimentTagValueLength = 20000;
/// One log_batch request: at most 1000 metrics, 100 params, 100 tags, 1000 items in all.
inline constexpr std::size_t kMaxMetricsPerBatch = 1000;
inline constexpr std::size_t kMaxParamsTagsPerBatch = 100;
inline constexpr std::size_t kMaxEntitiesPerBatch = 1000;
inline constexpr std::int64_t kMaxSearchResults = 50000;

}  // namespace mlflow::internal
