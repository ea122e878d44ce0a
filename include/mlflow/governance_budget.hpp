// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Governance budgets (as LiteLLM's layered budgets): a daily or monthly limit per scope
/// (everything, a team, a project, a customer) that warns through a callback or blocks the
/// operation with BudgetExceeded before anything of it is sent. See docs/adr/0027-governance.md.

#include <functional>
#include <string>

#include "mlflow/governance_aggregation.hpp"

namespace mlflow::governance {

enum class BudgetPeriod { kDaily, kMonthly };
enum class BudgetAction { kWarn, kBlock };

/// A limit on what a scope may spend in a period (UTC days and months).
struct Budget {
  /// kGlobal, or the attribute `scope_value` names.
  CostDimension scope = CostDimension::kGlobal;
  /// The team, project or customer the budget is for (unused for kGlobal).
  std::string scope_value{};
  BudgetPeriod period = BudgetPeriod::kDaily;
  /// USD; spending exactly the limit is allowed, passing it is not.
  double limit = 0.0;
  BudgetAction action = BudgetAction::kWarn;
};

/// An operation that would pass a budget's limit.
struct BudgetAlert {
  Budget budget;
  /// Spent in the budget's period before the operation (reservations of operations under way
  /// included), and the operation's estimated cost.
  double spent = 0.0;
  double operation_cost = 0.0;
  std::string operation;
  /// Whether the operation was refused (kBlock) or let through (kWarn).
  bool blocked = false;
};

/// Called on the operation's thread for every operation that passes a warn budget's limit.
using BudgetWarningCallback = std::function<void(const BudgetAlert&)>;

}  // namespace mlflow::governance
