// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The governance hook (ADR 0027): attribution tags in the creating request, per-run override
// scopes inherited by child runs, aggregation with roll-up to parent runs, budgets that warn or
// block at the boundary (a blocked operation sends nothing: zero requests on the fake
// transport), each policy, span records with sampling, and thread safety.
#include "mlflow/governance.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client/client_impl.hpp"
#include "core/config.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "rest/rest_backend.hpp"
#include "support/fake_transport.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"

namespace mlflow::governance {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

const auto kNoGenOpsEnv =
    testing::unset_vars({"GENOPS_TEAM", "GENOPS_PROJECT", "GENOPS_CUSTOMER_ID",
                         "GENOPS_ENVIRONMENT", "GENOPS_COST_CENTER", "GENOPS_FEATURE"});

GovernanceOptions team_options() {
  GovernanceOptions options;
  options.attributes.team = "ml-team";
  options.attributes.project = "model-training";
  return options;
}

// A client over the fake transport (every answer 200 "{}" unless queued), governed by `g`.
struct RestClient {
  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  MlflowClient client;
  explicit RestClient(std::shared_ptr<Governance> governance)
      : client([&] {
          internal::ResolvedConfig config;
          config.tracking_uri = "http://mlflow.test";
          return internal::make_client(
              internal::make_rest_backend(config, transport, testing::no_wait_retry_hooks()),
              "http://mlflow.test", {std::move(governance)});
        }()) {}
};

// An embedded client in a temporary directory (removed at the end), governed by `g`.
struct Embedded {
  testing::ScopedEnv env{kNoGenOpsEnv};
  fs::path base = testing::make_temp_dir("governance");
  std::shared_ptr<Governance> governance;
  MlflowClient client;
  explicit Embedded(GovernanceOptions options = team_options())
      : governance(std::make_shared<Governance>(std::move(options))), client([this] {
          ClientOptions o;
          o.tracking_uri = "sqlite:///" + (base / "mlflow.db").string();
          o.operation_hooks = {governance};
          return MlflowClient(o);
        }()) {}
  ~Embedded() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  std::string experiment(const std::string& name) {
    CreateExperimentOptions o;
    o.artifact_location = (base / name).string();
    return client.create_experiment(name, o);
  }
};

TEST(GovernanceAttributes, ComeFromGenOpsVariablesAndExplicitValuesWin) {
  testing::ScopedEnv env({{"GENOPS_TEAM", "env-team"},
                          {"GENOPS_PROJECT", "env-project"},
                          {"GENOPS_CUSTOMER_ID", "customer-001"},
                          {"GENOPS_ENVIRONMENT", "development"},
                          {"GENOPS_COST_CENTER", "ml-research"},
                          {"GENOPS_FEATURE", ""}});
  GovernanceOptions options;
  options.attributes.project = "explicit-project";
  const Governance governance(options);
  EXPECT_EQ(governance.attributes().team, "env-team");
  EXPECT_EQ(governance.attributes().project, "explicit-project");
  EXPECT_EQ(governance.attributes().feature, "");
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(governance.attributes().to_tags(), (Tags{{"genops.team", "env-team"},
                                                     {"genops.project", "explicit-project"},
                                                     {"genops.customer_id", "customer-001"},
                                                     {"genops.environment", "development"},
                                                     {"genops.cost_center", "ml-research"}}));
}

// The tags go in the creating request itself: one CreateRun with genops.* tags, no SetTag.
TEST(GovernanceAttribution, TagsTravelInTheCreatingRequest) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  RestClient rest(std::make_shared<Governance>(team_options()));
  rest.transport->reply_ok(R"({"run":{"info":{"run_id":"r1","experiment_id":"1"}}})");
  CreateRunOptions options;
  options.tags = {{"genops.project", "caller-wins"}};
  rest.client.create_run("1", options);
  ASSERT_EQ(rest.transport->requests.size(), 1u);
  const std::string& body = rest.transport->requests[0].body;
  EXPECT_THAT(rest.transport->requests[0].url, HasSubstr("runs/create"));
  EXPECT_THAT(body, HasSubstr(R"({"key":"genops.team","value":"ml-team"})"));
  EXPECT_THAT(body, HasSubstr(R"({"key":"genops.project","value":"caller-wins"})"));
  EXPECT_THAT(body, Not(HasSubstr("model-training")));
  EXPECT_THAT(body, HasSubstr(R"({"key":"genops.policy.required_attributes","value":"allowed"})"));
}

