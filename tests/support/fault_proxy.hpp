// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// An in-process HTTP/1.1 server on 127.0.0.1 for fault-injection tests. In proxy mode it
// forwards each request to an upstream `http://127.0.0.1:PORT` (e.g. the real MLflow server);
// in fake-server mode there is no upstream and every answer is scripted. Per request it can
// pass through, answer a canned response, stall, close or reset the connection before or
// after the upstream processed the request, and it can refuse connections for a while. It
// counts requests per path so tests can assert how many attempts a client made.
//
// Deliberately simple: plain POSIX sockets, one thread per connection, one request at a time
// per connection (keep-alive supported), Content-Length bodies only.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mlflow::testing {

using FaultHeaders = std::vector<std::pair<std::string, std::string>>;

/// What to do with one request.
struct FaultAction {
  enum class Kind {
    kPassThrough,         // forward upstream, relay the answer (fake mode: the default answer)
    kRespond,             // answer `status`, `headers`, `body` without forwarding
    kResetBeforeForward,  // abort the connection (TCP RST); upstream never sees the request
    kResetAfterForward,   // forward upstream (it DID process the request), then RST
    kCloseWithoutAnswer,  // close the connection cleanly (FIN) without answering
  };
  Kind kind = Kind::kPassThrough;
  int status = 200;
  FaultHeaders headers;
  std::string body;
  /// Stall this long after reading the request, before acting (0 = none).
  std::chrono::milliseconds delay{0};

  static FaultAction pass_through() { return {}; }
  static FaultAction respond(int status, std::string body = {}, FaultHeaders headers = {});
  static FaultAction reset_before() { return with(Kind::kResetBeforeForward); }
  static FaultAction reset_after() { return with(Kind::kResetAfterForward); }
  static FaultAction close_without_answer() { return with(Kind::kCloseWithoutAnswer); }
  /// Stalls `delay`, then does `then` (pass-through when omitted).
  static FaultAction stall(std::chrono::milliseconds delay, FaultAction then);
  static FaultAction stall(std::chrono::milliseconds delay);

 private:
  static FaultAction with(Kind kind) {
    FaultAction a;
    a.kind = kind;
    return a;
  }
};

/// One request as received (after the body was read).
struct RecordedRequest {
  std::string method;
  std::string target;  // path and query, as on the request line
  std::string path;    // target without the query
  FaultHeaders headers;
  std::string body;
  int connection = 0;  // 1-based number of the TCP connection it arrived on
  /// Case-insensitive header lookup.
  std::optional<std::string> header(const std::string& name) const;
};

class FaultProxy {
 public:
  /// Fake-server mode: no upstream. Unscripted requests get the default action, which starts
  /// as a 404 with an MLflow-style JSON error.
  FaultProxy();
  /// Proxy mode: `upstream` is `http://127.0.0.1:PORT` (a trailing path is ignored).
  explicit FaultProxy(const std::string& upstream);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const noexcept { return port_; }
  /// "http://127.0.0.1:<port>".
  std::string url() const;

  /// Queues `action` for the next `times` requests whose path is `path` (exact, without the
  /// query), or any path when `path` is "*". Path-specific scripts are used before "*" ones.
  void script(const std::string& path, FaultAction action, int times = 1);
  /// The action for requests no script matches.
  void set_default(FaultAction action);
  /// Drops all queued scripts.
  void clear_scripts();

  /// Refuses connections (connect gets ECONNREFUSED) and drops open connections for
  /// `duration`, then listens again on the same port.
  void go_down_for(std::chrono::milliseconds duration);
  /// Refuses connections until come_back().
  void go_down();
  void come_back();

  /// Requests received on `path` (every request counts, faulted ones included).
  int count(const std::string& path) const;
  int total_requests() const;
  /// TCP connections accepted so far.
  int connections_accepted() const;
  std::vector<RecordedRequest> requests() const;
  void reset_counts();

 private:
  void start();
  bool open_listener();
  void close_listener();
  void accept_loop();
  void serve_connection(int fd, int connection_number);
  FaultAction next_action(const std::string& path);
  bool forward(const RecordedRequest& request, int& status, FaultHeaders& headers,
               std::string& body);
  void sleep_interruptible(std::chrono::milliseconds duration) const;

  std::string upstream_host_;
  int upstream_port_ = 0;
  bool has_upstream_ = false;

  int port_ = 0;
  std::atomic<int> listen_fd_{-1};
  std::atomic<bool> stop_{false};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  std::map<std::string, std::deque<FaultAction>> scripts_;
  FaultAction default_action_;
  std::map<std::string, int> counts_;
  std::vector<RecordedRequest> requests_;
  int connections_ = 0;
  bool down_ = false;
  std::chrono::steady_clock::time_point down_until_{};
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
};

}  // namespace mlflow::testing
