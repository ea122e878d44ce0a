// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The governance hook: attribution, pricing, aggregation, budgets, policies and span records
// for every client operation (ADR 0027, on the operation hook of ADR 0014).
#include "mlflow/governance.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/config.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "governance/calendar.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/governance_export.hpp"
#include "tracing/otlp_collector.hpp"

namespace mlflow::governance {
namespace {

using AttributesPtr = std::shared_ptr<const Attributes>;
using Decisions = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPolicyPrefix = "genops.policy.";

bool creates_tagged_object(std::string_view name) {
  return name == "create_experiment" || name == "create_run" || name == "create_registered_model" ||
         name == "create_model_version";
}

bool sampled(std::uint64_t operation_id, double ratio) {
  if (ratio >= 1.0) return true;
  if (ratio <= 0.0) return false;
  const std::uint64_t mixed = operation_id * 0x9E3779B97F4A7C15ULL;
  return static_cast<double>(mixed >> 11) / 9007199254740992.0 < ratio;
}

// Limits are inclusive; the tolerance absorbs the rounding of sums of small prices
// (10 x 0.0001 is not exactly 0.001 in binary).
bool passes_limit(double spent, double cost, double limit) {
  return spent + cost > limit + 1e-9 * std::max(1.0, std::abs(limit));
}

std::string format_usd(double amount) {
  std::ostringstream text;
  text.precision(10);
  text << amount;
  return text.str();
}

const char* dimension_name(CostDimension dimension) {
  switch (dimension) {
    case CostDimension::kTeam:
      return "team";
    case CostDimension::kProject:
      return "project";
    case CostDimension::kCustomer:
      return "customer_id";
    default:
      return "global";
  }
}

const std::string& scope_value(const Attributes& attributes, CostDimension dimension) {
  static const std::string kNone;
  switch (dimension) {
    case CostDimension::kTeam:
      return attributes.team;
    case CostDimension::kProject:
      return attributes.project;
    case CostDimension::kCustomer:
      return attributes.customer_id;
    default:
      return kNone;
  }
}

void validate(const GovernanceOptions& options) {
  if (!(options.span_sampling_ratio >= 0.0 && options.span_sampling_ratio <= 1.0)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "GovernanceOptions::span_sampling_ratio must be in [0, 1], got " +
                    std::to_string(options.span_sampling_ratio) + ".");
  }
  for (const Budget& budget : options.budgets) {
    if (!std::isfinite(budget.limit) || budget.limit < 0) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "A governance budget's limit must be a finite amount >= 0 (USD).");
    }
    if (budget.scope != CostDimension::kGlobal && budget.scope_value.empty()) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  std::string("A ") + dimension_name(budget.scope) +
                      " budget needs scope_value (the " + dimension_name(budget.scope) +
                      " it limits); use CostDimension::kGlobal for a budget over everything.");
    }
  }
}

}  // namespace

// Per-call and per-run state, under one mutex.
struct Governance::State {
  struct Pending {
    std::vector<double> reserved;  // per budget
    Decisions decisions;
  };
  struct RunInfo {
    AttributesPtr attributes;
    std::string experiment_id;
    std::string artifact_uri;
  };

  mutable std::mutex mutex;
  AttributesPtr base;
  std::unordered_map<std::string, RunInfo> runs;
  std::unordered_map<std::uint64_t, Pending> pending;
  std::vector<double> reserved;  // per budget, by operations under way
  std::uint64_t run_count = 0;
};

namespace {

// Whether the process exports to an OpenTelemetry collector (ADR 0028), decided by the tracing
// layer's own reading of OTEL_EXPORTER_OTLP_* and MLFLOW_ENABLE_OTLP_EXPORTER: governance spans
// follow it when the user has not chosen a destination for them. A misconfigured collector
// still counts: the tracing layer reports that once, when the first span goes out.
bool otlp_export_configured() {
  try {
    return mlflow::internal::tracing::collector_config_from(mlflow::internal::process_env())
        .has_value();
  } catch (const MlflowException&) {
    return true;
  }
}

}  // namespace

Governance::Governance(GovernanceOptions options)
    : options_(std::move(options)),
      attributes_(Attributes::from_env().merged_with(options_.attributes)),
      model_(options_.pricing),
      state_(std::make_unique<State>()) {
  validate(options_);
  if (!options_.on_span && otlp_export_configured()) options_.on_span = otlp_span_exporter();
  state_->base = std::make_shared<const Attributes>(attributes_);
  state_->reserved.assign(options_.budgets.size(), 0.0);
  for (const std::string& name : options_.policies.required_attributes) {
    if (attributes_.get(name).empty()) {
      mlflow::internal::log(
          LogLevel::kWarning,
          "mlflow governance: attribute '" + name +
              "' is not configured; runs need it (set GovernanceOptions::attributes, "
              "GENOPS_" +
              mlflow::internal::to_upper(name) + ", or an AttributionScope).");
    }
  }
}