TEST(GovernanceAttribution, ExperimentsRunsAndModelVersionsCarryTheTags) {
  Embedded e;
  const std::string experiment_id = e.experiment("tagged");
  const mlflow::Run run = e.client.create_run(experiment_id);
  const ModelVersion version = e.client.create_model_version(
      [&] {
        e.client.create_registered_model("governed-model");
        return std::string("governed-model");
      }(),
      run.info.artifact_uri + "/model",
      [&] {
        CreateModelVersionOptions o;
        o.run_id = run.info.run_id;
        return o;
      }());
  EXPECT_THAT(e.client.get_experiment(experiment_id).tags,
              Contains(Pair("genops.team", "ml-team")));
  EXPECT_THAT(e.client.get_run(run.info.run_id).data.tags,
              Contains(Pair("genops.project", "model-training")));
  EXPECT_THAT(e.client.get_registered_model("governed-model").tags,
              Contains(Pair("genops.team", "ml-team")));
  EXPECT_THAT(e.client.get_model_version("governed-model", version.version).tags,
              Contains(Pair("genops.project", "model-training")));
}

// A scope overrides the customer for the runs made inside it; a child run created on another
// thread, outside any scope, inherits its parent's attribution.
TEST(GovernanceAttribution, ScopesOverridePerRunAndChildRunsInherit) {
  Embedded e;
  const std::string experiment_id = e.experiment("scoped");
  const std::string plain = e.client.create_run(experiment_id).info.run_id;
  std::string parent;
  {
    Attributes overrides;
    overrides.customer_id = "customer-specific";
    AttributionScope scope(overrides);
    parent = e.client.create_run(experiment_id).info.run_id;
  }
  std::string child;
  std::thread([&] {
    CreateRunOptions o;
    o.tags = {{"mlflow.parentRunId", parent}};
    child = e.client.create_run(experiment_id, o).info.run_id;
  }).join();
  const auto tags = [&](const std::string& id) { return e.client.get_run(id).data.tags; };
  EXPECT_EQ(tags(plain).count("genops.customer_id"), 0u);
  EXPECT_EQ(tags(parent).at("genops.customer_id"), "customer-specific");
  EXPECT_EQ(tags(child).at("genops.customer_id"), "customer-specific");
  EXPECT_EQ(tags(child).at("genops.team"), "ml-team");
  EXPECT_EQ(e.governance->attributes_of_run(child).customer_id, "customer-specific");
}

TEST(GovernanceAggregation, CostsAreTotalledByEveryDimensionAndRolledUpToParents) {
  Embedded e;
  const std::string experiment_id = e.experiment("costs");  // 1 call
  std::string parent;
  {
    Attributes overrides;
    overrides.customer_id = "acme";
    AttributionScope scope(overrides);
    parent = e.client.create_run(experiment_id).info.run_id;  // 1 call
  }
  e.client.log_param(parent, "lr", "0.01");  // 1 call
  CreateRunOptions o;
  o.tags = {{"mlflow.parentRunId", parent}};
  const std::string child = e.client.create_run(experiment_id, o).info.run_id;  // 1 call
  e.client.log_metric(child, "m", 1.0);                                         // 1 call
  e.client.log_metric(child, "m", 2.0);                                         // 1 call

  const CostSummary summary = e.governance->cost_aggregator().summary();
  EXPECT_EQ(summary.operation_count, 6u);
  EXPECT_NEAR(summary.total_cost, 0.0006, 1e-12);
  // A run's create_run is charged to the run: the child has it and its two metrics; the
  // parent its own create_run, its param and its child's.
  EXPECT_NEAR(summary.cost_by_run.at(child), 0.0003, 1e-12);
  EXPECT_NEAR(summary.cost_by_run.at(parent), 0.0005, 1e-12);
  EXPECT_NEAR(summary.cost_by_experiment.at(experiment_id), 0.0006, 1e-12);
  EXPECT_NEAR(summary.cost_by_team.at("ml-team"), 0.0006, 1e-12);
  EXPECT_NEAR(summary.cost_by_project.at("model-training"), 0.0006, 1e-12);
  EXPECT_NEAR(summary.cost_by_customer.at("acme"), 0.0005, 1e-12);  // the parent's family
  EXPECT_EQ(summary.operation_counts.at("log_metric"), 2u);
  EXPECT_EQ(summary.daily_usage.size(), 1u);
  const GovernanceMetrics metrics = e.governance->metrics();
  EXPECT_NEAR(metrics.daily_usage, 0.0006, 1e-12);
  EXPECT_EQ(metrics.operation_count, 6u);
  EXPECT_EQ(metrics.run_count, 2u);
}

