// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "store/batching.hpp"

#include <gtest/gtest.h>

namespace mlflow::internal {
namespace {

std::vector<Metric> metrics(std::size_t n) {
  std::vector<Metric> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = Metric{"m", double(i), 1, std::int64_t(i)};
  return out;
}
std::vector<Param> params(std::size_t n) {
  std::vector<Param> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = Param{"p" + std::to_string(i), "v"};
  return out;
}
std::vector<RunTag> tags(std::size_t n) {
  std::vector<RunTag> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = RunTag{"t" + std::to_string(i), "v"};
  return out;
}

TEST(SplitBatch, EveryChunkWithinMlflowLimitsAndNothingLostOrReordered) {
  const auto m = metrics(5000);
  const auto p = params(250);
  const auto t = tags(250);
  const auto chunks = split_batch(m, p, t);
  std::vector<Metric> seen_m;
  std::vector<Param> seen_p;
  std::vector<RunTag> seen_t;
  for (const auto& c : chunks) {
    EXPECT_LE(c.metrics.size(), 1000u);
    EXPECT_LE(c.params.size(), 100u);
    EXPECT_LE(c.tags.size(), 100u);
    EXPECT_LE(c.metrics.size() + c.params.size() + c.tags.size(), 1000u);
    EXPECT_FALSE(c.metrics.empty() && c.params.empty() && c.tags.empty());
    seen_m.insert(seen_m.end(), c.metrics.begin(), c.metrics.end());
    seen_p.insert(seen_p.end(), c.params.begin(), c.params.end());
    seen_t.insert(seen_t.end(), c.tags.begin(), c.tags.end());
  }
  EXPECT_EQ(seen_m, m);
  EXPECT_EQ(seen_p, p);
  EXPECT_EQ(seen_t, t);
}

TEST(SplitBatch, PythonOrderParamsAndTagsFirstMetricsTopUp) {
  const auto chunks = split_batch(metrics(2500), params(150), tags(30));
  // Python: zip(params by 100, tags by 100), metrics fill up to 1000 items; then metrics by 1000.
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].params.size(), 100u);
  EXPECT_EQ(chunks[0].tags.size(), 30u);
  EXPECT_EQ(chunks[0].metrics.size(), 870u);
  EXPECT_EQ(chunks[1].params.size(), 50u);
  EXPECT_EQ(chunks[1].tags.size(), 0u);
  EXPECT_EQ(chunks[1].metrics.size(), 950u);
  EXPECT_EQ(chunks[2].metrics.size(), 680u);
  EXPECT_EQ(chunks[2].params.size() + chunks[2].tags.size(), 0u);
}

TEST(SplitBatch, EmptyInputGivesNoRequest) { EXPECT_TRUE(split_batch({}, {}, {}).empty()); }

TEST(SplitBatch, MetricsOnlyInThousands) {
  const auto chunks = split_batch(metrics(2001), {}, {});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].metrics.size(), 1000u);
  EXPECT_EQ(chunks[2].metrics.size(), 1u);
}

}  // namespace
}  // namespace mlflow::internal