Governance::~Governance() = default;

std::string Governance::today() const {
  return internal::utc_date(options_.clock ? options_.clock() : std::chrono::system_clock::now());
}

Attributes Governance::effective_attributes(const Operation& operation) const {
  AttributesPtr attributes;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    attributes = state_->base;
    const std::string& run_id =
        operation.name == "create_run" ? operation.target.parent_run_id : operation.target.run_id;
    if (!run_id.empty()) {
      const auto run = state_->runs.find(run_id);
      if (run != state_->runs.end()) attributes = run->second.attributes;
    }
  }
  const AttributesPtr scoped = scoped_attributes();
  return scoped ? attributes->merged_with(*scoped) : *attributes;
}

Attributes Governance::attributes_of_run(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const auto run = state_->runs.find(run_id);
  return run != state_->runs.end() ? *run->second.attributes : *state_->base;
}

void Governance::check_policies(const Operation& operation, const Attributes& attributes,
                                Decisions* decisions) const {
  const Policies& policies = options_.policies;
  std::vector<std::string> violations;
  const auto decide = [&](const std::string& policy, const std::string& violation) {
    if (decisions) {
      decisions->emplace_back(kPolicyPrefix + policy, violation.empty() ? "allowed" : "violated");
    }
    if (!violation.empty()) violations.push_back(policy + ": " + violation);
  };
  const bool at_required_checkpoint =
      policies.required_attributes_at == PolicyCheckpoint::kRunStart
          ? (operation.name == "create_run" || operation.name == "create_experiment")
          : operation.name == "set_terminated";
  if (at_required_checkpoint && operation.depth == 0 && !policies.required_attributes.empty()) {
    std::string missing;
    for (const std::string& name : policies.required_attributes) {
      if (attributes.get(name).empty()) missing += (missing.empty() ? "'" : ", '") + name + "'";
    }
    decide("required_attributes",
           missing.empty() ? std::string()
                           : "missing governance attribute(s) " + missing +
                                 "; set them in GovernanceOptions::attributes, the GENOPS_* "
                                 "environment variables or an AttributionScope");
  }
  if (!policies.allowed_environments.empty() && operation.depth == 0) {
    const auto& allowed = policies.allowed_environments;
    const bool ok =
        std::find(allowed.begin(), allowed.end(), attributes.environment) != allowed.end();
    std::string list;
    for (const std::string& name : allowed) list += (list.empty() ? "" : ", ") + name;
    decide("allowed_environments",
           ok ? std::string()
              : "environment '" + attributes.environment + "' is not allowed (allowed: " + list +
                    "); set GENOPS_ENVIRONMENT or the environment attribute to one of them");
  }
  if (policies.max_artifact_bytes && operation.kind == OperationKind::kArtifactUpload) {
    const bool ok = operation.bytes <= *policies.max_artifact_bytes;
    decide("max_artifact_size",
           ok ? std::string()
              : "the artifact is " + std::to_string(operation.bytes) +
                    " bytes, over the limit of " + std::to_string(*policies.max_artifact_bytes) +
                    " bytes; upload a smaller file or raise Policies::max_artifact_bytes");
  }
  for (const auto& [name, policy] : policies.custom) {
    const PolicyDecision decision = policy(operation, attributes);
    decide(name, decision.allowed ? std::string()
                                  : (decision.reason.empty() ? "refused" : decision.reason));
  }
  if (violations.empty()) return;
  std::string message = "Governance policy refused " + std::string(operation.name) + ": ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    message += (i ? "; " : "") + violations[i];
  }
  message += ". Nothing was sent.";
  if (policies.enforce) throw PolicyViolation(ErrorCode::kPermissionDenied, message);
  mlflow::internal::log(LogLevel::kWarning, "mlflow governance (not enforced): " + message);
}

