// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A private `mlflow server` for tests that need one configured differently from the shared
// fixture server (a static prefix, an existing database file). Stopped, and its directory
// removed, when destroyed.

#include <string>

namespace mlflow::testing {

class ScopedServer {
 public:
  /// `extra_args` go to `mlflow server` (e.g. "--static-prefix /pfx"); `backend_uri` empty
  /// means a fresh SQLite database of its own.
  explicit ScopedServer(const std::string& extra_args = "", const std::string& backend_uri = "");
  ~ScopedServer();
  ScopedServer(const ScopedServer&) = delete;
  ScopedServer& operator=(const ScopedServer&) = delete;

  bool started() const { return started_; }
  /// Stops the server now (its URI stays readable: a stopped server's address).
  void stop();
  /// What test-server.sh printed (for failure messages).
  const std::string& output() const { return output_; }
  /// The tracking URI, path prefix included.
  std::string uri() const;
  std::string log() const;

 private:
  std::string dir_;
  bool started_ = false;
  std::string output_;
};

}  // namespace mlflow::testing
