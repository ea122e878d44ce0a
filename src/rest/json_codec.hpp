// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// JSON <-> entity conversion for MLflow's REST wire format (protobuf JSON as MLflow emits it).
// Encoding follows what MLflow's Python client sends: int64 as JSON numbers, non-finite doubles
// as the quoted strings "NaN" / "Infinity" / "-Infinity", enums by name, optional fields
// omitted. Decoding is lenient in the ways protobuf JSON is (int64 as number or decimal
// string, enums as name or number, unknown fields ignored, every field optional, null treated
// as absent) and strict otherwise: a field of the wrong type throws MlflowException
// (UNPARSEABLE_HTTP_ERROR) naming the field, rather than silently reading a default.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlflow/dataset.hpp"
#include "mlflow/experiment.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/param.hpp"
#include "mlflow/run.hpp"
#include "mlflow/run_status.hpp"
#include "mlflow/tag.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow::internal::json_codec {

using Json = nlohmann::json;

// ---- scalars ----
/// Finite values as JSON numbers; NaN / +Inf / -Inf as "NaN" / "Infinity" / "-Infinity".
Json encode_double(double value);
/// Accepts a JSON number, "NaN", "Infinity", "-Infinity" or a decimal string. `field` names
/// the value in error messages.
double decode_double(const Json& value, const std::string& field);
/// Accepts a JSON integer, an integral JSON float, or a decimal string.
std::int64_t decode_int64(const Json& value, const std::string& field);
std::string decode_string(const Json& value, const std::string& field);
RunStatus decode_run_status(const Json& value, const std::string& field);
ViewType decode_view_type(const Json& value, const std::string& field);

// ---- encoding (request bodies) ----
Json encode(const Metric& metric);
Json encode(const Param& param);
Json encode(const RunTag& tag);
Json encode(const ExperimentTag& tag);
Json encode(const InputTag& tag);
Json encode(const Dataset& dataset);
Json encode(const DatasetInput& input);
Json encode(const ModelInput& input);
Json encode(const ModelOutput& output);

// ---- decoding (response bodies) ----
Metric decode_metric(const Json& j);
Experiment decode_experiment(const Json& j);
RunInfo decode_run_info(const Json& j);
RunData decode_run_data(const Json& j);
RunInputs decode_run_inputs(const Json& j);
RunOutputs decode_run_outputs(const Json& j);
Run decode_run(const Json& j);
Dataset decode_dataset(const Json& j);
DatasetInput decode_dataset_input(const Json& j);

/// Elements of the array at j[key]; empty when the key is absent or null. Throws when the
/// value is present but not an array.
const Json& array_field(const Json& j, const char* key);

}  // namespace mlflow::internal::json_codec
