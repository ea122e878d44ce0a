// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-rest`: logs the same points as bench/python/bench_rest.py to a real
// MLflow server through MlflowClient and reports wall time and client CPU time.
//
//   bench_rest TRACKING_URI [--keys N] [--steps N] [--singles N] [--get-runs N]
//
// Prints human text plus one machine-readable line per variant:
//   BENCH_JSON {"client":"cpp","variant":...,"points":...,"wall_s":...,"cpu_s":...,...}
// The workload (keys, steps, values, timestamps, run layout) must stay identical to the Python
// bench, or the ratios printed by scripts/bench-rest.sh mean nothing.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/mlflow_client.hpp"

namespace {

// Fixed timestamps, so both clients send comparable payloads and the server stores identical
// rows (now() would make the two sides differ in size and ordering).
constexpr std::int64_t kBaseTsMs = 1700000000000;

struct Point {
  std::string key;
  double value;
  std::int64_t timestamp;
  std::int64_t step;
};

std::string key_name(const char* prefix, int index, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, width, index);
  return buf;
}

// Key-major, like the Python bench: m000 steps 0..N-1, then m001, ...
std::vector<Point> batch_points(int keys, int steps) {
  std::vector<Point> out;
  out.reserve(static_cast<std::size_t>(keys) * static_cast<std::size_t>(steps));
  for (int k = 0; k < keys; ++k) {
    const std::string name = key_name("m", k, 3);
    for (int s = 0; s < steps; ++s) out.push_back({name, k + s * 1e-3, kBaseTsMs + s, s});
  }
  return out;
}

// n single calls spread over 20 keys, as in the Python bench.
std::vector<Point> single_points(int n, int keys = 20) {
  std::vector<Point> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int k = i % keys, s = i / keys;
    out.push_back({key_name("s", k, 2), k + s * 1e-3, kBaseTsMs + s, s});
  }
  return out;
}

using bench::timed;

struct Verification {
  std::size_t found = 0;
  std::size_t expected = 0;
  bool ok = false;
  std::string detail;
};

// Reads every key's full history back from the server and compares it with what was sent, so
// a client that drops or mangles points cannot look fast.
Verification verify(mlflow::MlflowClient& client, const std::string& run_id,
                    const std::vector<Point>& sent) {
  using Row = std::tuple<std::int64_t, std::int64_t, double>;  // step, timestamp, value
  std::map<std::string, std::vector<Row>> want;
  for (const auto& p : sent) want[p.key].emplace_back(p.step, p.timestamp, p.value);
  const auto t0 = std::chrono::steady_clock::now();
  Verification v;
  v.expected = sent.size();
  std::vector<std::string> bad;
  for (auto& [key, rows] : want) {
    std::vector<Row> got;
    for (const auto& m : client.get_metric_history(run_id, key))
      got.emplace_back(m.step, m.timestamp, m.value);
    v.found += got.size();
    std::sort(rows.begin(), rows.end());
    std::sort(got.begin(), got.end());
    if (got != rows && bad.size() < 3)
      bad.push_back(key + ": " + std::to_string(got.size()) + " points, expected " +
                    std::to_string(rows.size()));
  }
  v.ok = v.found == v.expected && bad.empty();
  v.detail = std::to_string(v.found) + "/" + std::to_string(v.expected) +
             " points on the server across " + std::to_string(want.size()) + " keys";
  if (!bad.empty()) {
    v.detail += "; mismatches:";
    for (const auto& b : bad) v.detail += " " + b + ";";
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
  char buf[64];
  std::snprintf(buf, sizeof buf, " (read back in %.1f s, not timed)", took.count());
  v.detail += buf;
  return v;
}

bool report(const char* variant, std::size_t points, std::size_t requests, double wall_s,
            double cpu_s, const Verification& v) {
  const double pps = wall_s > 0 ? static_cast<double>(points) / wall_s : 0.0;
  const double us_per_point = cpu_s * 1e6 / static_cast<double>(points);
  std::printf(
      "cpp    %-11s %7zu points  wall %8.3f s  cpu %8.3f s  %10.0f points/s  %9.2f cpu "
      "us/point\n",
      variant, points, wall_s, cpu_s, pps, us_per_point);
  std::printf("cpp    %-11s verify: %s -> %s\n", variant, v.detail.c_str(), v.ok ? "OK" : "FAILED");
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"%s\", \"points\": %zu, \"requests\": %zu, "
      "\"wall_s\": %.9g, \"cpu_s\": %.9g, \"points_per_s\": %.9g, \"cpu_us_per_point\": %.9g, "
      "\"verified_points\": %zu, \"verified\": %s}\n",
      variant, points, requests, wall_s, cpu_s, pps, us_per_point, v.found,
      v.ok ? "true" : "false");
  std::fflush(stdout);
  return v.ok;
}

