// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Decoding of MLflow's model registry wire format with json_codec's field readers (int64 as
// number or string, enums by name or number, null as absent, a field of the wrong type throws
// UNPARSEABLE_HTTP_ERROR naming it). Registry tags are encoded by json_codec::encode.

#include <nlohmann/json.hpp>
#include <string>

#include "mlflow/model_version.hpp"
#include "mlflow/registered_model.hpp"
#include "rest/json_codec.hpp"

namespace mlflow::internal::json_codec {

ModelVersionStatus decode_model_version_status(const nlohmann::json& value,
                                               const std::string& field);
ModelVersion decode_model_version(const nlohmann::json& j);
RegisteredModel decode_registered_model(const nlohmann::json& j);

}  // namespace mlflow::internal::json_codec
