// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A child process forked by a test (for crashes, signals and exits that must not take the test
// program down), with a pipe on which the child reports to the test.

#include <sys/types.h>

#include <functional>
#include <string>

namespace mlflow::testing {

struct ForkedChild {
  pid_t pid = -1;       // -1 when the pipe or the fork failed
  int from_child = -1;  // the pipe's read end; the caller closes it
};

/// Forks. The child runs `body(to_parent)` (the pipe's write end) and _exits with the code
/// body returns, or 5 when body throws; it never returns into the test. The parent gets the
/// child's pid and the pipe's read end.
ForkedChild fork_child(const std::function<int(int to_parent)>& body);

/// What the child wrote up to a newline or the end of the pipe, without the newline.
std::string read_line(int fd);

/// In the child: writes `line` and a newline to the parent; _exits with 4 when the write fails.
void report_line(int to_parent, const std::string& line);

/// In the parent: the line the child reported (read_line), then, the pipe closed, the child's
/// wait status once it has exited.
struct ChildOutcome {
  std::string line;
  int status = -1;
};
ChildOutcome read_line_and_wait(const ForkedChild& child);

/// In the child: writes `line` and a newline to the parent, then waits for the signal the test
/// sends. Returns 6 (the body's exit code) when none comes; _exits with 4 when the write fails.
int report_and_await_signal(int to_parent, const std::string& line);

/// In the parent: sends `signo` to the child `pid` and expects the child to die of it.
void expect_killed_by(pid_t pid, int signo);

}  // namespace mlflow::testing
