// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/forked_child.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace mlflow::testing {

ForkedChild fork_child(const std::function<int(int to_parent)>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (pid == 0) {
    ::close(fds[0]);
    int code = 5;
    try {
      code = body(fds[1]);
    } catch (...) {
      // Nothing may unwind into the copy of the test program: report the throw as code 5.
    }
    ::_exit(code);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

std::string read_line(int fd) {
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

void report_line(int to_parent, const std::string& line) {
  const std::string text = line + "\n";
  if (::write(to_parent, text.data(), text.size()) < 0) ::_exit(4);
}

ChildOutcome read_line_and_wait(const ForkedChild& child) {
  ChildOutcome outcome;
  outcome.line = read_line(child.from_child);
  ::close(child.from_child);
  if (::waitpid(child.pid, &outcome.status, 0) != child.pid) outcome.status = -1;
  return outcome;
}

int report_and_await_signal(int to_parent, const std::string& line) {
  report_line(to_parent, line);
  for (int i = 0; i < 600; ++i) ::pause();
  return 6;
}

void expect_killed_by(pid_t pid, int signo) {
  ASSERT_EQ(::kill(pid, signo), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), signo);
}

}  // namespace mlflow::testing
