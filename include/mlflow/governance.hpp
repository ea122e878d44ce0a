// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Governance for MLflow (the GenOps capabilities, natively): an OperationHook that attributes
/// every client operation (team, project, customer, ...), writes the attribution as `genops.*`
/// tags on the experiments, runs and model versions it creates (in the same request), prices
/// operations and aggregates their costs, enforces budgets and policies before anything is
/// sent, and hands one span record per operation to an exporter. Nothing is paid while it is
/// not installed. See docs/adr/0027-governance.md.
///
///     auto governance = mlflow::governance::instrument_mlflow({/*attributes=*/{"ml-team",
///                                                                "model-training"}});
///     ... every MlflowClient (and the fluent API) is governed ...
///     std::cout << governance->metrics().daily_usage;

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/governance_aggregation.hpp"
#include "mlflow/governance_attributes.hpp"
#include "mlflow/governance_budget.hpp"
#include "mlflow/governance_cost.hpp"
#include "mlflow/governance_policy.hpp"
#include "mlflow/operation_hook.hpp"

namespace mlflow::governance {

/// One governed operation, as a span for an exporter (OpenTelemetry): named
/// "mlflow.<operation>", with `genops.*` attribution, cost and policy attributes.
struct GovernanceSpan {
  std::string name;
  std::uint64_t operation_id = 0;
  /// The enclosing governed operation (0 for none): the parent span.
  std::uint64_t parent_operation_id = 0;
  std::chrono::system_clock::time_point start_time{};
  std::chrono::nanoseconds duration{0};
  bool ok = true;
  std::string error_message{};
  /// genops.team, ..., genops.operation.name, genops.operation.kind, genops.cost.usd,
  /// genops.policy.<name>, mlflow.run_id, mlflow.experiment_id, ... (values as text).
  std::map<std::string, std::string> attributes{};
};

struct GovernanceOptions {
  /// Explicit attribution; its set fields win over the GENOPS_* environment variables.
  Attributes attributes{};
  PricingTable pricing{};
  std::vector<Budget> budgets{};
  /// Called for operations passing a kWarn budget (and logged as a warning either way).
  BudgetWarningCallback on_budget_warning{};
  Policies policies{};
  /// Add the genops.* tags to created experiments, runs, registered models and versions.
  bool tag_created_objects = true;
  /// Receives one span per governed operation (sampled), on the operation's thread: it must
  /// be quick and thread-safe (queue it). None: no span is built.
  std::function<void(const GovernanceSpan&)> on_span{};
  /// Fraction of operations handed to on_span, in [0, 1].
  double span_sampling_ratio = 1.0;
  /// The clock of dates (daily usage, budgets); tests set it.
  std::function<std::chrono::system_clock::time_point()> clock{};
};

/// GenOps' get_metrics(): today's cost, operations and runs governed.
struct GovernanceMetrics {
  double daily_usage = 0.0;
  std::uint64_t operation_count = 0;
  std::uint64_t run_count = 0;
};

/// The governance hook. Install it process-wide (instrument_mlflow) or per client
/// (ClientOptions::operation_hooks). Thread-safe.
class Governance : public OperationHook {
 public:
  /// Throws InvalidArgument for a bad pricing table, budget or sampling ratio.
  explicit Governance(GovernanceOptions options = {});
  ~Governance() override;

  void before(const Operation& operation) override;
  void after(const Operation& operation, const OperationOutcome& outcome) override;

  /// The configured attribution (explicit over environment).
  const Attributes& attributes() const noexcept { return attributes_; }
  /// The attribution of a run created while governed: the configuration, the parent run's
  /// and the creating thread's scopes merged; the configuration's for other runs.
  Attributes attributes_of_run(const std::string& run_id) const;
  CostAggregator& cost_aggregator() noexcept { return costs_; }
  const CostModel& cost_model() const noexcept { return model_; }
  GovernanceMetrics metrics() const;
  /// Whether a budget's limit is passed in its current period.
  bool is_over_budget() const;

 private:
  struct State;
  Attributes effective_attributes(const Operation& operation) const;
  void check_policies(const Operation& operation, const Attributes& attributes,
                      std::vector<std::pair<std::string, std::string>>* decisions) const;
  /// With the state mutex held: throws BudgetExceeded, or returns the warnings to give.
  std::vector<BudgetAlert> check_budgets(const Operation& operation, const Attributes& attributes,
                                         double cost);
  std::string today() const;
  void export_span(const Operation& operation, const OperationOutcome& outcome,
                   const Attributes& attributes,
                   const std::vector<std::pair<std::string, std::string>>& decisions, double cost,
                   const std::string& experiment_id) const;
  void export_refusal(const Operation& operation, const Attributes& attributes,
                      const std::vector<std::pair<std::string, std::string>>& decisions,
                      const MlflowException& error) const;

  GovernanceOptions options_;
  Attributes attributes_;
  CostModel model_;
  CostAggregator costs_;
  std::unique_ptr<State> state_;
};

/// Creates a Governance and installs it for every client of the process; returns it.
std::shared_ptr<Governance> instrument_mlflow(GovernanceOptions options = {});
/// Uninstalls it; false when it was not installed.
bool uninstrument_mlflow(const std::shared_ptr<Governance>& governance);

}  // namespace mlflow::governance
