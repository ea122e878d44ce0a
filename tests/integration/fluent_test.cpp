// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent API against the real MLflow 3.18 server: experiment selection, RAII endings,
// nesting, resume, context tags, logging, search, and KILLED on SIGTERM.

#include "mlflow/fluent.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string>

#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "support/builders.hpp"
#include "support/fluent_runs.hpp"
#include "support/forked_child.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

using ::testing::HasSubstr;
using testing::unique_name;
using Env = std::map<std::string, std::optional<std::string>>;

class FluentServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    set_tracking_uri(testing::server_uri());
    experiment_ = set_experiment(unique_name("fluent"));
  }
  // Restores the process-wide state for the next test of this program.
  void TearDown() override {
    while (active_run()) end_run();
    set_tracking_uri("");
    internal::reset_fluent_state();
  }

  testing::ScopedEnv env_{
      testing::unset_vars({"MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID",
                           "MLFLOW_RUN_CONTEXT", "MLFLOW_TRACKING_USERNAME"})};
  Experiment experiment_;
};

TEST_F(FluentServerTest, SetExperimentCreatesAndTagsTheActiveExperiment) {
  EXPECT_EQ(get_tracking_uri(), testing::server_uri());
  EXPECT_EQ(experiment_.lifecycle_stage, "active");
  ASSERT_TRUE(get_experiment_by_name(experiment_.name));
  EXPECT_EQ(set_experiment(experiment_.name).experiment_id, experiment_.experiment_id);
  EXPECT_EQ(set_experiment_by_id(experiment_.experiment_id).name, experiment_.name);
  testing::expect_experiment_tags_set_and_deleted(experiment_.experiment_id);
  auto found =
      search_experiments(ViewType::kActiveOnly, std::nullopt, "name = '" + experiment_.name + "'");
  ASSERT_EQ(found.size(), 1u);

  const std::string doomed = create_experiment(unique_name("fluent-doomed"));
  delete_experiment(doomed);
  EXPECT_EQ(get_experiment(doomed).lifecycle_stage, "deleted");
  EXPECT_THROW(set_experiment_by_id(doomed), InvalidArgument);
  EXPECT_THROW(set_experiment_by_id("99999999"), NotFound);
}

