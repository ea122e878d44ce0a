// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Workspace names and deletion modes, with the rules and wording of MLflow 3.18
// (WorkspaceNameValidator, WorkspaceDeletionMode).
#include "mlflow/workspace.hpp"

#include "core/enum_names.hpp"
#include "mlflow/errors.hpp"

namespace mlflow {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

constexpr internal::EnumName<WorkspaceDeletionMode> kDeletionModeNames[] = {
    {WorkspaceDeletionMode::kSetDefault, "SET_DEFAULT"},
    {WorkspaceDeletionMode::kCascade, "CASCADE"},
    {WorkspaceDeletionMode::kRestrict, "RESTRICT"},
};

}  // namespace

const char* to_string(WorkspaceDeletionMode mode) noexcept {
  return internal::name_in(kDeletionModeNames, mode, "RESTRICT");
}

WorkspaceDeletionMode workspace_deletion_mode_from_string(const std::string& name) {
  if (const auto mode = internal::value_in(kDeletionModeNames, name)) return *mode;
  throw_error(ErrorCode::kInvalidParameterValue,
              "Invalid deletion mode '" + name +
                  "'. Must be one of: " + internal::names_of(kDeletionModeNames));
}

void validate_workspace_name(const std::string& name) {
  constexpr std::size_t kMin = 2;
  constexpr std::size_t kMax = 63;
  if (name.size() < kMin || name.size() > kMax) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Workspace name '" + name + "' must be between 2 and 63 characters.");
  }
  // ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (MLflow's pattern).
  bool ok = is_lower_alnum(name.front()) && is_lower_alnum(name.back());
  for (char c : name) ok = ok && (is_lower_alnum(c) || c == '-');
  if (!ok) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Workspace name '" + name +
                    "' must match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lowercase "
                    "alphanumeric with optional internal hyphens).");
  }
  for (const char* reserved : {"workspaces", "api", "ajax-api", "static-files"}) {
    if (name == reserved) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "Workspace name '" + name + "' is reserved and cannot be used.");
    }
  }
}

}  // namespace mlflow
