// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The fluent API on the embedded store (a temp SQLite file per test): every function, nesting,
// resume, experiment selection, context tags and the RAII endings.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"
#include "support/builders.hpp"
#include "support/fluent_runs.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Env = std::map<std::string, std::optional<std::string>>;

static_assert(!std::is_copy_constructible_v<ActiveRun>, "ActiveRun must be move-only");
static_assert(!std::is_copy_assignable_v<ActiveRun>, "ActiveRun must be move-only");
static_assert(std::is_nothrow_move_constructible_v<ActiveRun>, "moves must not throw");

class FluentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    dir_ = testing::make_temp_dir("fluent");
    uri_ = "sqlite:///" + dir_ + "/mlflow.db";
    set_tracking_uri(uri_);
  }
  void TearDown() override {
    while (active_run()) end_run();
    internal::reset_fluent_state();
  }

  testing::ScopedEnv env_{testing::unset_vars({"MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID",
                                               "MLFLOW_RUN_ID", "MLFLOW_RUN_CONTEXT",
                                               "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_URI"})};
  std::string dir_;
  std::string uri_;
};

TEST_F(FluentTest, TrackingUriPrecedence) {
  EXPECT_TRUE(is_tracking_uri_set());
  EXPECT_EQ(get_tracking_uri(), uri_);
  set_tracking_uri("");
  EXPECT_FALSE(is_tracking_uri_set());
  EXPECT_EQ(get_tracking_uri(), "sqlite:///" + (fs::current_path() / "mlflow.db").string());
  {
    testing::ScopedEnv env(Env{{"MLFLOW_TRACKING_URI", "sqlite:///" + dir_ + "/env.db"}});
    EXPECT_TRUE(is_tracking_uri_set());
    EXPECT_EQ(get_tracking_uri(), "sqlite:///" + dir_ + "/env.db");
    EXPECT_EQ(default_client().tracking_uri(), "sqlite:///" + dir_ + "/env.db");
    set_tracking_uri(uri_);
    EXPECT_EQ(get_tracking_uri(), uri_);  // explicit wins over the environment
  }
  EXPECT_EQ(default_client().tracking_uri(), uri_);
}

TEST_F(FluentTest, ActiveRunKeepsItsStoreAcrossSetTrackingUri) {
  ActiveRun run = start_run();
  const std::string id = run.run_id();
  const std::string other = "sqlite:///" + dir_ + "/other.db";
  set_tracking_uri(other);
  log_metric("after_switch", 2.0);
  run.end();
  EXPECT_THROW(get_run(id), NotFound);  // not in the new store
  set_tracking_uri(uri_);
  mlflow::Run r = get_run(id);
  EXPECT_EQ(r.info.status, RunStatus::kFinished);
  EXPECT_EQ(r.data.metrics.at("after_switch"), 2.0);
}

TEST_F(FluentTest, ExperimentFunctions) {
  const std::string id = create_experiment("exp-a", {std::nullopt, {{"k", "v"}}});
  EXPECT_EQ(get_experiment(id).name, "exp-a");
  ASSERT_TRUE(get_experiment_by_name("exp-a"));
  EXPECT_EQ(get_experiment_by_name("exp-a")->tags.at("k"), "v");
  EXPECT_FALSE(get_experiment_by_name("missing"));

  // set_experiment creates a missing experiment and makes it the active one.
  Experiment created = set_experiment("exp-b");
  EXPECT_EQ(created.name, "exp-b");
  EXPECT_EQ(created.lifecycle_stage, "active");
  EXPECT_EQ(set_experiment("exp-b").experiment_id, created.experiment_id);
  testing::expect_experiment_tags_set_and_deleted(created.experiment_id);

  EXPECT_EQ(set_experiment_by_id(id).name, "exp-a");
  EXPECT_THROW(set_experiment_by_id("987654"), NotFound);
  EXPECT_THROW(set_experiment(""), InvalidArgument);

  auto all = search_experiments();
  EXPECT_EQ(all.size(), 3u);  // Default, exp-a, exp-b
  EXPECT_EQ(search_experiments(ViewType::kActiveOnly, 1).size(), 1u);
  auto filtered = search_experiments(ViewType::kActiveOnly, std::nullopt, "name = 'exp-b'");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].experiment_id, created.experiment_id);

  delete_experiment(created.experiment_id);
  EXPECT_EQ(search_experiments().size(), 2u);
  EXPECT_EQ(search_experiments(ViewType::kDeletedOnly).size(), 1u);
  try {
    set_experiment("exp-b");
    FAIL() << "a deleted experiment cannot become active";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("Cannot set a deleted experiment 'exp-b'"));
  }
  restore_experiment(created.experiment_id);
  EXPECT_EQ(set_experiment("exp-b").experiment_id, created.experiment_id);
}

