// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "system_metrics/probes.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mlflow::internal::sysmetrics {

double round1(double x) {
  // glibc's printf rounds the exact binary value correctly (ties to even), which is what
  // Python's round(x, 1) does; a multiply-and-round would differ on values like 0.35.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return std::strtod(buf, nullptr);
}

std::optional<CpuTimes> parse_proc_stat(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string label;
    fields >> label;
    if (label != "cpu") continue;
    CpuTimes times;
    double value = 0;
    while (times.fields.size() < 10 && fields >> value) times.fields.push_back(value);
    // user, nice, system and idle at least; older kernels stop after them.
    if (times.fields.size() < 4) return std::nullopt;
    return times;
  }
  return std::nullopt;
}

double cpu_percent(const CpuTimes& before, const CpuTimes& after) {
  const std::size_t n = std::min(before.fields.size(), after.fields.size());
  double total = 0;
  double idle = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double delta = after.fields[i] - before.fields[i];
    if (delta < 0) delta = 0;        // counters can step back slightly; psutil ignores that too
    if (i == 8 || i == 9) continue;  // guest, guest_nice: already in user, nice
    total += delta;
    if (i == 3 || i == 4) idle += delta;  // idle, iowait
  }
  if (total <= 0) return 0.0;
  return round1((total - idle) / total * 100.0);
}

std::optional<MemoryUsage> parse_meminfo(const std::string& text) {
  std::map<std::string, double> kb;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    double value = 0;
    if (fields >> key >> value) kb[key] = value;
  }
  auto get = [&](const char* key) -> std::optional<double> {
    auto it = kb.find(key);
    if (it == kb.end()) return std::nullopt;
    return it->second * 1024.0;
  };
  const auto total = get("MemTotal:");
  const auto free = get("MemFree:");
  if (!total || !free) return std::nullopt;
  auto available = get("MemAvailable:");
  if (!available || *available == 0) {
    // Kernels before 3.14 (or a zero MemAvailable): psutil estimates from /proc/zoneinfo; the
    // free + page cache estimate is close and needs no second file.
    available = *free + get("Buffers:").value_or(0) + get("Cached:").value_or(0) +
                get("SReclaimable:").value_or(0);
  }
  double avail = *available;
  if (avail > *total) avail = *free;  // distorted values inside some containers (as psutil)
  MemoryUsage usage;
  usage.total = *total;
  usage.used = *total - avail;
  return usage;
}

DiskUsage disk_usage_from(std::uint64_t blocks, std::uint64_t bfree, std::uint64_t bavail,
                          std::uint64_t frsize) {
  DiskUsage usage;
  const double total = static_cast<double>(blocks) * static_cast<double>(frsize);
  usage.used = total - static_cast<double>(bfree) * static_cast<double>(frsize);
  usage.free = static_cast<double>(bavail) * static_cast<double>(frsize);
  // Relative to what an unprivileged user can use (blocks reserved for root excluded).
  const double user_total = usage.used + usage.free;
  usage.percent = user_total > 0 ? round1(usage.used / user_total * 100.0) : 0.0;
  return usage;
}

std::optional<DiskUsage> disk_usage(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) return std::nullopt;
  return disk_usage_from(st.f_blocks, st.f_bfree, st.f_bavail, st.f_frsize);
}

std::optional<NetCounters> parse_net_dev(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  NetCounters counters;
  bool any = false;
  int line_no = 0;
  while (std::getline(in, line)) {
    if (++line_no <= 2) continue;  // two header lines
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) continue;
    std::istringstream fields(line.substr(colon + 1));
    double values[9] = {};
    int n = 0;
    while (n < 9 && fields >> values[n]) ++n;
    if (n < 9) continue;
    counters.bytes_recv += values[0];  // receive bytes
    counters.bytes_sent += values[8];  // transmit bytes (after 8 receive columns)
    any = true;
  }
  if (!any) return std::nullopt;
  return counters;
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

void Samples::add(const std::string& name, double value) {
  auto& [sum, count] = sums_[name];
  sum += value;
  ++count;
}

void Samples::set_last(const std::string& name, double value) { last_[name] = value; }

std::map<std::string, double> Samples::aggregate() const {
  std::map<std::string, double> out;
  for (const auto& [name, entry] : sums_) out[name] = round1(entry.first / entry.second);
  for (const auto& [name, value] : last_) out[name] = value;
  return out;
}

void Samples::clear() {
  sums_.clear();
  last_.clear();
}

std::string metric_prefix(const std::optional<std::string>& node_id) {
  if (node_id && !node_id->empty()) return "system/" + *node_id + "/";
  return "system/";
}

}  // namespace mlflow::internal::sysmetrics
