// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Readers of the machine's state for the system metrics monitor. Each reproduces the quantity
// Python's monitor gets from psutil (7.x) on Linux, so that the same names carry the same
// meaning: the parsers take the text of the /proc file so that tests can feed fixtures.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlflow::internal::sysmetrics {

/// Python's round(x, 1): the double's exact value rounded to the nearest tenth (ties to even).
double round1(double x);

/// The aggregate line "cpu ..." of /proc/stat: user nice system idle iowait irq softirq steal
/// guest guest_nice (as many as the kernel gives), in clock ticks.
struct CpuTimes {
  std::vector<double> fields;
};
std::optional<CpuTimes> parse_proc_stat(const std::string& text);
/// psutil.cpu_percent between two readings: per-field deltas (negative ones as 0); total = all
/// but guest and guest_nice (already counted in user and nice), busy = total - idle - iowait;
/// busy / total * 100 rounded to 1 decimal, 0 when no time passed.
double cpu_percent(const CpuTimes& before, const CpuTimes& after);

/// psutil.virtual_memory() total and used, in bytes: used = MemTotal - MemAvailable (MemFree
/// when MemAvailable exceeds MemTotal, as in containers; MemFree + Buffers + Cached +
/// SReclaimable when the kernel gives no MemAvailable).
struct MemoryUsage {
  double total = 0;
  double used = 0;
};
std::optional<MemoryUsage> parse_meminfo(const std::string& text);

/// psutil.disk_usage(path): used = (blocks - bfree) * frsize, free = bavail * frsize,
/// percent = used / (used + free) * 100 rounded to 1 decimal.
struct DiskUsage {
  double used = 0;
  double free = 0;
  double percent = 0;
};
DiskUsage disk_usage_from(std::uint64_t blocks, std::uint64_t bfree, std::uint64_t bavail,
                          std::uint64_t frsize);
std::optional<DiskUsage> disk_usage(const std::string& path);

/// psutil.net_io_counters(): bytes received and sent, summed over every interface of
/// /proc/net/dev (loopback included).
struct NetCounters {
  double bytes_recv = 0;
  double bytes_sent = 0;
};
std::optional<NetCounters> parse_net_dev(const std::string& text);

/// The whole of a (small, /proc) file; std::nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

/// Samples of one monitoring period. Averaged metrics keep every sample; "last value" metrics
/// (network, cumulative) keep only the latest, as Python's NetworkMonitor.
class Samples {
 public:
  void add(const std::string& name, double value);
  void set_last(const std::string& name, double value);
  /// Mean of each averaged metric rounded to 1 decimal, plus the last values (unrounded).
  std::map<std::string, double> aggregate() const;
  void clear();
  bool empty() const { return sums_.empty() && last_.empty(); }

 private:
  std::map<std::string, std::pair<double, int>> sums_;
  std::map<std::string, double> last_;
};

/// "system/" or "system/<node_id>/".
std::string metric_prefix(const std::optional<std::string>& node_id);

}  // namespace mlflow::internal::sysmetrics