TEST_F(FluentTest, ExperimentSelection) {
  {
    ActiveRun run = start_run();
    EXPECT_EQ(run.info().experiment_id, "0");
  }
  {
    testing::ScopedEnv env(Env{{"MLFLOW_EXPERIMENT_NAME", "from-env"}});
    ActiveRun run = start_run();
    auto exp = get_experiment_by_name("from-env");
    ASSERT_TRUE(exp) << "MLFLOW_EXPERIMENT_NAME creates the experiment";
    EXPECT_EQ(run.info().experiment_id, exp->experiment_id);
  }
  const std::string other = create_experiment("by-id");
  {
    testing::ScopedEnv env(Env{{"MLFLOW_EXPERIMENT_ID", other}});
    ActiveRun run = start_run();
    EXPECT_EQ(run.info().experiment_id, other);
  }
  {
    testing::ScopedEnv env(Env{{"MLFLOW_EXPERIMENT_ID", "424242"}});
    EXPECT_THROW(start_run().detach(), InvalidArgument);
  }
  {
    testing::ScopedEnv env(
        Env{{"MLFLOW_EXPERIMENT_NAME", "from-env"}, {"MLFLOW_EXPERIMENT_ID", other}});
    try {
      start_run().detach();
      FAIL() << "name and id disagree";
    } catch (const InvalidArgument& e) {
      EXPECT_THAT(e.what(), HasSubstr("does not match the experiment id"));
    }
  }
  // set_experiment wins over the environment; an explicit experiment_id wins over both.
  const Experiment chosen = set_experiment("chosen");
  {
    testing::ScopedEnv env(Env{{"MLFLOW_EXPERIMENT_ID", other}});
    ActiveRun run = start_run();
    EXPECT_EQ(run.info().experiment_id, chosen.experiment_id);
  }
  StartRunOptions options;
  options.experiment_id = other;
  ActiveRun run = start_run(options);
  EXPECT_EQ(run.info().experiment_id, other);
}

TEST_F(FluentTest, RaiiEndsFinishedAndFailed) {
  std::string finished_id;
  {
    ActiveRun run = start_run();
    finished_id = run.run_id();
    EXPECT_EQ(get_run(finished_id).info.status, RunStatus::kRunning);
    ASSERT_TRUE(active_run());
    EXPECT_EQ(active_run()->info.run_id, finished_id);
  }
  mlflow::Run finished = get_run(finished_id);
  EXPECT_EQ(finished.info.status, RunStatus::kFinished);
  EXPECT_TRUE(finished.info.end_time.has_value());
  EXPECT_FALSE(active_run());
  ASSERT_TRUE(last_active_run());
  EXPECT_EQ(last_active_run()->info.run_id, finished_id);

  const std::string failed_id = testing::run_left_by_an_exception();
  EXPECT_EQ(get_run(failed_id).info.status, RunStatus::kFailed);
  EXPECT_FALSE(active_run());

  // A run started inside a catch handler (an exception already in flight) still ends FINISHED
  // when its own scope is left normally.
  std::string in_handler_id;
  try {
    throw std::runtime_error("outer");
  } catch (const std::runtime_error&) {
    ActiveRun run = start_run();
    in_handler_id = run.run_id();
  }
  EXPECT_EQ(get_run(in_handler_id).info.status, RunStatus::kFinished);
}