std::vector<BudgetAlert> Governance::check_budgets(const Operation& operation,
                                                   const Attributes& attributes, double cost) {
  // Called with state_->mutex held.
  const std::string date = today();
  std::vector<BudgetAlert> warnings;
  std::vector<std::size_t> applying;
  for (std::size_t i = 0; i < options_.budgets.size(); ++i) {
    const Budget& budget = options_.budgets[i];
    if (budget.scope != CostDimension::kGlobal &&
        scope_value(attributes, budget.scope) != budget.scope_value) {
      continue;
    }
    applying.push_back(i);
    const std::string period = budget.period == BudgetPeriod::kDaily ? date : date.substr(0, 7);
    const double spent =
        costs_.spent(budget.scope, budget.scope_value, period) + state_->reserved[i];
    if (cost <= 0.0 || !passes_limit(spent, cost, budget.limit)) continue;
    BudgetAlert alert{budget, spent, cost, std::string(operation.name),
                      budget.action == BudgetAction::kBlock};
    if (alert.blocked) {
      throw BudgetExceeded(
          ErrorCode::kResourceExhausted,
          std::string("Budget limit exceeded: the ") +
              (budget.period == BudgetPeriod::kDaily ? "daily" : "monthly") + " " +
              dimension_name(budget.scope) + " budget" +
              (budget.scope_value.empty() ? "" : " of '" + budget.scope_value + "'") + " is $" +
              format_usd(budget.limit) + ", $" + format_usd(spent) + " is spent and " +
              std::string(operation.name) + " would cost $" + format_usd(cost) +
              ". Nothing was sent; raise the budget or wait for the next period.");
    }
    warnings.push_back(std::move(alert));
  }
  if (cost > 0.0 && !applying.empty()) {
    State::Pending& pending = state_->pending[operation.id];
    pending.reserved.assign(options_.budgets.size(), 0.0);
    for (std::size_t i : applying) {
      pending.reserved[i] = cost;
      state_->reserved[i] += cost;
    }
  }
  return warnings;
}

void Governance::before(const Operation& operation) {
  const Attributes attributes = effective_attributes(operation);
  const bool creates = options_.tag_created_objects && creates_tagged_object(operation.name);
  const bool spans = static_cast<bool>(options_.on_span);
  Decisions decisions;
  try {
    check_policies(operation, attributes, (creates || spans) ? &decisions : nullptr);
  } catch (const PolicyViolation& e) {
    export_refusal(operation, attributes, decisions, e);
    throw;
  }
  if (creates) {
    for (auto& tag : attributes.to_tags()) operation.added_tags.push_back(std::move(tag));
    if (operation.name == "create_run") {
      operation.added_tags.insert(operation.added_tags.end(), decisions.begin(), decisions.end());
    }
  }
  std::vector<BudgetAlert> warnings;
  std::optional<BudgetExceeded> refusal;
  if (!options_.budgets.empty() || (spans && !decisions.empty())) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (!options_.budgets.empty()) {
      std::string artifact_uri;
      const auto run = state_->runs.find(operation.target.run_id);
      if (run != state_->runs.end()) artifact_uri = run->second.artifact_uri;
      try {
        warnings =
            check_budgets(operation, attributes, model_.operation_cost(operation, artifact_uri));
      } catch (const BudgetExceeded& e) {
        refusal = e;
      }
    }
    if (!refusal && spans && !decisions.empty()) {
      state_->pending[operation.id].decisions = std::move(decisions);
    }
  }
  // Callbacks run outside the mutex.
  if (refusal) {
    export_refusal(operation, attributes, decisions, *refusal);
    throw *refusal;
  }
  for (const BudgetAlert& alert : warnings) {
    mlflow::internal::log(LogLevel::kWarning, "mlflow governance: " + alert.operation +
                                                  " passes the " +
                                                  dimension_name(alert.budget.scope) +
                                                  " budget of $" + format_usd(alert.budget.limit) +
                                                  " ($" + format_usd(alert.spent) + " spent).");
    if (options_.on_budget_warning) options_.on_budget_warning(alert);
  }
}

void Governance::after(const Operation& operation, const OperationOutcome& outcome) {
  Attributes attributes = effective_attributes(operation);
  const std::string date = today();
  State::Pending pending;
  CostEntry entry;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    const auto found = state_->pending.find(operation.id);
    if (found != state_->pending.end()) {
      pending = std::move(found->second);
      state_->pending.erase(found);
      for (std::size_t i = 0; i < pending.reserved.size(); ++i) {
        state_->reserved[i] -= pending.reserved[i];
      }
    }
    const std::string& run_id = operation.target.run_id;
    if (outcome.ok && operation.name == "create_run" && !run_id.empty()) {
      State::RunInfo& run = state_->runs[run_id];
      run.attributes = std::make_shared<const Attributes>(attributes);
      run.experiment_id = operation.target.experiment_id;
      run.artifact_uri = operation.target.artifact_uri;
      ++state_->run_count;
      costs_.set_parent_run(run_id, operation.target.parent_run_id);
    }
    entry.experiment_id = operation.target.experiment_id;
    std::string artifact_uri = operation.target.artifact_uri;
    const auto run = state_->runs.find(run_id);
    if (run != state_->runs.end()) {
      if (entry.experiment_id.empty()) entry.experiment_id = run->second.experiment_id;
      if (artifact_uri.empty()) artifact_uri = run->second.artifact_uri;
    }
    if (outcome.ok) {
      entry.operation = std::string(operation.name);
      entry.cost = model_.operation_cost(operation, artifact_uri);
      entry.run_id = run_id;
      entry.team = attributes.team;
      entry.project = attributes.project;
      entry.customer_id = attributes.customer_id;
      entry.date = date;
      entry.counted = operation.depth == 0;
      // Recorded under the state mutex: a budget check sees the cost and the released
      // reservation together.
      costs_.record(entry);
    }
  }
  if (outcome.ok) CostContext::record_in_open_contexts(entry);
  export_span(operation, outcome, attributes, pending.decisions, entry.cost, entry.experiment_id);
}

