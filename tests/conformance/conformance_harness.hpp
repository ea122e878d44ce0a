// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The conformance harness: a scenario drives an MlflowClient and writes what it observes into
// a Transcript, with store-specific values (generated ids, artifact locations, server clock
// times) replaced by stable placeholders. The same scenario runs on the embedded SQLite store
// and on the real MLflow server; the transcripts must be equal line by line.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mlflow/mlflow.hpp"

namespace mlflow::conformance {

class Transcript {
 public:
  /// Records a line; the scenario's unique name prefix is replaced by "P".
  void add(const std::string& line);
  void set_prefix(const std::string& prefix) { prefix_ = prefix; }
  /// Gives an experiment or run id a stable name ("exp#1", "run#3") in order of first sight.
  std::string id(const std::string& raw);
  /// Runs `call`; records "ok" or the error class and MLflow code it threw.
  void expect_call(const std::string& label, const std::function<void()>& call);

  void add_experiment(const Experiment& e);
  void add_run(const Run& r);
  void add_runs(const std::string& label, const std::vector<Run>& runs);
  void add_metric(const Metric& m);

  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
  std::string prefix_;
  std::map<std::string, std::string> ids_;
};

/// A scenario gets a client and a name prefix unique to this execution.
using Scenario =
    std::function<void(MlflowClient& client, const std::string& prefix, Transcript& t)>;

/// Runs `scenario` on a fresh embedded store and on the real server; fails the test with a
/// diff when the transcripts differ. Returns the embedded transcript (for extra assertions).
Transcript run_on_both_stores(const Scenario& scenario);

/// Fails the test with each differing line when the transcripts differ (`left` and `right`
/// name their stores in the messages).
void expect_same_lines(const std::vector<std::string>& a, const std::vector<std::string>& b,
                       const std::string& left, const std::string& right);

/// Formats a double the way both stores must agree on (NaN, inf, shortest round-trip).
std::string fmt(double v);

}  // namespace mlflow::conformance
