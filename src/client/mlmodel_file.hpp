// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The `MLmodel` YAML file of a logged model, with the fields mlflow.models.Model.load reads
// (artifact_path, flavors, mlflow_version, model_id, model_uuid, run_id, utc_time_created),
// keys sorted as Python's yaml.safe_dump writes them.

#include <optional>
#include <string>
#include <vector>

namespace mlflow::internal {

struct MlmodelFields {
  /// Python (MLflow 3) writes the model's artifact location here.
  std::string artifact_path;
  std::string model_id;
  std::optional<std::string> run_id;
  /// "YYYY-MM-DD HH:MM:SS.ffffff" (Python's str(datetime.utcnow())).
  std::string utc_time_created;
  /// "onnx" or "" (no flavor).
  std::string flavor;
  /// onnx: the model file, relative to the model directory.
  std::string onnx_data;
  std::optional<std::string> onnx_version;
  std::vector<std::string> onnx_providers = {"CUDAExecutionProvider", "CPUExecutionProvider"};
};

/// The YAML text. Every string is single-quoted, so no value can be read back as another type.
std::string render_mlmodel(const MlmodelFields& fields);

/// The current UTC time in Python's str(datetime) form, microseconds included.
std::string utc_time_created_now();

}  // namespace mlflow::internal
