// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "conformance/conformance_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "support/test_env.hpp"

namespace mlflow::conformance {

std::string fmt(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void Transcript::add(const std::string& line) {
  std::string out = line;
  if (!prefix_.empty()) {
    for (size_t pos = out.find(prefix_); pos != std::string::npos; pos = out.find(prefix_, pos)) {
      out.replace(pos, prefix_.size(), "P");
    }
  }
  lines_.push_back(std::move(out));
}

std::string Transcript::id(const std::string& raw) {
  auto it = ids_.find(raw);
  if (it != ids_.end()) return it->second;
  const std::string name = "#" + std::to_string(ids_.size() + 1);
  ids_.emplace(raw, name);
  return name;
}

void Transcript::expect_call(const std::string& label, const std::function<void()>& call) {
  try {
    call();
    add(label + ": ok");
  } catch (const MlflowException& e) {
    const char* cls = is_not_found(e)           ? "NotFound"
                      : is_already_exists(e)    ? "AlreadyExists"
                      : is_invalid_argument(e)  ? "InvalidArgument"
                      : is_permission_denied(e) ? "PermissionDenied"
                      : is_unavailable(e)       ? "Unavailable"
                                                : "MlflowException";
    add(label + ": " + cls + " " + error_code_name(e.error_code()));
  }
}

void Transcript::add_experiment(const Experiment& e) {
  std::ostringstream out;
  out << "experiment " << id(e.experiment_id) << " name=" << e.name
      << " stage=" << e.lifecycle_stage << " has_times=" << e.creation_time.has_value()
      << e.last_update_time.has_value() << " tags={";
  for (const auto& [k, v] : e.tags) out << k << "=" << v << ";";
  out << "}";
  add(out.str());
}

void Transcript::add_metric(const Metric& m) {
  add("  metric " + m.key + "=" + fmt(m.value) + " step=" + std::to_string(m.step) +
      " ts=" + std::to_string(m.timestamp) + (m.run_id ? " run=" + id(*m.run_id) : std::string()));
}

void Transcript::add_run(const Run& r) {
  std::ostringstream out;
  out << "run " << id(r.info.run_id) << " exp=" << id(r.info.experiment_id)
      << " name=" << r.info.run_name << " user=" << r.info.user_id
      << " status=" << to_string(r.info.status) << " start=" << r.info.start_time
      << " end=" << (r.info.end_time ? std::to_string(*r.info.end_time) : "-")
      << " stage=" << r.info.lifecycle_stage;
  add(out.str());
  for (const auto& [k, v] : r.data.params) add("  param " + k + "=" + v);
  for (const auto& [k, v] : r.data.tags) {
    // Run ids inside tags (parent links) are normalised like ids.
    add("  tag " + k + "=" + (k == "mlflow.parentRunId" ? id(v) : v));
  }
  std::vector<Metric> latest = r.data.latest_metrics;
  std::sort(latest.begin(), latest.end(),
            [](const Metric& a, const Metric& b) { return a.key < b.key; });
  for (const auto& m : latest) add_metric(m);
  for (const auto& in : r.inputs.dataset_inputs) {
    std::ostringstream d;
    d << "  dataset " << in.dataset.name << " digest=" << in.dataset.digest
      << " type=" << in.dataset.source_type << " source=" << in.dataset.source
      << " schema=" << in.dataset.schema.value_or("-")
      << " profile=" << in.dataset.profile.value_or("-") << " tags={";
    for (const auto& t : in.tags) d << t.key << "=" << t.value << ";";
    d << "}";
    add(d.str());
  }
}

void Transcript::add_runs(const std::string& label, const std::vector<Run>& runs) {
  std::string line = label + ":";
  for (const auto& r : runs) line += " " + id(r.info.run_id);
  add(line);
}

Transcript run_on_both_stores(const Scenario& scenario) {
  const std::string dir = testing::make_temp_dir("mlflow-conformance");
  MlflowClient embedded("sqlite:///" + dir + "/mlflow.db");
  MlflowClient server(testing::server_uri());

  Transcript on_embedded;
  Transcript on_server;
  const std::string embedded_prefix = testing::unique_name("conf");
  const std::string server_prefix = testing::unique_name("conf");
  on_embedded.set_prefix(embedded_prefix);
  on_server.set_prefix(server_prefix);
  scenario(embedded, embedded_prefix, on_embedded);
  scenario(server, server_prefix, on_server);

  expect_same_lines(on_embedded.lines(), on_server.lines(), "embedded store", "server");
  return on_embedded;
}

void expect_same_lines(const std::vector<std::string>& a, const std::vector<std::string>& b,
                       const std::string& left, const std::string& right) {
  EXPECT_FALSE(a.empty()) << "the scenario recorded nothing";
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string l = i < a.size() ? a[i] : "<missing>";
    const std::string r = i < b.size() ? b[i] : "<missing>";
    EXPECT_EQ(l, r) << "line " << i << " differs (left: " << left << ", right: " << right << ")";
  }
}

}  // namespace mlflow::conformance
