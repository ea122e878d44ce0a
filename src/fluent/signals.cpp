// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// SIGINT/SIGTERM: the handler only writes the signal number to a self-pipe (write(2) is
// async-signal-safe); a watcher thread reads it, ends every active fluent run as KILLED, then
// restores the default action and re-raises the signal (ADR 0007).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <mutex>
#include <thread>

#include "core/log.hpp"
#include "fluent/state.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {
namespace {

// Written only before the handlers are installed; read by the handler.
int g_signal_pipe_write = -1;
pid_t g_installing_pid = 0;

extern "C" void on_terminating_signal(int signo) {
  // A forked child inherits the handler and the pipe but not the watcher thread: it must not
  // make the parent's watcher end the parent's runs and kill the parent. It just dies of the
  // signal, as it would have without the handler. (getpid, signal, raise: async-signal-safe.)
  if (::getpid() != g_installing_pid) {
    std::signal(signo, SIG_DFL);
    std::raise(signo);
    return;
  }
  const int saved_errno = errno;
  const unsigned char byte = static_cast<unsigned char>(signo);
  // Nothing useful can be done if the pipe is full: a signal is already pending there.
  [[maybe_unused]] auto written = ::write(g_signal_pipe_write, &byte, 1);
  errno = saved_errno;
}

void watch(int read_fd) {
  while (true) {
    unsigned char byte = 0;
    const auto n = ::read(read_fd, &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    const int signo = byte;
    // What was logged asynchronously is stored first, all within the exit deadline.
    internal::end_all_runs_for_exit(RunStatus::kKilled);
    std::signal(signo, SIG_DFL);
    std::raise(signo);
  }
}

}  // namespace

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    int fds[2] = {-1, -1};
    if (::pipe(fds) != 0) {
      throw_error(ErrorCode::kInternalError, "install_signal_handlers: pipe() failed");
    }
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    // Never block in the handler, even if signals pile up faster than the watcher reads.
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    g_signal_pipe_write = fds[1];
    g_installing_pid = ::getpid();
    std::thread(watch, fds[0]).detach();
    struct sigaction action {};
    action.sa_handler = on_terminating_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
  });
}

}  // namespace mlflow
