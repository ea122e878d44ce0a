// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What the C++ benchmarks share: the clock and its overhead, percentiles, wall and CPU time, and
// the command line `PROGRAM TRACKING_URI [--name N]...` (bench/python/bench_common.py is the Python
// peers').

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The value at fraction `p` (0..1) of the sorted values (nearest rank below, as the Python
/// peers' percentile()).
inline std::int64_t percentile(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

/// The median cost of an empty pair of clock reads, subtracted from each timed call.
inline std::int64_t timer_overhead() {
  std::vector<std::int64_t> empty(10000);
  for (auto& e : empty) {
    const auto t0 = Clock::now();
    const auto t1 = Clock::now();
    e = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
  }
  return percentile(empty, 0.5);
}

/// User+sys CPU seconds of the whole process (all threads, so curl's resolver thread counts
/// too), as the Python peers' time.process_time().
inline double process_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
};

/// Wall and process CPU seconds of `fn()`.
template <typename F>
Timing timed(F&& fn) {
  const auto w0 = Clock::now();
  const double c0 = process_cpu_s();
  fn();
  const double cpu = process_cpu_s() - c0;
  return {seconds_since(w0), cpu};
}

/// `PROGRAM TRACKING_URI [--name N]...`: the URI and each option's whole number (the defaults
/// for those not given).
struct Args {
  std::string uri;
  std::map<std::string, int> values;
  int operator[](const std::string& name) const { return values.at(name); }
};

/// Parses argv against `defaults` (option name without "--" -> default). A missing URI, an
/// unknown option or a value that is not a positive whole number prints the usage and returns
/// std::nullopt (exit with 2).
inline std::optional<Args> parse_args(int argc, char** argv, const char* program,
                                      std::map<std::string, int> defaults) {
  std::string usage = std::string("usage: ") + program + " TRACKING_URI";
  for (const auto& [name, value] : defaults) {
    usage += " [--" + name + " N (" + std::to_string(value) + ")]";
  }
  Args args{argc >= 2 ? argv[1] : "", std::move(defaults)};
  bool ok = argc >= 2;
  for (int i = 2; ok && i < argc; i += 2) {
    const std::string flag = argv[i];
    const auto it = flag.rfind("--", 0) == 0 ? args.values.find(flag.substr(2)) : args.values.end();
    char* end = nullptr;
    const long v = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : 0;
    ok = it != args.values.end() && end != nullptr && *end == '\0' && v > 0 && v <= 100000000;
    if (ok) it->second = static_cast<int>(v);
  }
  if (!ok) {
    std::fprintf(stderr, "%s\n", usage.c_str());
    return std::nullopt;
  }
  return args;
}

}  // namespace bench
