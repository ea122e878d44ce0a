// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// System metrics logging for fluent runs (Python's mlflow/system_metrics).
///
/// When enabled for a run (StartRunOptions::log_system_metrics, else these settings, else env
/// MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING), a background thread samples the machine every
/// sampling interval and, after `samples_before_logging` samples, logs one point per metric
/// (the mean of the samples rounded to 1 decimal; network: the last value) with steps 0, 1, 2,
/// ... (a resumed run continues after its largest `system/` step). Names, as Python's:
///   system/cpu_utilization_percentage, system/system_memory_usage_megabytes,
///   system/system_memory_usage_percentage, system/disk_usage_percentage,
///   system/disk_usage_megabytes, system/disk_available_megabytes (the filesystem of "/"),
///   system/network_receive_megabytes, system/network_transmit_megabytes (all interfaces,
///   since monitoring started), and per NVIDIA GPU i (when libnvidia-ml.so.1 can be loaded at
///   run time): system/gpu_<i>_memory_usage_percentage, system/gpu_<i>_memory_usage_megabytes,
///   system/gpu_<i>_utilization_percentage, system/gpu_<i>_power_usage_watts,
///   system/gpu_<i>_power_usage_percentage. Megabytes are 10^6 bytes. With a node id the
///   prefix is `system/<node_id>/`.
/// The thread stops when the run ends (any path that ends a fluent run) or is found no longer
/// RUNNING; it never throws into the program (failures go to the SDK log handler).
///
/// The setters are process-wide and win over the environment variables (unlike Python they do
/// not modify the environment); they apply to runs started afterwards.

#include <optional>
#include <string>

namespace mlflow {

/// Log system metrics for runs started without an explicit `log_system_metrics`.
void enable_system_metrics_logging();
/// Do not log system metrics for runs started without an explicit `log_system_metrics`.
void disable_system_metrics_logging();
/// Seconds between samples (env MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL, default 10);
/// std::nullopt unsets. Throws InvalidArgument unless positive and finite.
void set_system_metrics_sampling_interval(std::optional<double> seconds);
/// Samples aggregated into one logged point (env MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING,
/// default 1); std::nullopt unsets. Throws InvalidArgument unless positive.
void set_system_metrics_samples_before_logging(std::optional<int> samples);
/// Node id inserted into the metric names (env MLFLOW_SYSTEM_METRICS_NODE_ID); std::nullopt
/// unsets.
void set_system_metrics_node_id(std::optional<std::string> node_id);

}  // namespace mlflow
