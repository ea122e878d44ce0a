// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Cost aggregation: totals by run (rolled up to parent runs), experiment, team, project and
/// customer; daily usage and operation counts; scoped cost contexts (GenOps'
/// create_mlflow_cost_context) with their own summaries. Thread-safe. See
/// docs/adr/0027-governance.md.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mlflow::governance {

/// One priced operation.
struct CostEntry {
  std::string operation;  ///< Python's method name, e.g. "log_metric"
  double cost = 0.0;      ///< USD
  std::string run_id;
  std::string experiment_id;
  std::string team;
  std::string project;
  std::string customer_id;
  std::string date;  ///< "YYYY-MM-DD" (UTC)
  /// Counts in operation counts (a call of the program, depth 0); nested calls add cost only.
  bool counted = true;
};

/// Totals (USD) of what was recorded.
struct CostSummary {
  double total_cost = 0.0;
  std::uint64_t operation_count = 0;
  /// Each run's cost including its child runs' (and theirs).
  std::map<std::string, double> cost_by_run;
  std::map<std::string, double> cost_by_experiment;
  std::map<std::string, double> cost_by_team;
  std::map<std::string, double> cost_by_project;
  std::map<std::string, double> cost_by_customer;
  std::map<std::string, double> cost_by_operation;
  /// "YYYY-MM-DD" -> cost of that day.
  std::map<std::string, double> daily_usage;
  /// Operation name -> calls.
  std::map<std::string, std::uint64_t> operation_counts;
};

/// What a budget scope sums over.
enum class CostDimension { kGlobal, kTeam, kProject, kCustomer };

/// Accumulates CostEntry records. Thread-safe.
class CostAggregator {
 public:
  CostAggregator() = default;
  CostAggregator(const CostAggregator&) = delete;
  CostAggregator& operator=(const CostAggregator&) = delete;

  void record(const CostEntry& entry);
  /// Declares `run_id` a child of `parent_run_id` (costs roll up to it).
  void set_parent_run(const std::string& run_id, const std::string& parent_run_id);
  /// The cost of `run_id`, its child runs' included.
  double run_cost(const std::string& run_id) const;
  /// What `dimension` = `value` (ignored for kGlobal) spent on the days whose date starts with
  /// `date_prefix` ("2026-12-08" for a day, "2026-12" for a month).
  double spent(CostDimension dimension, const std::string& value,
               const std::string& date_prefix) const;
  CostSummary summary() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  CostSummary totals_;  // cost_by_run holds own costs only
  std::unordered_map<std::string, std::string> parent_of_;
  std::map<std::string, double> spend_;  // dimension \x1f value \x1f date -> cost
};

/// RAII: collects every operation recorded on the calling thread while alive (as GenOps'
/// create_mlflow_cost_context), nested contexts each seeing them. summary() stays readable
/// after the context ended. Destroy contexts in reverse order of creation (as blocks do).
class CostContext {
 public:
  explicit CostContext(std::string name);
  ~CostContext();
  CostContext(const CostContext&) = delete;
  CostContext& operator=(const CostContext&) = delete;

  const std::string& name() const noexcept { return name_; }
  CostSummary summary() const { return costs_->summary(); }

  /// Records `entry` in the calling thread's open contexts (the governance hook does).
  static void record_in_open_contexts(const CostEntry& entry);

 private:
  std::string name_;
  std::shared_ptr<CostAggregator> costs_;
  CostContext* enclosing_;
};

}  // namespace mlflow::governance
