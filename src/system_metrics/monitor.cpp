// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "system_metrics/monitor.hpp"

#include <unistd.h>

#include <chrono>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace mlflow::internal {

using namespace sysmetrics;

SystemMetricsMonitor::SystemMetricsMonitor(MlflowClient client, std::string run_id,
                                           SystemMetricsSettings settings, std::int64_t first_step)
    : client_(std::move(client)),
      run_id_(std::move(run_id)),
      settings_(std::move(settings)),
      first_step_(first_step),
      prefix_(metric_prefix(settings_.node_id)),
      nvml_(settings_.nvml_functions != nullptr ? Nvml::open_with(*settings_.nvml_functions)
                                                : Nvml::open(settings_.nvml_library)) {
  if (auto text = read_text_file("/proc/net/dev")) initial_net_ = parse_net_dev(*text);
  // Python's first psutil.cpu_percent() in its thread compares two readings taken at once and
  // gives ~0; a baseline taken here makes the first sample the load since monitoring started.
  if (auto text = read_text_file("/proc/stat")) last_cpu_ = parse_proc_stat(*text);
}

SystemMetricsMonitor::~SystemMetricsMonitor() { stop(); }

void SystemMetricsMonitor::start() {
  if (thread_.joinable()) return;
  started_by_ = ::getpid();
  running_.store(true);
  thread_ = std::thread([this] {
    run();
    running_.store(false);
  });
}

void SystemMetricsMonitor::stop() noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id() || ::getpid() != started_by_) {
      // Cannot join itself (it is on its way out anyway); in a fork()ed child the thread does
      // not exist (fork copies only the calling thread) and a join would never return.
      thread_.detach();
    } else {
      thread_.join();
    }
  }
}

void SystemMetricsMonitor::sample() {
  if (auto text = read_text_file("/proc/stat")) {
    if (auto now = parse_proc_stat(*text)) {
      samples_.add("cpu_utilization_percentage", last_cpu_ ? cpu_percent(*last_cpu_, *now) : 0.0);
      last_cpu_ = now;
    }
  }
  if (auto text = read_text_file("/proc/meminfo")) {
    if (auto memory = parse_meminfo(*text)) {
      samples_.add("system_memory_usage_megabytes", memory->used / 1e6);
      samples_.add("system_memory_usage_percentage",
                   memory->total > 0 ? memory->used / memory->total * 100 : 0.0);
    }
  }
  if (auto disk = disk_usage("/")) {
    samples_.add("disk_usage_percentage", disk->percent);
    samples_.add("disk_usage_megabytes", disk->used / 1e6);
    samples_.add("disk_available_megabytes", disk->free / 1e6);
  }
  if (auto text = read_text_file("/proc/net/dev")) {
    if (auto net = parse_net_dev(*text)) {
      const NetCounters base = initial_net_.value_or(NetCounters{});
      // Megabytes are subtracted, not bytes, to give Python's values to the last bit.
      samples_.set_last("network_receive_megabytes", net->bytes_recv / 1e6 - base.bytes_recv / 1e6);
      samples_.set_last("network_transmit_megabytes",
                        net->bytes_sent / 1e6 - base.bytes_sent / 1e6);
    }
  }
  if (nvml_) nvml_->sample(samples_);
}

bool SystemMetricsMonitor::wait_or_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(settings_.sampling_interval_s));
  return wake_.wait_for(lock, interval, [this] { return stopping_; });
}

bool SystemMetricsMonitor::run_still_running() {
  // As Python: a run ended some other way (MlflowClient::set_terminated) stops the monitor.
  try {
    return client_.get_run(run_id_).info.status == RunStatus::kRunning;
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: system metrics: failed to get run: ") + e.what());
    return false;
  }
}

void SystemMetricsMonitor::publish(std::int64_t step) {
  const auto timestamp = now_millis();
  std::vector<Metric> metrics;
  for (const auto& [name, value] : samples_.aggregate()) {
    Metric metric;
    metric.key = prefix_ + name;
    metric.value = value;
    metric.timestamp = timestamp;
    metric.step = step;
    metrics.push_back(std::move(metric));
  }
  samples_.clear();
  if (!metrics.empty()) client_.log_batch(run_id_, metrics);
}

void SystemMetricsMonitor::run() noexcept {
  try {
    for (std::int64_t step = first_step_;; ++step) {
      for (int i = 0; i < settings_.samples_before_logging; ++i) {
        sample();
        if (wait_or_stopped() || !run_still_running()) return;
      }
      try {
        publish(step);
      } catch (const std::exception& e) {
        log(LogLevel::kWarning, std::string("mlflow: failed to log system metrics: ") + e.what());
        return;
      }
    }
  } catch (const std::exception& e) {
    log(LogLevel::kError, std::string("mlflow: system metrics monitoring failed: ") + e.what());
  } catch (...) {
    log(LogLevel::kError, "mlflow: system metrics monitoring failed");
  }
}

}  // namespace mlflow::internal
