// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// String forms of the model registry enums, as MLflow spells them on the wire.
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/model_version.hpp"

namespace mlflow {

const char* to_string(ModelVersionStage stage) noexcept {
  switch (stage) {
    case ModelVersionStage::kNone:
      return "None";
    case ModelVersionStage::kStaging:
      return "Staging";
    case ModelVersionStage::kProduction:
      return "Production";
    case ModelVersionStage::kArchived:
      return "Archived";
  }
  return "None";
}

ModelVersionStage model_version_stage_from_string(const std::string& name) {
  const std::string lower = internal::to_lower(name);
  for (ModelVersionStage s : {ModelVersionStage::kNone, ModelVersionStage::kStaging,
                              ModelVersionStage::kProduction, ModelVersionStage::kArchived}) {
    if (lower == internal::to_lower(to_string(s))) return s;
  }
  // The server's wording (get_canonical_stage).
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid Model Version stage: " + name +
                            ". Value must be one of None, Staging, Production, Archived.");
}

const char* to_string(ModelVersionStatus status) noexcept {
  switch (status) {
    case ModelVersionStatus::kPendingRegistration:
      return "PENDING_REGISTRATION";
    case ModelVersionStatus::kFailedRegistration:
      return "FAILED_REGISTRATION";
    case ModelVersionStatus::kReady:
      return "READY";
  }
  return "READY";
}

ModelVersionStatus model_version_status_from_string(const std::string& name) {
  for (ModelVersionStatus s :
       {ModelVersionStatus::kPendingRegistration, ModelVersionStatus::kFailedRegistration,
        ModelVersionStatus::kReady}) {
    if (name == to_string(s)) return s;
  }
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid model version status '" + name +
                            "'. Expected one of PENDING_REGISTRATION, FAILED_REGISTRATION, READY.");
}

}  // namespace mlflow
