// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Run endings that involve the whole process: a child that dies of an exception (the run ends
// FAILED while unwinding) and a child killed by SIGTERM with mlflow::install_signal_handlers()
// (the run ends KILLED, then the child dies of the signal).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"
#include "support/forked_child.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {

class FluentProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    internal::reset_fluent_state();
    uri_ = "sqlite:///" + testing::make_temp_dir("fluent-proc") + "/mlflow.db";
    set_tracking_uri(uri_);
    // The parent creates the schema first, so the child only opens the file.
    default_client().search_experiments();
  }
  void TearDown() override { internal::reset_fluent_state(); }
  std::string uri_;
};

TEST_F(FluentProcessTest, ChildThatThrowsEndsRunFailed) {
  const testing::ForkedChild child = testing::fork_child([&](int to_parent) {
    try {
      internal::reset_fluent_state();
      set_tracking_uri(uri_);
      ActiveRun run = start_run();
      testing::report_line(to_parent, run.run_id());
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
      return 7;
    }
  });
  ASSERT_GE(child.pid, 0);
  const auto outcome = testing::read_line_and_wait(child);
  ASSERT_TRUE(WIFEXITED(outcome.status));
  EXPECT_EQ(WEXITSTATUS(outcome.status), 7);
  ASSERT_EQ(outcome.line.size(), 32u);
  EXPECT_EQ(get_run(outcome.line).info.status, RunStatus::kFailed);
}

// A run left active when the program returns from main ends FINISHED at exit (Python's
// atexit _safe_end_run), after the exiting thread's thread_locals are gone: the exit path
// must not touch them (it crashed with SIGSEGV when it did).
TEST_F(FluentProcessTest, RunLeftActiveAtExitEndsFinished) {
  const testing::ForkedChild child = testing::fork_child([&](int to_parent) {
    internal::reset_fluent_state();
    set_tracking_uri(uri_);
    ActiveRun run = start_run();
    run.detach();
    log_metric("m", 1.0);
    testing::report_line(to_parent, run.run_id());
    std::exit(0);  // as returning from main: thread_locals, then atexit hooks
    return 5;
  });
  ASSERT_GE(child.pid, 0);
  const auto outcome = testing::read_line_and_wait(child);
  ASSERT_TRUE(WIFEXITED(outcome.status)) << "the child died of signal " << WTERMSIG(outcome.status);
  EXPECT_EQ(WEXITSTATUS(outcome.status), 0);
  ASSERT_EQ(outcome.line.size(), 32u);
  EXPECT_EQ(get_run(outcome.line).info.status, RunStatus::kFinished);
}

// Runs a child that installs the handlers, starts a run and a nested run, and forks a
// grandchild that gets SIGTERM; then sends `signo` to the child.
void expect_signal_ends_runs_killed(const std::string& uri, int signo) {
  const testing::ForkedChild forked = testing::fork_child([&](int to_parent) {
    internal::reset_fluent_state();
    set_tracking_uri(uri);
    install_signal_handlers();
    StartRunOptions outer_options;
    ActiveRun run = start_run(outer_options);
    StartRunOptions nested;
    nested.nested = true;
    ActiveRun child = start_run(nested);
    // A process forked from here inherits the handler but must die of SIGTERM alone,
    // without ending (or killing) this process's runs.
    const pid_t grandchild = ::fork();
    if (grandchild == 0) {
      ::sleep(5);
      ::_exit(0);
    }
    if (grandchild < 0 || ::kill(grandchild, SIGTERM) != 0) ::_exit(8);
    int gc_status = 0;
    if (::waitpid(grandchild, &gc_status, 0) != grandchild || !WIFSIGNALED(gc_status) ||
        WTERMSIG(gc_status) != SIGTERM) {
      ::_exit(9);
    }
    if (!run.owns_run() || !child.owns_run()) ::_exit(10);
    // Then the signal: the watcher thread ends the runs and re-raises it.
    return testing::report_and_await_signal(to_parent, run.run_id() + " " + child.run_id());
  });
  ASSERT_GE(forked.pid, 0);
  const pid_t pid = forked.pid;
  const std::string ids = testing::read_line(forked.from_child);
  ::close(forked.from_child);
  if (ids.size() != 65u) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    FAIL() << "child failed before the signal, exit status " << WEXITSTATUS(status);
  }
  testing::expect_killed_by(pid, signo);
  if (::testing::Test::HasFatalFailure()) return;
  EXPECT_EQ(get_run(ids.substr(0, 32)).info.status, RunStatus::kKilled);
  EXPECT_EQ(get_run(ids.substr(33)).info.status, RunStatus::kKilled);
}

TEST_F(FluentProcessTest, SigtermWithHandlerEndsRunKilled) {
  expect_signal_ends_runs_killed(uri_, SIGTERM);
}

TEST_F(FluentProcessTest, SigintWithHandlerEndsRunKilled) {
  expect_signal_ends_runs_killed(uri_, SIGINT);
}

}  // namespace
}  // namespace mlflow
