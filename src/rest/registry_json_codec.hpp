// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// JSON <-> entity conversion for MLflow's model registry wire format, with the same leniency
// and strictness as json_codec (int64 as number or string, enums by name or number, null as
// absent, a field of the wrong type throws UNPARSEABLE_HTTP_ERROR naming it).

#include <nlohmann/json.hpp>
#include <string>

#include "mlflow/model_version.hpp"
#include "mlflow/registered_model.hpp"

namespace mlflow::internal::json_codec {

nlohmann::json encode(const RegisteredModelTag& tag);
nlohmann::json encode(const ModelVersionTag& tag);

ModelVersionStatus decode_model_version_status(const nlohmann::json& value,
                                               const std::string& field);
ModelVersion decode_model_version(const nlohmann::json& j);
RegisteredModel decode_registered_model(const nlohmann::json& j);

}  // namespace mlflow::internal::json_codec
