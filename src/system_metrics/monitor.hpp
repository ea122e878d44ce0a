// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The system metrics monitor of one run (Python's SystemMetricsMonitor): a sampler thread that
// logs aggregated machine readings through MlflowClient::log_batch. See
// include/mlflow/system_metrics.hpp for the names and units.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "mlflow/mlflow_client.hpp"
#include "system_metrics/nvml.hpp"
#include "system_metrics/probes.hpp"

namespace mlflow::internal {

struct SystemMetricsSettings {
  double sampling_interval_s = 10.0;
  int samples_before_logging = 1;
  std::optional<std::string> node_id{};
  /// Tests point this at a missing library to run without GPUs on any machine.
  std::string nvml_library = "libnvidia-ml.so.1";
  /// Tests: a fake NVML used instead of loading nvml_library.
  const sysmetrics::nvml_abi::Functions* nvml_functions = nullptr;
};

class SystemMetricsMonitor {
 public:
  /// Takes the network baseline now (network metrics count from here). Logs with steps
  /// `first_step`, first_step + 1, ...
  SystemMetricsMonitor(MlflowClient client, std::string run_id, SystemMetricsSettings settings,
                       std::int64_t first_step = 0);
  /// Stops (and joins) the thread.
  ~SystemMetricsMonitor();
  SystemMetricsMonitor(const SystemMetricsMonitor&) = delete;
  SystemMetricsMonitor& operator=(const SystemMetricsMonitor&) = delete;

  /// Starts the sampler thread (once).
  void start();
  /// Wakes the thread and waits for it to finish; samples of an unfinished period are dropped
  /// (as Python). Idempotent, never throws.
  void stop() noexcept;

  /// Takes one sample of every metric into the current period (the thread's step; public for
  /// tests, which call it only on a monitor that was not started).
  void sample();
  /// The current period's aggregate, names without the prefix (public for tests).
  std::map<std::string, double> aggregate() const { return samples_.aggregate(); }
  bool has_gpu() const { return nvml_ != nullptr; }
  /// True from start() until the sampler thread returns: stopped, or quit by itself (its run
  /// ended or was deleted, or logging failed).
  bool running() const noexcept { return running_.load(); }

 private:
  void run() noexcept;
  /// Waits one sampling interval; true when stop() was called.
  bool wait_or_stopped();
  bool run_still_running();
  void publish(std::int64_t step);

  MlflowClient client_;
  std::string run_id_;
  SystemMetricsSettings settings_;
  std::int64_t first_step_;
  std::string prefix_;
  std::unique_ptr<sysmetrics::Nvml> nvml_;
  std::optional<sysmetrics::CpuTimes> last_cpu_;
  std::optional<sysmetrics::NetCounters> initial_net_;
  sysmetrics::Samples samples_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<bool> running_{false};
  int started_by_ = 0;  // pid
};

/// Whether a new fluent run logs system metrics: `requested`, else
/// enable/disable_system_metrics_logging(), else env MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING
/// (true/false/1/0, any case; anything else throws InvalidArgument, as Python raises).
bool system_metrics_enabled(std::optional<bool> requested);
/// The setters' values, else the environment, else the defaults. Throws InvalidArgument for an
/// unparsable or non-positive environment value.
SystemMetricsSettings resolve_system_metrics_settings();
/// Starts a monitor for a fluent run; a resumed run continues after its largest system/ step.
/// Never throws: nullptr (and an ERROR log line) when it cannot start.
std::unique_ptr<SystemMetricsMonitor> start_system_metrics_monitor(const MlflowClient& client,
                                                                   const std::string& run_id,
                                                                   bool resumed) noexcept;
/// For tests: forgets what the setters set.
void reset_system_metrics_settings();

}  // namespace mlflow::internal