TEST_F(FluentTest, ExplicitEndDetachAndMove) {
  ActiveRun run = start_run();
  const std::string id = run.run_id();
  EXPECT_TRUE(run.owns_run());
  run.end(RunStatus::kKilled);
  EXPECT_FALSE(run.owns_run());
  run.end();  // no-op
  EXPECT_EQ(get_run(id).info.status, RunStatus::kKilled);

  std::string detached_id;
  {
    ActiveRun d = start_run();
    detached_id = d.run_id();
    d.detach();
  }
  ASSERT_TRUE(active_run());
  EXPECT_EQ(active_run()->info.run_id, detached_id);
  EXPECT_EQ(get_run(detached_id).info.status, RunStatus::kRunning);
  end_run(RunStatus::kFailed);
  EXPECT_EQ(get_run(detached_id).info.status, RunStatus::kFailed);
  end_run();  // nothing active: no-op

  // end_run() before the handle's destructor: the destructor must not end it again.
  std::string ended_early;
  {
    ActiveRun r = start_run();
    ended_early = r.run_id();
    end_run(RunStatus::kKilled);
    EXPECT_FALSE(r.owns_run());
  }
  EXPECT_EQ(get_run(ended_early).info.status, RunStatus::kKilled);

  // Moving transfers ownership; the moved-from handle ends nothing.
  std::string moved_id;
  {
    ActiveRun a = start_run();
    moved_id = a.run_id();
    ActiveRun b = std::move(a);
    EXPECT_FALSE(a.owns_run());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(b.owns_run());
    EXPECT_EQ(get_run(moved_id).info.status, RunStatus::kRunning);
  }
  EXPECT_EQ(get_run(moved_id).info.status, RunStatus::kFinished);
}

TEST_F(FluentTest, NestingLikePython) {
  ActiveRun parent = start_run();
  try {
    ActiveRun oops = start_run();
    FAIL() << "a second run needs nested=true";
  } catch (const MlflowException& e) {
    EXPECT_EQ(std::string(e.what()),
              "Run with UUID " + parent.run_id() +
                  " is already active. To start a new run, first end the current run with "
                  "mlflow.end_run(). To start a nested run, call start_run with nested=True");
  }
  StartRunOptions nested;
  nested.nested = true;
  nested.run_name = "child";
  std::string child_id;
  {
    ActiveRun child = start_run(nested);
    child_id = child.run_id();
    EXPECT_EQ(active_run()->info.run_id, child_id);
    mlflow::Run fetched = get_run(child_id);
    EXPECT_EQ(fetched.data.tags.at("mlflow.parentRunId"), parent.run_id());
    EXPECT_EQ(fetched.info.run_name, "child");
    ASSERT_TRUE(get_parent_run(child_id));
    EXPECT_EQ(get_parent_run(child_id)->info.run_id, parent.run_id());
    StartRunOptions grand;
    grand.nested = true;
    ActiveRun grandchild = start_run(grand);
    EXPECT_EQ(get_run(grandchild.run_id()).data.tags.at("mlflow.parentRunId"), child_id);
  }
  EXPECT_EQ(active_run()->info.run_id, parent.run_id());
  EXPECT_FALSE(get_parent_run(parent.run_id()));

  StartRunOptions wrong_parent;
  wrong_parent.parent_run_id = child_id;
  wrong_parent.nested = true;
  try {
    start_run(wrong_parent).detach();
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("does not match the specified parent_run_id " + child_id));
  }
  StartRunOptions right_parent;
  right_parent.parent_run_id = parent.run_id();
  right_parent.nested = true;
  ActiveRun c2 = start_run(right_parent);
  EXPECT_EQ(get_run(c2.run_id()).data.tags.at("mlflow.parentRunId"), parent.run_id());
}

TEST_F(FluentTest, ParentRunIdWithoutActiveRun) {
  const std::string parent_id = testing::run_that_finished();
  StartRunOptions options;
  options.parent_run_id = parent_id;
  {
    ActiveRun child = start_run(options);
    EXPECT_EQ(get_run(child.run_id()).data.tags.at("mlflow.parentRunId"), parent_id);
  }
  delete_run(parent_id);
  EXPECT_THROW(start_run(options).detach(), InvalidArgument);
}

TEST_F(FluentTest, RunStacksArePerThread) {
  ActiveRun main_run = start_run();
  std::string other_thread_run;
  bool other_saw_active = true;
  std::thread t([&] {
    other_saw_active = active_run().has_value();
    ActiveRun mine = start_run();  // no nesting error: this thread's stack is empty
    other_thread_run = mine.run_id();
    log_param("thread", "worker");
  });
  t.join();
  EXPECT_FALSE(other_saw_active);
  EXPECT_EQ(active_run()->info.run_id, main_run.run_id());
  EXPECT_EQ(get_run(other_thread_run).data.params.at("thread"), "worker");
  EXPECT_EQ(get_run(other_thread_run).info.status, RunStatus::kFinished);
  EXPECT_EQ(get_run(main_run.run_id()).data.params.count("thread"), 0u);

  // A handle moved to another thread and ended there leaves this thread's stack.
  StartRunOptions nested;
  nested.nested = true;
  ActiveRun child = start_run(nested);
  const std::string child_id = child.run_id();
  std::thread ender([c = std::move(child)]() mutable { c.end(RunStatus::kFinished); });
  ender.join();
  EXPECT_EQ(active_run()->info.run_id, main_run.run_id());
  EXPECT_EQ(get_run(child_id).info.status, RunStatus::kFinished);
}

