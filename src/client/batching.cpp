// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "client/batching.hpp"

#include <algorithm>

#include "client/validation.hpp"

namespace mlflow::internal {

std::vector<BatchChunk> split_batch(const std::vector<Metric>& metrics,
                                    const std::vector<Param>& params,
                                    const std::vector<RunTag>& tags) {
  std::vector<BatchChunk> chunks;
  std::size_t p = 0, t = 0, m = 0;
  while (p < params.size() || t < tags.size()) {
    BatchChunk chunk;
    const std::size_t np = std::min(kMaxParamsTagsPerBatch, params.size() - p);
    const std::size_t nt = std::min(kMaxParamsTagsPerBatch, tags.size() - t);
    chunk.params.assign(params.begin() + p, params.begin() + p + np);
    chunk.tags.assign(tags.begin() + t, tags.begin() + t + nt);
    p += np;
    t += nt;
    const std::size_t room = std::min(kMaxEntitiesPerBatch - np - nt, kMaxMetricsPerBatch);
    const std::size_t nm = std::min(room, metrics.size() - m);
    chunk.metrics.assign(metrics.begin() + m, metrics.begin() + m + nm);
    m += nm;
    chunks.push_back(std::move(chunk));
  }
  while (m < metrics.size()) {
    BatchChunk chunk;
    const std::size_t nm = std::min(kMaxMetricsPerBatch, metrics.size() - m);
    chunk.metrics.assign(metrics.begin() + m, metrics.begin() + m + nm);
    m += nm;
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

}  // namespace mlflow::internal
