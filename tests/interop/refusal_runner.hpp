// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The C++ side of the refusal conformance table (tests/interop/data/refusal_cases.json): runs
// every case through MlflowClient and the fluent functions on one store and describes each
// outcome and the state read back afterwards exactly as tests/interop/refusal_conformance.py
// describes Python's, so that the two JSON documents can be compared case by case.

#include <nlohmann/json.hpp>
#include <string>

namespace mlflow::testing {

/// {"<case id>": {"outcome": {"result": ...} | {"error", "message"}, "state": {...}}} for
/// every case, run on `uri` with world names made unique by `token`.
nlohmann::json run_refusal_cases(const nlohmann::json& cases, const std::string& uri,
                                 const std::string& token);

}  // namespace mlflow::testing
