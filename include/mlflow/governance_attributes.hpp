// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Governance attribution (GenOps' team, project, customer, environment, cost center): who an
/// MLflow operation is done for. Set once (code or GENOPS_* environment variables),
/// overridden per run or per block of code (AttributionScope), written as `genops.*` tags.
/// See docs/adr/0027-governance.md.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlflow::governance {

/// The attribution of an operation. Empty fields are unset.
struct Attributes {
  std::string team;         ///< GENOPS_TEAM; tag genops.team (required by default)
  std::string project;      ///< GENOPS_PROJECT; tag genops.project (required by default)
  std::string customer_id;  ///< GENOPS_CUSTOMER_ID; tag genops.customer_id
  std::string environment;  ///< GENOPS_ENVIRONMENT; tag genops.environment
  std::string cost_center;  ///< GENOPS_COST_CENTER; tag genops.cost_center
  std::string feature;      ///< GENOPS_FEATURE; tag genops.feature
  /// Free-form attributes; tag genops.<key>.
  std::map<std::string, std::string> extras{};

  /// The GENOPS_* environment variables (unset or empty ones stay empty).
  static Attributes from_env();
  /// This attribution with every set field of `overrides` replacing its own (extras merged,
  /// the override's value winning).
  Attributes merged_with(const Attributes& overrides) const;
  /// The value of `name` ("team", "project", "customer_id", "environment", "cost_center",
  /// "feature", or an extra's key); empty when unset.
  std::string get(const std::string& name) const;
  /// The `genops.*` tags of the set fields, in a stable order.
  std::vector<std::pair<std::string, std::string>> to_tags() const;
  bool empty() const;
};

/// The tag prefix of every governance tag and span attribute.
inline constexpr const char* kTagPrefix = "genops.";

/// RAII: while alive, the calling thread's operations (and the runs it creates, with their
/// child runs) are attributed with `overrides` merged over the enclosing attribution. Scopes
/// nest; destroy them in reverse order of creation (as blocks do).
class AttributionScope {
 public:
  explicit AttributionScope(const Attributes& overrides);
  ~AttributionScope();
  AttributionScope(const AttributionScope&) = delete;
  AttributionScope& operator=(const AttributionScope&) = delete;

 private:
  std::shared_ptr<const Attributes> previous_;
};

/// The calling thread's scoped overrides (all open AttributionScopes merged); null when none.
std::shared_ptr<const Attributes> scoped_attributes() noexcept;

}  // namespace mlflow::governance
