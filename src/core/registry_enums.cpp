// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// String forms of the model registry enums, as MLflow spells them on the wire.
#include "core/enum_names.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/model_version.hpp"

namespace mlflow {
namespace {

constexpr internal::EnumName<ModelVersionStage> kStageNames[] = {
    {ModelVersionStage::kNone, "None"},
    {ModelVersionStage::kStaging, "Staging"},
    {ModelVersionStage::kProduction, "Production"},
    {ModelVersionStage::kArchived, "Archived"},
};

constexpr internal::EnumName<ModelVersionStatus> kStatusNames[] = {
    {ModelVersionStatus::kPendingRegistration, "PENDING_REGISTRATION"},
    {ModelVersionStatus::kFailedRegistration, "FAILED_REGISTRATION"},
    {ModelVersionStatus::kReady, "READY"},
};

}  // namespace

const char* to_string(ModelVersionStage stage) noexcept {
  return internal::name_in(kStageNames, stage, "None");
}

ModelVersionStage model_version_stage_from_string(const std::string& name) {
  const std::string lower = internal::to_lower(name);
  const auto stage = internal::value_in(kStageNames, [&lower](const char* candidate) {
    return lower == internal::to_lower(candidate);
  });
  if (stage) return *stage;
  // The server's wording (get_canonical_stage).
  throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                        "Invalid Model Version stage: " + name + ". Value must be one of " +
                            internal::names_of(kStageNames) + ".");
}

const char* to_string(ModelVersionStatus status) noexcept {
  return internal::name_in(kStatusNames, status, "READY");
}

ModelVersionStatus model_version_status_from_string(const std::string& name) {
  return internal::value_or_invalid(kStatusNames, name, "model version status");
}

}  // namespace mlflow
