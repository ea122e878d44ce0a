// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The input of `log batch`: JSON Lines or CSV, parsed whole before anything is sent, so that a
// bad line loses nothing and logs nothing (the error names the line and how to fix it).
//
// JSON Lines: one object a line, {"key": "loss", "value": 0.5, "step": 3, "timestamp": 1700..}
// (a metric; step 0 and timestamp now when absent), or with "type": "param" / "tag" and a
// string value. Blank lines are skipped.
// CSV (first line a header): long form with columns key,value[,step][,timestamp][,type], or
// wide form (no "key" column): every column other than step and timestamp is a metric, one
// point per row and column (empty cells skipped), as simulation codes write their curves.

#include <cstdint>
#include <string>
#include <vector>

#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/tag.hpp"

namespace mlflow_cli {

enum class BatchFormat { kAuto, kJsonLines, kCsv };

struct Batch {
  std::vector<mlflow::Metric> metrics;
  std::vector<mlflow::Param> params;
  std::vector<mlflow::RunTag> tags;
};

/// kAuto: by the file name (.csv; .jsonl/.ndjson/.json), else by the first character ('{').
BatchFormat detect_batch_format(const std::string& path, const std::string& text);

/// Throws mlflow::InvalidArgument naming the line. `now_ms` fills missing timestamps.
Batch parse_batch(const std::string& text, BatchFormat format, std::int64_t now_ms);

}  // namespace mlflow_cli