void Governance::export_span(const Operation& operation, const OperationOutcome& outcome,
                             const Attributes& attributes, const Decisions& decisions, double cost,
                             const std::string& experiment_id) const {
  if (!options_.on_span || !sampled(operation.id, options_.span_sampling_ratio)) return;
  GovernanceSpan span;
  span.name = "mlflow." + std::string(operation.name);
  span.operation_id = operation.id;
  span.parent_operation_id = operation.parent_id;
  span.start_time = outcome.started_at;
  span.duration = outcome.duration;
  span.ok = outcome.ok;
  span.error_message = outcome.error_message;
  for (auto& [key, value] : attributes.to_tags()) span.attributes[key] = std::move(value);
  for (const auto& [key, value] : decisions) span.attributes[key] = value;
  span.attributes["genops.operation.name"] = std::string(operation.name);
  span.attributes["genops.operation.kind"] = to_string(operation.kind);
  span.attributes["genops.operation.depth"] = std::to_string(operation.depth);
  span.attributes["genops.cost.usd"] = format_usd(cost);
  if (outcome.vetoed) span.attributes["genops.vetoed"] = "true";
  if (operation.bytes > 0) {
    span.attributes["genops.artifact.bytes"] = std::to_string(operation.bytes);
  }
  if (!operation.target.run_id.empty()) span.attributes["mlflow.run_id"] = operation.target.run_id;
  if (!experiment_id.empty()) span.attributes["mlflow.experiment_id"] = experiment_id;
  if (!operation.target.registered_model.empty()) {
    span.attributes["mlflow.model_name"] = operation.target.registered_model;
  }
  if (!operation.target.version.empty()) {
    span.attributes["mlflow.model_version"] = operation.target.version;
  }
  options_.on_span(span);
}

void Governance::export_refusal(const Operation& operation, const Attributes& attributes,
                                const Decisions& decisions, const MlflowException& error) const {
  // The refusing hook gets no after() (ADR 0014): its span is made here.
  if (!options_.on_span) return;
  OperationOutcome outcome;
  outcome.ok = false;
  outcome.vetoed = true;
  outcome.error_code = error.error_code();
  outcome.error_message = error.what();
  outcome.started_at = std::chrono::system_clock::now();
  export_span(operation, outcome, attributes, decisions, 0.0, operation.target.experiment_id);
}

GovernanceMetrics Governance::metrics() const {
  const CostSummary summary = costs_.summary();
  GovernanceMetrics metrics;
  const auto day = summary.daily_usage.find(today());
  metrics.daily_usage = day == summary.daily_usage.end() ? 0.0 : day->second;
  metrics.operation_count = summary.operation_count;
  std::lock_guard<std::mutex> lock(state_->mutex);
  metrics.run_count = state_->run_count;
  return metrics;
}

bool Governance::is_over_budget() const {
  const std::string date = today();
  for (const Budget& budget : options_.budgets) {
    const std::string period = budget.period == BudgetPeriod::kDaily ? date : date.substr(0, 7);
    const double spent = costs_.spent(budget.scope, budget.scope_value, period);
    // Reached counts: a blocking budget lets spending reach its limit exactly.
    if (spent >= budget.limit - 1e-9 * std::max(1.0, budget.limit)) return true;
  }
  return false;
}

std::shared_ptr<Governance> instrument_mlflow(GovernanceOptions options) {
  auto governance = std::make_shared<Governance>(std::move(options));
  add_operation_hook(governance);
  return governance;
}

bool uninstrument_mlflow(const std::shared_ptr<Governance>& governance) {
  return remove_operation_hook(governance);
}

}  // namespace mlflow::governance