TEST_F(FluentTest, ResumeByRunIdAndEnvironment) {
  const std::string id = testing::run_that_finished();
  EXPECT_EQ(get_run(id).info.status, RunStatus::kFinished);
  StartRunOptions resume;
  resume.run_id = id;
  resume.tags = {{"resumed", "yes"}};
  resume.description = "notes";
  {
    ActiveRun again = start_run(resume);
    EXPECT_EQ(again.run_id(), id);
    EXPECT_EQ(again.info().status, RunStatus::kRunning);
    EXPECT_EQ(get_run(id).info.status, RunStatus::kRunning);
    EXPECT_EQ(get_run(id).data.tags.at("resumed"), "yes");
    EXPECT_EQ(get_run(id).data.tags.at("mlflow.note.content"), "notes");
    log_metric("m", 1.0);
  }
  EXPECT_EQ(get_run(id).info.status, RunStatus::kFinished);
  EXPECT_EQ(get_run(id).data.metrics.at("m"), 1.0);

  testing::ScopedEnv env(Env{{"MLFLOW_RUN_ID", id}});
  {
    ActiveRun from_env = start_run();
    EXPECT_EQ(from_env.run_id(), id);
    EXPECT_EQ(get_run(id).info.status, RunStatus::kRunning);
  }
  {
    // Python deletes MLFLOW_RUN_ID once used: the next start_run creates a new run.
    ActiveRun fresh = start_run();
    EXPECT_NE(fresh.run_id(), id);
  }

  // Resuming into a different active experiment, or a deleted run, is refused.
  set_experiment("elsewhere");
  try {
    start_run(resume).detach();
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("because active experiment ID does not match"));
  }
  internal::set_active_experiment_id(std::nullopt);
  delete_run(id);
  try {
    start_run(resume).detach();
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("because it is in the deleted state"));
  }
  restore_run(id);
  EXPECT_EQ(get_run(id).info.lifecycle_stage, "active");
}

TEST_F(FluentTest, ContextTagsAndUserTagsWin) {
  testing::ScopedEnv env(Env{{"MLFLOW_TRACKING_USERNAME", "alice"},
                             {"MLFLOW_RUN_CONTEXT", R"({"team": "vision", "n": 3})"}});
  StartRunOptions options;
  options.run_name = "named";
  options.description = "a description";
  options.tags = {{"mlflow.source.type", "JOB"}, {"own", "tag"}};
  ActiveRun run = start_run(options);
  mlflow::Run r = get_run(run.run_id());
  const auto& tags = r.data.tags;
  EXPECT_EQ(tags.at("mlflow.user"), "alice");
  EXPECT_EQ(r.info.user_id, "alice");
  EXPECT_EQ(tags.at("mlflow.source.name"), internal::program_path());
  EXPECT_EQ(tags.at("mlflow.source.type"), "JOB");  // user tags win
  EXPECT_EQ(tags.at("mlflow.runName"), "named");
  EXPECT_EQ(r.info.run_name, "named");
  EXPECT_EQ(tags.at("mlflow.note.content"), "a description");
  EXPECT_EQ(tags.at("own"), "tag");
  EXPECT_EQ(tags.at("team"), "vision");
  EXPECT_EQ(tags.at("n"), "3");
  auto commit = internal::git_commit_for(internal::program_path());
  if (commit) {
    EXPECT_EQ(tags.at("mlflow.source.git.commit"), *commit);
  } else {
    EXPECT_EQ(tags.count("mlflow.source.git.commit"), 0u);
  }
  run.end();

  StartRunOptions both;
  both.description = "d";
  both.tags = {{"mlflow.note.content", "x"}};
  EXPECT_THROW(start_run(both).detach(), InvalidArgument);
}

