// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A canonical dump of an experiment read through MlflowClient, for the sync tests (the C++
// twin of tests/interop/sync_dump.py): runs keyed by id, or for the copy side by their
// mlflow.cpp.sync.source_run_id tag, parent links written the same way, full metric histories,
// dataset inputs and artifact (path, size) lists. A source and its whole copy dump equal.

#include <nlohmann/json.hpp>
#include <string>

#include "mlflow/mlflow_client.hpp"

namespace mlflow::testing {

/// {"runs": {key: run}, "untagged": [...], "duplicates": [...]}; null when the experiment does
/// not exist. `copy`: key runs by the sync tag (the destination side).
nlohmann::json sync_dump(MlflowClient& client, const std::string& experiment_name, bool copy);

}  // namespace mlflow::testing