TEST(GovernanceAggregation, CostContextsSummariseOnlyTheirOwnOperations) {
  Embedded e;
  const std::string run_id = e.client.create_run(e.experiment("ctx")).info.run_id;
  CostSummary outer_summary;
  CostSummary inner_summary;
  {
    CostContext outer("workflow");
    e.client.log_param(run_id, "a", "1");
    {
      CostContext inner("step");
      e.client.log_metric(run_id, "m", 1.0);
      inner_summary = inner.summary();
    }
    outer_summary = outer.summary();
  }
  e.client.log_param(run_id, "b", "2");
  EXPECT_EQ(inner_summary.operation_count, 1u);
  EXPECT_NEAR(inner_summary.total_cost, 0.0001, 1e-12);
  EXPECT_EQ(outer_summary.operation_count, 2u);
  EXPECT_NEAR(outer_summary.cost_by_run.at(run_id), 0.0002, 1e-12);
}

TEST(GovernanceAggregation, ConcurrentOperationsAreAllCounted) {
  Embedded e;
  const std::string run_id = e.client.create_run(e.experiment("threads")).info.run_id;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) e.client.set_tag(run_id, "k" + std::to_string(t), "v");
    });
  }
  for (auto& thread : threads) thread.join();
  const CostSummary summary = e.governance->cost_aggregator().summary();
  EXPECT_EQ(summary.operation_counts.at("set_tag"), 100u);
  EXPECT_NEAR(summary.cost_by_run.at(run_id), 0.0101, 1e-12);  // create_run and 100 tags
}

// A blocking budget lets spending reach its limit exactly; the call that would pass it throws
// BudgetExceeded from before(): nothing is sent and nothing is charged.
TEST(GovernanceBudgets, BlockAtTheBoundaryAndSendNothing) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  options.budgets = {
      {CostDimension::kGlobal, "", BudgetPeriod::kDaily, 0.0003, BudgetAction::kBlock}};
  auto governance = std::make_shared<Governance>(options);
  RestClient rest(governance);
  for (int i = 0; i < 3; ++i) rest.client.set_tag("r1", "k", "v");
  ASSERT_EQ(rest.transport->requests.size(), 3u);
  EXPECT_TRUE(governance->is_over_budget());
  try {
    rest.client.set_tag("r1", "k", "v");
    FAIL() << "the fourth call passes the budget";
  } catch (const BudgetExceeded& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kResourceExhausted);
    EXPECT_THAT(e.what(), HasSubstr("daily global budget is $0.0003"));
    EXPECT_THAT(e.what(), HasSubstr("Nothing was sent"));
    EXPECT_TRUE(is_budget_exceeded(e));
  }
  EXPECT_EQ(rest.transport->requests.size(), 3u);
  EXPECT_NEAR(governance->cost_aggregator().summary().total_cost, 0.0003, 1e-12);
  // Reads that cost nothing still pass; downloads are free.
  EXPECT_EQ(governance->metrics().operation_count, 3u);
}

TEST(GovernanceBudgets, WarnCallsBackAndLetsTheOperationThrough) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  options.budgets = {
      {CostDimension::kTeam, "ml-team", BudgetPeriod::kDaily, 0.0002, BudgetAction::kWarn},
      {CostDimension::kTeam, "other-team", BudgetPeriod::kDaily, 0.0, BudgetAction::kBlock}};
  std::vector<BudgetAlert> alerts;
  options.on_budget_warning = [&](const BudgetAlert& alert) { alerts.push_back(alert); };
  auto governance = std::make_shared<Governance>(options);
  RestClient rest(governance);
  for (int i = 0; i < 3; ++i) rest.client.set_tag("r1", "k", "v");
  EXPECT_EQ(rest.transport->requests.size(), 3u);  // the other team's budget does not apply
  ASSERT_EQ(alerts.size(), 1u);                    // only the third passes $0.0002
  EXPECT_EQ(alerts[0].operation, "set_tag");
  EXPECT_FALSE(alerts[0].blocked);
  EXPECT_NEAR(alerts[0].spent, 0.0002, 1e-12);
  EXPECT_NEAR(alerts[0].operation_cost, 0.0001, 1e-12);
}

