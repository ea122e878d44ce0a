// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Process-wide system metrics settings (the setters of mlflow/system_metrics.hpp win over the
// environment variables Python's setters write) and the start of a fluent run's monitor.

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <mutex>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/system_metrics.hpp"
#include "system_metrics/monitor.hpp"

namespace mlflow {
namespace internal {
namespace {

struct Overrides {
  std::mutex mutex;
  std::optional<bool> enabled;
  std::optional<double> sampling_interval;
  std::optional<int> samples_before_logging;
  std::optional<std::string> node_id;
};

Overrides& overrides() {
  static Overrides o;
  return o;
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

double parse_positive_double(const std::string& text, const char* name) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end == text.c_str() || *end != '\0' || !std::isfinite(value) || value <= 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                std::string(name) + " must be a positive number of seconds, got '" + text + "'");
  }
  return value;
}

int parse_positive_int(const std::string& text, const char* name) {
  errno = 0;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || value <= 0 || value > 1000000) {
    throw_error(ErrorCode::kInvalidParameterValue,
                std::string(name) + " must be a positive integer, got '" + text + "'");
  }
  return static_cast<int>(value);
}

std::int64_t next_system_step(const MlflowClient& client, const std::string& run_id) {
  // Python reads the latest point of every metric of the run and continues after the largest
  // system/ step, so that a resumed run's series do not restart at 0.
  MlflowClient reader = client;
  std::optional<std::int64_t> max_step;
  for (const auto& metric : reader.get_run(run_id).data.latest_metrics) {
    if (metric.key.rfind("system/", 0) != 0) continue;
    if (!max_step || metric.step > *max_step) max_step = metric.step;
  }
  return max_step ? *max_step + 1 : 0;
}

}  // namespace

bool system_metrics_enabled(std::optional<bool> requested) {
  if (requested) return *requested;
  {
    auto& o = overrides();
    std::lock_guard<std::mutex> lock(o.mutex);
    if (o.enabled) return *o.enabled;
  }
  const auto value = env("MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING");
  if (!value) return false;
  const std::string lowered = to_lower(*value);
  if (lowered == "true" || lowered == "1") return true;
  if (lowered == "false" || lowered == "0") return false;
  throw_error(ErrorCode::kInvalidParameterValue,
              "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING value must be one of ['true', 'false', '1', "
              "'0'] (case-insensitive), but got " +
                  *value);
}

SystemMetricsSettings resolve_system_metrics_settings() {
  SystemMetricsSettings settings;
  std::optional<double> interval;
  std::optional<int> samples;
  std::optional<std::string> node_id;
  {
    auto& o = overrides();
    std::lock_guard<std::mutex> lock(o.mutex);
    interval = o.sampling_interval;
    samples = o.samples_before_logging;
    node_id = o.node_id;
  }
  if (interval) {
    settings.sampling_interval_s = *interval;
  } else if (auto text = env("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL")) {
    settings.sampling_interval_s =
        parse_positive_double(*text, "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL");
  }
  if (samples) {
    settings.samples_before_logging = *samples;
  } else if (auto text = env("MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING")) {
    settings.samples_before_logging =
        parse_positive_int(*text, "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING");
  }
  settings.node_id = node_id ? node_id : env("MLFLOW_SYSTEM_METRICS_NODE_ID");
  return settings;
}

std::unique_ptr<SystemMetricsMonitor> start_system_metrics_monitor(const MlflowClient& client,
                                                                   const std::string& run_id,
                                                                   bool resumed) noexcept {
  try {
    const std::int64_t first_step = resumed ? next_system_step(client, run_id) : 0;
    auto monitor = std::make_unique<SystemMetricsMonitor>(
        client, run_id, resolve_system_metrics_settings(), first_step);
    monitor->start();
    log(LogLevel::kInfo, "mlflow: started monitoring system metrics for run " + run_id);
    return monitor;
  } catch (const std::exception& e) {
    log(LogLevel::kError,
        std::string("mlflow: failed to start system metrics monitoring: ") + e.what());
  } catch (...) {
    log(LogLevel::kError, "mlflow: failed to start system metrics monitoring");
  }
  return nullptr;
}

void reset_system_metrics_settings() {
  auto& o = overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.enabled.reset();
  o.sampling_interval.reset();
  o.samples_before_logging.reset();
  o.node_id.reset();
}

}  // namespace internal

void enable_system_metrics_logging() {
  auto& o = internal::overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.enabled = true;
}

void disable_system_metrics_logging() {
  auto& o = internal::overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.enabled = false;
}

void set_system_metrics_sampling_interval(std::optional<double> seconds) {
  if (seconds && (!std::isfinite(*seconds) || *seconds <= 0)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The system metrics sampling interval must be a positive number of seconds");
  }
  auto& o = internal::overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.sampling_interval = seconds;
}

void set_system_metrics_samples_before_logging(std::optional<int> samples) {
  if (samples && *samples <= 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The number of system metrics samples before logging must be positive");
  }
  auto& o = internal::overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.samples_before_logging = samples;
}

void set_system_metrics_node_id(std::optional<std::string> node_id) {
  auto& o = internal::overrides();
  std::lock_guard<std::mutex> lock(o.mutex);
  o.node_id = std::move(node_id);
}

}  // namespace mlflow