TEST_F(FluentTest, DefaultContextWithoutOverrides) {
  ActiveRun run = start_run();
  auto tags = get_run(run.run_id()).data.tags;
  EXPECT_EQ(tags.at("mlflow.user"), internal::context_user());
  EXPECT_NE(tags.at("mlflow.user"), "");
  EXPECT_EQ(tags.at("mlflow.source.type"), "LOCAL");
  EXPECT_THAT(tags.at("mlflow.source.name"), HasSubstr("mlflow_unit_tests"));
  EXPECT_EQ(tags.count("mlflow.parentRunId"), 0u);
  EXPECT_EQ(tags.count("mlflow.note.content"), 0u);
}

TEST_F(FluentTest, BadRunContextIsIgnored) {
  testing::ScopedEnv env(Env{{"MLFLOW_RUN_CONTEXT", "[1, 2"}});
  ActiveRun run = start_run();
  EXPECT_EQ(get_run(run.run_id()).data.tags.at("mlflow.source.type"), "LOCAL");
}

TEST_F(FluentTest, LoggingFunctions) {
  ActiveRun run = start_run();
  const std::string id = run.run_id();
  LogMetricOptions at_step;
  at_step.step = 4;
  at_step.timestamp = 1234;
  log_metric("loss", 0.5, at_step);
  log_metrics({{"acc", 0.9}, {"f1", 0.8}}, 2);
  EXPECT_EQ(log_param("lr", "0.01"), "0.01");
  log_params({{"batch", "32"}, {"opt", "adam"}});
  set_tag("stage", "dev");
  set_tags({{"a", "1"}, {"b", "2"}});
  delete_tag("b");
  const Dataset ds = testing::dataset("train", "abc123", "local", R"({"uri": "/data"})");
  log_input(ds, "training", {{"extra", "x"}});

  mlflow::Run r = get_run(id);
  EXPECT_EQ(r.data.metrics.at("loss"), 0.5);
  EXPECT_EQ(r.data.metrics.at("acc"), 0.9);
  EXPECT_EQ(r.data.metrics.at("f1"), 0.8);
  for (const auto& m : r.data.latest_metrics) {
    if (m.key == "loss") {
      EXPECT_EQ(m.step, 4);
      EXPECT_EQ(m.timestamp, 1234);
    } else {
      EXPECT_EQ(m.step, 2);
    }
  }
  EXPECT_EQ(r.data.params.at("lr"), "0.01");
  EXPECT_EQ(r.data.params.at("batch"), "32");
  EXPECT_EQ(r.data.params.at("opt"), "adam");
  EXPECT_EQ(r.data.tags.at("stage"), "dev");
  EXPECT_EQ(r.data.tags.at("a"), "1");
  EXPECT_EQ(r.data.tags.count("b"), 0u);
  ASSERT_EQ(r.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(r.inputs.dataset_inputs[0].dataset.name, "train");
  bool saw_context = false;
  for (const auto& t : r.inputs.dataset_inputs[0].tags) {
    if (t.key == "mlflow.data.context") saw_context = t.value == "training";
  }
  EXPECT_TRUE(saw_context);

  DatasetInput second;
  second.dataset = ds;
  second.dataset.name = "eval";
  second.dataset.digest = "def456";
  log_inputs({second});
  EXPECT_EQ(get_run(id).inputs.dataset_inputs.size(), 2u);
}

TEST_F(FluentTest, LoggingWithoutActiveRunStartsOne) {
  log_metric("x", 1.0);
  auto run = active_run();
  ASSERT_TRUE(run) << "Python's _get_or_start_run";
  EXPECT_EQ(get_run(run->info.run_id).data.metrics.at("x"), 1.0);
  EXPECT_EQ(get_run(run->info.run_id).info.status, RunStatus::kRunning);
  set_tag("k", "v");
  EXPECT_EQ(active_run()->info.run_id, run->info.run_id);
  end_run();
  EXPECT_EQ(get_run(run->info.run_id).info.status, RunStatus::kFinished);
}

TEST_F(FluentTest, SearchRunsAndDelete) {
  const Experiment exp = set_experiment("search-me");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ActiveRun run = start_run();
    log_metric("score", i);
    ids.push_back(run.run_id());
  }
  EXPECT_EQ(search_runs().size(), 3u);  // the active experiment
  FluentSearchRunsOptions filtered;
  filtered.filter_string = "metrics.score >= 1";
  filtered.order_by = {"metrics.score DESC"};
  auto runs = search_runs(filtered);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].info.run_id, ids[2]);
  FluentSearchRunsOptions limited;
  limited.max_results = 1;
  EXPECT_EQ(search_runs(limited).size(), 1u);
  FluentSearchRunsOptions by_name;
  by_name.experiment_names = {"search-me", "no-such-experiment"};
  EXPECT_EQ(search_runs(by_name).size(), 3u);
  FluentSearchRunsOptions both;
  both.experiment_ids = {exp.experiment_id};
  both.experiment_names = {"search-me"};
  EXPECT_THROW(search_runs(both), InvalidArgument);
  FluentSearchRunsOptions all;
  all.search_all_experiments = true;
  {
    StartRunOptions in_default;
    in_default.experiment_id = "0";
    ActiveRun other = start_run(in_default);
  }
  EXPECT_EQ(search_runs(all).size(), 4u);

  delete_run(ids[0]);
  EXPECT_EQ(search_runs().size(), 2u);
  FluentSearchRunsOptions deleted;
  deleted.run_view_type = ViewType::kDeletedOnly;
  EXPECT_EQ(search_runs(deleted).size(), 1u);
  EXPECT_EQ(get_run(ids[0]).info.lifecycle_stage, "deleted");
}

