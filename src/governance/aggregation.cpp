// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Cost aggregation and scoped cost contexts.
#include <unordered_set>

#include "mlflow/governance_aggregation.hpp"

namespace mlflow::governance {
namespace {

constexpr char kSeparator = '\x1f';

thread_local CostContext* t_innermost_context = nullptr;

std::string spend_key(CostDimension dimension, const std::string& value) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(dimension)));
  key += kSeparator;
  if (dimension != CostDimension::kGlobal) key += value;
  key += kSeparator;
  return key;
}

void add_if_set(std::map<std::string, double>& totals, const std::string& key, double cost) {
  if (!key.empty()) totals[key] += cost;
}

}  // namespace

void CostAggregator::record(const CostEntry& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  totals_.total_cost += entry.cost;
  if (entry.counted) {
    ++totals_.operation_count;
    ++totals_.operation_counts[entry.operation];
  }
  add_if_set(totals_.cost_by_run, entry.run_id, entry.cost);
  add_if_set(totals_.cost_by_experiment, entry.experiment_id, entry.cost);
  add_if_set(totals_.cost_by_team, entry.team, entry.cost);
  add_if_set(totals_.cost_by_project, entry.project, entry.cost);
  add_if_set(totals_.cost_by_customer, entry.customer_id, entry.cost);
  add_if_set(totals_.cost_by_operation, entry.operation, entry.cost);
  add_if_set(totals_.daily_usage, entry.date, entry.cost);
  const std::pair<CostDimension, const std::string*> scopes[] = {
      {CostDimension::kGlobal, nullptr},
      {CostDimension::kTeam, &entry.team},
      {CostDimension::kProject, &entry.project},
      {CostDimension::kCustomer, &entry.customer_id}};
  for (const auto& [dimension, value] : scopes) {
    if (value != nullptr && value->empty()) continue;
    spend_[spend_key(dimension, value ? *value : std::string()) + entry.date] += entry.cost;
  }
}

void CostAggregator::set_parent_run(const std::string& run_id, const std::string& parent_run_id) {
  if (run_id.empty() || parent_run_id.empty() || run_id == parent_run_id) return;
  std::lock_guard<std::mutex> lock(mutex_);
  parent_of_[run_id] = parent_run_id;
}

double CostAggregator::run_cost(const std::string& run_id) const {
  const CostSummary totals = summary();
  const auto found = totals.cost_by_run.find(run_id);
  return found == totals.cost_by_run.end() ? 0.0 : found->second;
}

double CostAggregator::spent(CostDimension dimension, const std::string& value,
                             const std::string& date_prefix) const {
  const std::string prefix = spend_key(dimension, value) + date_prefix;
  std::lock_guard<std::mutex> lock(mutex_);
  double total = 0.0;
  for (auto it = spend_.lower_bound(prefix);
       it != spend_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    total += it->second;
  }
  return total;
}

CostSummary CostAggregator::summary() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CostSummary result = totals_;
  // Roll each run's own cost up its chain of parents (a cycle stops at the first repeat).
  for (const auto& [run_id, cost] : totals_.cost_by_run) {
    std::unordered_set<std::string> seen{run_id};
    for (auto parent = parent_of_.find(run_id); parent != parent_of_.end();
         parent = parent_of_.find(parent->second)) {
      if (!seen.insert(parent->second).second) break;
      result.cost_by_run[parent->second] += cost;
    }
  }
  return result;
}

void CostAggregator::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  totals_ = CostSummary{};
  parent_of_.clear();
  spend_.clear();
}

CostContext::CostContext(std::string name)
    : name_(std::move(name)),
      costs_(std::make_shared<CostAggregator>()),
      enclosing_(t_innermost_context) {
  t_innermost_context = this;
}

CostContext::~CostContext() { t_innermost_context = enclosing_; }

void CostContext::record_in_open_contexts(const CostEntry& entry) {
  for (CostContext* context = t_innermost_context; context != nullptr;
       context = context->enclosing_) {
    context->costs_->record(entry);
  }
}

}  // namespace mlflow::governance
