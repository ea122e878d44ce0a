// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Governance policies, checked before an operation sends anything: required attributes (at
/// run start or run end), allowed environments, a maximum artifact size, custom callbacks.
/// A refused operation throws PolicyViolation; every decision is recorded as a
/// `genops.policy.<name>` tag or span attribute. See docs/adr/0027-governance.md.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/governance_attributes.hpp"
#include "mlflow/operation_hook.hpp"

namespace mlflow::governance {

/// When required attributes are checked.
enum class PolicyCheckpoint {
  kRunStart,  ///< create_run (and create_experiment): refused before the run exists
  kRunEnd,    ///< set_terminated: refused before the run is ended
};

/// One policy's answer for one operation.
struct PolicyDecision {
  bool allowed = true;
  /// Why it was refused: what is wrong and how to fix it.
  std::string reason{};
};

/// A user's policy: sees every operation (all depths) with its attribution.
using CustomPolicy = std::function<PolicyDecision(const Operation&, const Attributes&)>;

struct Policies {
  /// Attribute names ("team", "project", "customer_id", ..., or an extra's key) that must be
  /// set. GenOps requires team and project.
  std::vector<std::string> required_attributes{"team", "project"};
  PolicyCheckpoint required_attributes_at = PolicyCheckpoint::kRunStart;
  /// Environments operations may run in (Attributes::environment); empty = any. An unset
  /// environment is refused when the list is not empty.
  std::vector<std::string> allowed_environments{};
  /// The largest artifact upload (bytes of the local files, before any byte is sent).
  std::optional<std::uint64_t> max_artifact_bytes = std::nullopt;
  /// Named custom policies ({"name", callback}); the decision is tagged genops.policy.<name>.
  std::vector<std::pair<std::string, CustomPolicy>> custom{};
  /// False: violations are recorded and logged, nothing is refused.
  bool enforce = true;
};

}  // namespace mlflow::governance