int run(int argc, char** argv) {
  const auto args =
      bench::parse_args(argc, argv, "bench_rest",
                        {{"keys", 200}, {"steps", 1000}, {"singles", 2000}, {"get-runs", 1000}});
  if (!args) return 2;
  const std::string& uri = args->uri;
  const int keys = (*args)["keys"], steps = (*args)["steps"], singles = (*args)["singles"],
            get_runs = (*args)["get-runs"];

  mlflow::MlflowClient client(uri);
  const std::string exp_id = client.create_experiment(
      "bench-rest-cpp-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count()));

  // Warm-up, not timed: the first request opens the connection (and initialises curl); the
  // timed variants then run on the pooled connection, as the Python side does.
  {
    mlflow::CreateRunOptions ro;
    ro.run_name = "warmup";
    const std::string warm = client.create_run(exp_id, ro).info.run_id;
    mlflow::LogMetricOptions mo;
    mo.timestamp = kBaseTsMs;
    client.log_metric(warm, "warmup", 1.0, mo);
    mlflow::Metric m;
    m.key = "warmup_batch";
    m.value = 1.0;
    m.timestamp = kBaseTsMs;
    client.log_batch(warm, {m});
  }
  std::printf(
      "cpp: warm-up done (experiment, warm-up run, one log_metric, one log_batch; not timed)\n");

  bool all_ok = true;
  std::string singles_run;
  std::size_t singles_keys = 0;

  // (a) one log_batch call with every point; MlflowClient splits it into 1000-metric requests.
  {
    const std::vector<Point> pts = batch_points(keys, steps);
    // Building the input vector is the caller's data, not the client's work: outside the clock.
    std::vector<mlflow::Metric> metrics;
    metrics.reserve(pts.size());
    for (const auto& p : pts) {
      mlflow::Metric m;
      m.key = p.key;
      m.value = p.value;
      m.timestamp = p.timestamp;
      m.step = p.step;
      metrics.push_back(std::move(m));
    }
    mlflow::CreateRunOptions ro;
    ro.run_name = "cpp-log_batch";
    const std::string run_id = client.create_run(exp_id, ro).info.run_id;
    const auto [wall, cpu] = timed([&] { client.log_batch(run_id, metrics); });
    const Verification v = verify(client, run_id, pts);
    all_ok &= report("log_batch", pts.size(), (pts.size() + 999) / 1000, wall, cpu, v);
  }

  // (c) single log_metric calls, one request each.
  {
    const std::vector<Point> pts = single_points(singles);
    mlflow::CreateRunOptions ro;
    ro.run_name = "cpp-log_metric";
    const std::string run_id = client.create_run(exp_id, ro).info.run_id;
    const auto [wall, cpu] = timed([&] {
      for (const auto& p : pts) {
        mlflow::LogMetricOptions mo;
        mo.timestamp = p.timestamp;
        mo.step = p.step;
        client.log_metric(run_id, p.key, p.value, mo);
      }
    });
    const Verification v = verify(client, run_id, pts);
    all_ok &= report("log_metric", pts.size(), pts.size(), wall, cpu, v);
    singles_run = run_id;
    singles_keys = std::min<std::size_t>(20, pts.size());
  }

  // (d) sequential get_run of the singles run (its latest value of each key) on one client:
  // one request each on the kept-alive connection, answer decoded into a Run. Every answer is
  // checked (inside the clock, as on the Python side).
  {
    std::size_t good = 0;
    const auto [wall, cpu] = timed([&] {
      for (int i = 0; i < get_runs; ++i) {
        const mlflow::Run run = client.get_run(singles_run);
        if (run.info.run_id == singles_run && run.data.metrics.size() == singles_keys) ++good;
      }
    });
    Verification v;
    v.expected = static_cast<std::size_t>(get_runs);
    v.found = good;
    v.ok = good == v.expected;
    v.detail = std::to_string(good) + "/" + std::to_string(get_runs) + " answers with the run's " +
               std::to_string(singles_keys) + " metrics";
    all_ok &= report("get_run", v.expected, v.expected, wall, cpu, v);
  }
  return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_rest: %s\n", e.what());
    return 1;
  }
}
