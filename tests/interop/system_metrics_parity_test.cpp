// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// System metrics parity with Python (mlflow 3.18 + psutil): a Python run with
// log_system_metrics=True and a C++ fluent run with the same sampling settings and the same
// length, on the same machine and the same real server, log the same metric names, hence the
// same units (the unit is the name's suffix). GPU metrics appear on neither side on a machine
// without an NVIDIA GPU; on one with a GPU both sides must log the same gpu_<i>_* names.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "fluent/state.hpp"
#include "mlflow/mlflow.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"
#include "system_metrics/monitor.hpp"

namespace mlflow {
namespace {

using nlohmann::json;
using Env = std::map<std::string, std::optional<std::string>>;

// Long enough for a few samples at the interval below; nothing is asserted about timing.
constexpr double kRunSeconds = 2.2;
constexpr const char* kInterval = "0.5";

std::string unit_of(const std::string& name) { return name.substr(name.rfind('_') + 1); }

TEST(SystemMetricsParity, SameNamesAndUnitsAsPython) {
  internal::reset_fluent_state();
  internal::reset_system_metrics_settings();
  testing::ScopedEnv env(Env{{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", kInterval},
                             {"MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "1"},
                             {"MLFLOW_SYSTEM_METRICS_NODE_ID", std::nullopt},
                             {"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", std::nullopt},
                             {"MLFLOW_RUN_ID", std::nullopt}});
  set_tracking_uri(testing::server_uri());
  const std::string experiment = create_experiment(testing::unique_name("system-metrics-parity"));

  // Python (the environment above is inherited by the child).
  const auto py = testing::run_command(testing::python_peer_command(
      "system_metrics_parity.py",
      {testing::server_uri(), experiment, std::to_string(kRunSeconds)}));
  ASSERT_EQ(py.exit_code, 0) << py.output;
  const json python = json::parse(py.output.substr(py.output.rfind("\n{") + 1));
  std::set<std::string> python_names;
  for (const auto& [key, count] : python["metrics"].items()) python_names.insert(key);

  // C++, same settings, same length.
  std::string run_id;
  {
    StartRunOptions options;
    options.experiment_id = experiment;
    options.log_system_metrics = true;
    ActiveRun run = start_run(options);
    run_id = run.run_id();
    std::this_thread::sleep_for(std::chrono::duration<double>(kRunSeconds));
  }
  std::set<std::string> cpp_names;
  for (const auto& [key, value] : get_run(run_id).data.metrics) cpp_names.insert(key);
  set_tracking_uri("");
  internal::reset_fluent_state();

  ASSERT_GE(python_names.size(), 8u) << py.output;  // cpu, memory, disk and network at least
  EXPECT_EQ(cpp_names, python_names) << "python: " << python.dump();
  std::set<std::string> units;
  for (const auto& name : cpp_names) {
    EXPECT_EQ(name.rfind("system/", 0), 0u) << name;
    units.insert(unit_of(name));
  }
  // Megabytes and percentages without a GPU; watts too with one.
  for (const auto& unit : units) {
    EXPECT_TRUE(unit == "percentage" || unit == "megabytes" || unit == "watts") << unit;
  }
  bool python_gpu = false;
  for (const auto& name : python_names) python_gpu |= name.find("/gpu_") != std::string::npos;
  std::cout << "system metrics: " << cpp_names.size() << " names on both sides; GPU metrics "
            << (python_gpu ? "present" : "absent (no NVIDIA GPU here)") << "; psutil "
            << python["psutil"].get<std::string>() << "\n";
}

}  // namespace
}  // namespace mlflow