TEST_F(FluentServerTest, RunsEndFinishedOrFailedWithTheirScope) {
  std::string ok_id;
  {
    ActiveRun run = start_run();
    ok_id = run.run_id();
    EXPECT_EQ(run.info().experiment_id, experiment_.experiment_id);
    log_metric("loss", 0.25, {std::nullopt, 3});
    log_metrics({{"acc", 0.5}, {"f1", 0.75}}, 1);
    log_param("lr", "0.1");
    log_params({{"epochs", "3"}});
    set_tag("phase", "train");
    set_tags({{"x", "1"}, {"y", "2"}});
    delete_tag("y");
    const Dataset ds = testing::dataset("d", "0123", "local", "{}");
    log_input(ds, "training");
  }
  mlflow::Run ok = get_run(ok_id);
  EXPECT_EQ(ok.info.status, RunStatus::kFinished);
  EXPECT_EQ(ok.data.metrics.at("loss"), 0.25);
  EXPECT_EQ(ok.data.metrics.at("f1"), 0.75);
  EXPECT_EQ(ok.data.params.at("lr"), "0.1");
  EXPECT_EQ(ok.data.params.at("epochs"), "3");
  EXPECT_EQ(ok.data.tags.at("phase"), "train");
  EXPECT_EQ(ok.data.tags.count("y"), 0u);
  ASSERT_EQ(ok.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(last_active_run()->info.run_id, ok_id);

  const std::string failed_id = testing::run_left_by_an_exception();
  EXPECT_EQ(get_run(failed_id).info.status, RunStatus::kFailed);
  EXPECT_FALSE(active_run());
}

TEST_F(FluentServerTest, NestedRunsAndContextTags) {
  testing::ScopedEnv env(Env{{"MLFLOW_RUN_CONTEXT", R"({"origin": "ci"})"},
                             {"MLFLOW_TRACKING_USERNAME", "fluent-user"}});
  StartRunOptions parent_options;
  parent_options.run_name = "parent";
  parent_options.description = "the parent";
  ActiveRun parent = start_run(parent_options);
  try {
    start_run().detach();
    FAIL() << "needs nested";
  } catch (const MlflowException& e) {
    EXPECT_THAT(e.what(), HasSubstr("is already active. To start a new run"));
  }
  StartRunOptions nested;
  nested.nested = true;
  {
    ActiveRun child = start_run(nested);
    EXPECT_EQ(get_parent_run(child.run_id())->info.run_id, parent.run_id());
  }
  mlflow::Run p = get_run(parent.run_id());
  EXPECT_EQ(p.info.run_name, "parent");
  EXPECT_EQ(p.info.user_id, "fluent-user");
  EXPECT_EQ(p.data.tags.at("mlflow.user"), "fluent-user");
  EXPECT_EQ(p.data.tags.at("mlflow.runName"), "parent");
  EXPECT_EQ(p.data.tags.at("mlflow.note.content"), "the parent");
  EXPECT_EQ(p.data.tags.at("mlflow.source.type"), "LOCAL");
  EXPECT_EQ(p.data.tags.at("mlflow.source.name"), internal::program_path());
  EXPECT_EQ(p.data.tags.at("origin"), "ci");

  FluentSearchRunsOptions children;
  children.filter_string = "tags.mlflow.parentRunId = '" + parent.run_id() + "'";
  EXPECT_EQ(search_runs(children).size(), 1u);
  EXPECT_EQ(search_runs().size(), 2u);
}

TEST_F(FluentServerTest, ResumeByRunIdAndByEnvironment) {
  const std::string id = testing::run_that_finished();
  StartRunOptions resume;
  resume.run_id = id;
  {
    ActiveRun again = start_run(resume);
    EXPECT_EQ(get_run(id).info.status, RunStatus::kRunning);
    log_metric("after_resume", 1.0);
  }
  EXPECT_EQ(get_run(id).info.status, RunStatus::kFinished);
  testing::ScopedEnv env(Env{{"MLFLOW_RUN_ID", id}});
  {
    ActiveRun from_env = start_run();
    EXPECT_EQ(from_env.run_id(), id);
    EXPECT_EQ(get_run(id).info.status, RunStatus::kRunning);
    from_env.end(RunStatus::kKilled);
  }
  EXPECT_EQ(get_run(id).info.status, RunStatus::kKilled);
  delete_run(id);
  EXPECT_EQ(get_run(id).info.lifecycle_stage, "deleted");
  restore_run(id);
  EXPECT_EQ(get_run(id).info.lifecycle_stage, "active");
}

TEST_F(FluentServerTest, SigtermEndsRunsKilled) {
  const testing::ForkedChild child = testing::fork_child([&](int to_parent) {
    // A fresh client: the parent's pooled connections must not be shared across processes.
    internal::reset_fluent_state();
    set_tracking_uri(testing::server_uri());
    set_experiment_by_id(experiment_.experiment_id);
    install_signal_handlers();
    ActiveRun run = start_run();
    return testing::report_and_await_signal(to_parent, run.run_id());
  });
  ASSERT_GE(child.pid, 0);
  const pid_t pid = child.pid;
  const std::string run_id = testing::read_line(child.from_child);
  ::close(child.from_child);
  ASSERT_EQ(run_id.size(), 32u);
  testing::expect_killed_by(pid, SIGTERM);
  if (::testing::Test::HasFatalFailure()) return;
  mlflow::Run run = get_run(run_id);
  EXPECT_EQ(run.info.experiment_id, experiment_.experiment_id);
  EXPECT_EQ(run.info.status, RunStatus::kKilled);
  EXPECT_TRUE(run.info.end_time.has_value());
}

}  // namespace
}  // namespace mlflow