TEST_F(FluentTest, ConcurrentThreadsShareTheDefaultClient) {
  std::vector<std::thread> threads;
  std::vector<std::string> ids(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ids] {
      ActiveRun run = start_run();
      ids[static_cast<std::size_t>(t)] = run.run_id();
      for (int i = 0; i < 5; ++i) log_metric("m", i, {std::nullopt, i});
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& id : ids) {
    mlflow::Run r = get_run(id);
    EXPECT_EQ(r.info.status, RunStatus::kFinished);
    EXPECT_EQ(r.data.metrics.at("m"), 4.0);
  }
}

// ---- git HEAD reading ----------------------------------------------------------------------

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(FluentGitContext, ReadsHeadRefsPackedRefsDetachedAndWorktrees) {
  const fs::path root = testing::make_temp_dir("fluent-git");
  const std::string sha1(40, 'a');
  const std::string sha2(40, 'b');
  const std::string sha3(40, 'c');
  write_file(root / "repo/.git/HEAD", "ref: refs/heads/main\n");
  write_file(root / "repo/.git/refs/heads/main", sha1 + "\n");
  write_file(root / "repo/bin/deep/prog", "");
  EXPECT_EQ(internal::git_commit_for((root / "repo/bin/deep/prog").string()), sha1);
  EXPECT_EQ(internal::git_commit_for((root / "repo/bin").string()), sha1);

  // Packed ref (no loose file).
  write_file(root / "packed/.git/HEAD", "ref: refs/heads/dev\n");
  write_file(root / "packed/.git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" +
                                                   sha3 + " refs/heads/other\n" + sha2 +
                                                   " refs/heads/dev\n^" + sha3 + "\n");
  write_file(root / "packed/prog", "");
  EXPECT_EQ(internal::git_commit_for((root / "packed/prog").string()), sha2);

  // Detached HEAD.
  write_file(root / "detached/.git/HEAD", sha3 + "\n");
  EXPECT_EQ(internal::git_commit_for((root / "detached").string()), sha3);

  // A linked worktree: .git is a file; shared refs live in the common dir.
  write_file(root / "main/.git/worktrees/wt/HEAD", "ref: refs/heads/feature\n");
  write_file(root / "main/.git/worktrees/wt/commondir", "../..\n");
  write_file(root / "main/.git/refs/heads/feature", sha2 + "\n");
  write_file(root / "wt/.git", "gitdir: " + (root / "main/.git/worktrees/wt").string() + "\n");
  write_file(root / "wt/prog", "");
  EXPECT_EQ(internal::git_commit_for((root / "wt/prog").string()), sha2);

  // Unborn branch and no repository at all.
  write_file(root / "unborn/.git/HEAD", "ref: refs/heads/main\n");
  EXPECT_EQ(internal::git_commit_for((root / "unborn").string()), std::nullopt);
  EXPECT_EQ(internal::git_commit_for(""), std::nullopt);
}

TEST(FluentGitContext, MatchesGitForThisCheckout) {
  auto result =
      testing::run_command("git -C '" + testing::source_dir() + "' rev-parse HEAD 2>/dev/null");
  auto ours = internal::git_commit_for(testing::source_dir());
  if (result.exit_code == 0) {
    std::string expected = result.output.substr(0, 40);
    EXPECT_EQ(ours, expected);
  } else {
    EXPECT_EQ(ours, std::nullopt);
  }
}

}  // namespace
}  // namespace mlflow
