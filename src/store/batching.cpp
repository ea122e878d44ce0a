// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "store/batching.hpp"

#include <algorithm>

#include "core/mlflow_limits.hpp"

namespace mlflow::internal {

std::vector<BatchChunk> split_batch(Span<Metric> metrics, Span<Param> params, Span<RunTag> tags) {
  std::vector<BatchChunk> chunks;
  std::size_t p = 0, t = 0, m = 0;
  while (p < params.size() || t < tags.size()) {
    const std::size_t np = std::min(kMaxParamsTagsPerBatch, params.size() - p);
    const std::size_t nt = std::min(kMaxParamsTagsPerBatch, tags.size() - t);
    const std::size_t room = std::min(kMaxEntitiesPerBatch - np - nt, kMaxMetricsPerBatch);
    const std::size_t nm = std::min(room, metrics.size() - m);
    chunks.push_back({metrics.subspan(m, nm), params.subspan(p, np), tags.subspan(t, nt)});
    p += np;
    t += nt;
    m += nm;
  }
  while (m < metrics.size()) {
    const std::size_t nm = std::min(kMaxMetricsPerBatch, metrics.size() - m);
    chunks.push_back({metrics.subspan(m, nm), {}, {}});
    m += nm;
  }
  return chunks;
}

}  // namespace mlflow::internal