TEST(GovernanceBudgets, DailyBudgetsResetEachDayMonthlyOnesEachMonth) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  auto now = std::chrono::system_clock::from_time_t(1764547200);  // 2025-12-01 00:00 UTC
  GovernanceOptions options = team_options();
  options.clock = [&] { return now; };
  options.budgets = {
      {CostDimension::kProject, "model-training", BudgetPeriod::kDaily, 0.0001,
       BudgetAction::kBlock},
      {CostDimension::kGlobal, "", BudgetPeriod::kMonthly, 0.0002, BudgetAction::kBlock}};
  auto governance = std::make_shared<Governance>(options);
  RestClient rest(governance);
  rest.client.set_tag("r1", "k", "v");
  EXPECT_THROW(rest.client.set_tag("r1", "k", "v"), BudgetExceeded);  // daily
  now += std::chrono::hours(24);                                      // 2025-12-02
  rest.client.set_tag("r1", "k", "v");
  now += std::chrono::hours(24);
  EXPECT_THROW(rest.client.set_tag("r1", "k", "v"), BudgetExceeded);  // monthly
  now += std::chrono::hours(24 * 30);                                 // 2026-01-01
  rest.client.set_tag("r1", "k", "v");
  EXPECT_EQ(rest.transport->requests.size(), 3u);
}

TEST(GovernanceBudgets, BadBudgetsAreRefused) {
  GovernanceOptions options = team_options();
  options.budgets = {{CostDimension::kTeam, "", BudgetPeriod::kDaily, 1.0, BudgetAction::kBlock}};
  EXPECT_THROW(Governance{options}, InvalidArgument);
  options.budgets = {
      {CostDimension::kGlobal, "", BudgetPeriod::kDaily, -1.0, BudgetAction::kBlock}};
  EXPECT_THROW(Governance{options}, InvalidArgument);
}

TEST(GovernancePolicies, MissingRequiredAttributesRefuseTheRunBeforeItIsSent) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options;
  options.attributes.team = "ml-team";  // no project
  RestClient rest(std::make_shared<Governance>(options));
  try {
    rest.client.create_run("1");
    FAIL() << "create_run without a project must be refused";
  } catch (const PolicyViolation& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kPermissionDenied);
    EXPECT_THAT(e.what(), HasSubstr("'project'"));
    EXPECT_THAT(e.what(), HasSubstr("GENOPS_"));
    EXPECT_TRUE(is_permission_denied(e));
    EXPECT_TRUE(is_policy_violation(e));
  }
  EXPECT_TRUE(rest.transport->requests.empty());
  Attributes overrides;
  overrides.project = "scoped-project";
  AttributionScope scope(overrides);
  rest.transport->reply_ok(R"({"run":{"info":{"run_id":"r1","experiment_id":"1"}}})");
  rest.client.create_run("1");
  EXPECT_EQ(rest.transport->requests.size(), 1u);
}

TEST(GovernancePolicies, RequiredAttributesCanBeCheckedAtRunEnd) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options;
  options.policies.required_attributes = {"team", "owner"};
  options.policies.required_attributes_at = PolicyCheckpoint::kRunEnd;
  options.attributes.team = "ml-team";
  RestClient rest(std::make_shared<Governance>(options));
  rest.transport->reply_ok(R"({"run":{"info":{"run_id":"r1","experiment_id":"1"}}})");
  rest.client.create_run("1");
  EXPECT_THAT([&] { rest.client.set_terminated("r1"); },
              ::testing::Throws<PolicyViolation>(
                  ::testing::Property(&PolicyViolation::what, HasSubstr("'owner'"))));
  EXPECT_EQ(rest.transport->requests.size(), 1u);
  Attributes owner;
  owner.extras["owner"] = "engineer@company.com";
  AttributionScope scope(owner);
  rest.transport->reply_ok(R"({"run_info":{"run_id":"r1","experiment_id":"1"}})");
  rest.client.set_terminated("r1");
  EXPECT_EQ(rest.transport->requests.size(), 2u);
}

TEST(GovernancePolicies, EnvironmentsOutsideTheAllowedListAreRefused) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  options.attributes.environment = "sandbox";
  options.policies.allowed_environments = {"dev", "staging", "prod"};
  RestClient rest(std::make_shared<Governance>(options));
  EXPECT_THAT([&] { rest.client.log_param("r1", "a", "1"); },
              ::testing::Throws<PolicyViolation>(::testing::Property(
                  &PolicyViolation::what, HasSubstr("'sandbox' is not allowed (allowed: dev, "
                                                    "staging, prod)"))));
  EXPECT_TRUE(rest.transport->requests.empty());
}

