// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The `MLmodel` YAML file of a logged model, with the fields Python's Model.log writes in
// MLflow 3.18 (artifact_path, flavors, mlflow_version, model_id, model_size_bytes,
// model_uuid, prompts, run_id, signature, utc_time_created, metadata), keys sorted as
// Python's yaml.safe_dump writes them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/model_signature.hpp"

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
  std::optional<ModelSignature> signature;
  /// Total size of the model's files (Python leaves it out when 0).
  std::uintmax_t model_size_bytes = 0;
  /// Python's Model.metadata (a mapping of strings here).
  std::map<std::string, std::string> metadata;
};

/// The YAML text. Every string is quoted, so no value can be read back as another type.
std::string render_mlmodel(const MlmodelFields& fields);

/// A YAML flow scalar that reads back as exactly `text`: single-quoted, or double-quoted with
/// escapes when it holds line breaks, control or other non-printable characters.
std::string yaml_quote(const std::string& text);

/// The current UTC time in Python's str(datetime) form, microseconds included.
std::string utc_time_created_now();

}  // namespace mlflow::internal