// The size is checked before the run's artifact root is even looked up: no request at all.
TEST(GovernancePolicies, ArtifactsOverTheSizeLimitAreRefusedBeforeAnyByteIsSent) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  const fs::path dir = testing::make_temp_dir("governance-artifact");
  const std::string file = (dir / "big.bin").string();
  std::ofstream(file, std::ios::binary) << std::string(2000, 'x');
  GovernanceOptions options = team_options();
  options.policies.max_artifact_bytes = 1000;
  RestClient rest(std::make_shared<Governance>(options));
  EXPECT_THAT([&] { rest.client.log_artifact("r1", file); },
              ::testing::Throws<PolicyViolation>(
                  ::testing::Property(&PolicyViolation::what, HasSubstr("2000 bytes"))));
  EXPECT_TRUE(rest.transport->requests.empty());
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(GovernancePolicies, CustomPoliciesDecideAndUnenforcedOnesOnlyRecord) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  options.policies.custom = {
      {"no_deletes", [](const Operation& op, const Attributes&) {
         return PolicyDecision{op.name != "delete_run", "runs are kept for audit"};
       }}};
  std::vector<GovernanceSpan> spans;
  options.on_span = [&](const GovernanceSpan& span) { spans.push_back(span); };
  RestClient rest(std::make_shared<Governance>(options));
  EXPECT_THAT([&] { rest.client.delete_run("r1"); },
              ::testing::Throws<PolicyViolation>(::testing::Property(
                  &PolicyViolation::what, HasSubstr("no_deletes: runs are kept for audit"))));
  EXPECT_TRUE(rest.transport->requests.empty());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].attributes.at("genops.policy.no_deletes"), "violated");
  EXPECT_EQ(spans[0].attributes.at("genops.vetoed"), "true");
  EXPECT_FALSE(spans[0].ok);

  options.policies.enforce = false;
  RestClient lenient(std::make_shared<Governance>(options));
  lenient.client.delete_run("r1");
  EXPECT_EQ(lenient.transport->requests.size(), 1u);
  EXPECT_EQ(spans.back().attributes.at("genops.policy.no_deletes"), "violated");
  EXPECT_TRUE(spans.back().ok);
}

TEST(GovernanceSpans, OneSpanPerOperationWithAttributionCostAndPolicy) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  options.attributes.customer_id = "customer-001";
  std::vector<GovernanceSpan> spans;
  options.on_span = [&](const GovernanceSpan& span) { spans.push_back(span); };
  RestClient rest(std::make_shared<Governance>(options));
  rest.transport->reply_ok(R"({"run":{"info":{"run_id":"r1","experiment_id":"1"}}})");
  rest.client.create_run("1");
  rest.client.log_metric("r1", "m", 1.0);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "mlflow.create_run");
  EXPECT_EQ(spans[0].attributes.at("genops.policy.required_attributes"), "allowed");
  EXPECT_EQ(spans[1].name, "mlflow.log_metric");
  EXPECT_EQ(spans[1].attributes.at("genops.team"), "ml-team");
  EXPECT_EQ(spans[1].attributes.at("genops.customer_id"), "customer-001");
  EXPECT_EQ(spans[1].attributes.at("genops.cost.usd"), "0.0001");
  EXPECT_EQ(spans[1].attributes.at("genops.operation.kind"), "tracking");
  EXPECT_EQ(spans[1].attributes.at("mlflow.run_id"), "r1");
  EXPECT_EQ(spans[1].attributes.at("mlflow.experiment_id"), "1");
  EXPECT_GT(spans[1].operation_id, spans[0].operation_id);
}

TEST(GovernanceSpans, SamplingRatioZeroBuildsNoSpanButStillCounts) {
  testing::ScopedEnv env{kNoGenOpsEnv};
  GovernanceOptions options = team_options();
  int spans = 0;
  options.on_span = [&](const GovernanceSpan&) { ++spans; };
  options.span_sampling_ratio = 0.0;
  auto governance = std::make_shared<Governance>(options);
  RestClient rest(governance);
  for (int i = 0; i < 5; ++i) rest.client.set_tag("r1", "k", "v");
  EXPECT_EQ(spans, 0);
  EXPECT_EQ(governance->metrics().operation_count, 5u);
  options.span_sampling_ratio = 1.5;
  EXPECT_THROW(Governance{options}, InvalidArgument);
}

TEST(GovernanceInstall, InstrumentCoversEveryClientUntilUninstrumented) {
  Embedded e;  // its own hook counts as well; a second, process-wide, governance sees all
  auto global = instrument_mlflow(team_options());
  const std::string experiment_id = e.experiment("global");
  EXPECT_TRUE(uninstrument_mlflow(global));
  EXPECT_FALSE(uninstrument_mlflow(global));
  e.client.create_run(experiment_id);
  EXPECT_EQ(global->metrics().operation_count, 1u);
  EXPECT_EQ(e.governance->metrics().operation_count, 2u);
}

}  // namespace
}  // namespace mlflow::governance
