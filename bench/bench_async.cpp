// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-async` (see bench/README.md):
//  (a) nanoseconds per asynchronous log_metric call on the caller's thread: the fluent
//      mlflow::log_metric(key, v, {.step, .synchronous=false}) as Python's
//      mlflow.log_metric(key, v, step=i, synchronous=False), each call timed on its own; also
//      with 8 threads logging at once, each to its own fluent run (and through one shared
//      MlflowClient), to show that the threads do not serialise on a lock;
//  (b) end-to-end points/s of asynchronous logging into the real server (first call to the
//      end of flush_async_logging) against the server's own ceiling: the same points as
//      log-batch request bodies of 1,000 (the most the worker ever sends) made by the SDK's
//      own JSON writer, replayed raw over one keep-alive HTTP connection.
//
//   bench_async TRACKING_URI [--calls N] [--points N] [--keys N] [--rounds N] [--threads N]
//   (defaults 50000 calls, by 8 threads in the threaded rows; 4 rounds of 25000 points over 10
//   keys for each of SDK and replay)
//
// Prints human lines and BENCH_JSON lines for scripts/bench-async.sh.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/mlflow_client.hpp"
#include "rest/json_writer.hpp"

namespace {

constexpr std::int64_t kBaseTsMs = 1700000000000;
using bench::Clock;
using bench::percentile;
using bench::seconds_since;
using bench::timer_overhead;  // (a) subtracted from each call's steady_clock pair

void bench_call(int calls, std::int64_t overhead) {
  mlflow::ActiveRun run = mlflow::start_run();
  mlflow::LogMetricOptions options;
  options.synchronous = false;
  mlflow::log_metric("warmup", 0.0, options);  // creates the logger, its thread and slot
  mlflow::flush_async_logging();

  std::vector<std::int64_t> ns(static_cast<std::size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    options.step = i;
    const auto t0 = Clock::now();
    mlflow::log_metric("loss", 0.001 * i, options);
    const auto t1 = Clock::now();
    ns[static_cast<std::size_t>(i)] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() - overhead;
  }
  const auto drain_start = Clock::now();
  mlflow::flush_async_logging();
  const double drain_s = seconds_since(drain_start);
  const std::int64_t median = percentile(ns, 0.5);
  const std::int64_t p99 = percentile(ns, 0.99);
  const std::size_t stored = mlflow::MlflowClient(mlflow::get_tracking_uri())
                                 .get_metric_history(run.run_id(), "loss")
                                 .size();
  std::printf(
      "async log_metric call (fluent): %d calls, median %lld ns, p99 %lld ns "
      "(timer overhead %lld ns subtracted); drain %.2f s; stored %zu/%d\n",
      calls, static_cast<long long>(median), static_cast<long long>(p99),
      static_cast<long long>(overhead), drain_s, stored, calls);
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"async_call\", \"calls\": %d, "
      "\"median_ns\": %lld, \"p99_ns\": %lld, \"verified\": %s}\n",
      calls, static_cast<long long>(median), static_cast<long long>(p99),
      stored == static_cast<std::size_t>(calls) ? "true" : "false");
  std::fflush(stdout);
}

// (a') The same through MlflowClient::log_metric (no fluent run-stack lookup): the logger's
// own cost on the caller's thread.
void bench_client_call(const std::string& uri, int calls, std::int64_t overhead) {
  mlflow::MlflowClient client(uri);
  const std::string exp =
      client.create_experiment("bench-async-client-" + std::to_string(std::time(nullptr)));
  const std::string run_id = client.create_run(exp).info.run_id;
  mlflow::LogMetricOptions options;
  options.synchronous = false;
  client.log_metric(run_id, "warmup", 0.0, options);
  client.flush_async_logging();
  std::vector<std::int64_t> ns(static_cast<std::size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    options.step = i;
    const auto t0 = Clock::now();
    client.log_metric(run_id, "loss", 0.001 * i, options);
    const auto t1 = Clock::now();
    ns[static_cast<std::size_t>(i)] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() - overhead;
  }
  client.flush_async_logging();
  const std::size_t stored = client.get_metric_history(run_id, "loss").size();
  std::printf(
      "async log_metric call (MlflowClient): %d calls, median %lld ns, p99 %lld ns; "
      "stored %zu/%d\n",
      calls, static_cast<long long>(percentile(ns, 0.5)),
      static_cast<long long>(percentile(ns, 0.99)), stored, calls);
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"async_call_client\", "
      "\"calls\": %d, \"median_ns\": %lld, \"p99_ns\": %lld, \"verified\": %s}\n",
      calls, static_cast<long long>(percentile(ns, 0.5)),
      static_cast<long long>(percentile(ns, 0.99)),
      stored == static_cast<std::size_t>(calls) ? "true" : "false");
  std::fflush(stdout);
}

// (a'') `threads` threads log `calls` points in all at the same time, each to its own run
// (fluent: each thread's own active run, as Python's per-thread run stack; client: one shared
// MlflowClient, a run per thread). Each call is timed alone; the median and p99 are over every
// call of every thread, and calls/s is the total over the wall time from the common start to
// the last thread's end (the worker sends meanwhile; the flush is outside the clock).
void bench_threads(const std::string& uri, bool fluent, int threads, int calls,
                   std::int64_t overhead) {
  const int per_thread = std::max(1, calls / threads);
  mlflow::MlflowClient client(uri);
  const std::string exp = client.create_experiment(std::string("bench-async-threads-") +
                                                   (fluent ? "fluent-" : "client-") +
                                                   std::to_string(std::time(nullptr)));
  std::vector<std::string> run_ids(static_cast<std::size_t>(threads));
  std::vector<std::vector<std::int64_t>> ns(static_cast<std::size_t>(threads));
  std::vector<Clock::time_point> done(static_cast<std::size_t>(threads));
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point start;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto& mine = ns[static_cast<std::size_t>(t)];
      mine.resize(static_cast<std::size_t>(per_thread));
      mlflow::LogMetricOptions options;
      options.synchronous = false;
      std::optional<mlflow::ActiveRun> run;
      std::string run_id;
      if (fluent) {
        run.emplace(mlflow::start_run(mlflow::StartRunOptions{}));
        run_id = run->run_id();
        mlflow::log_metric("warmup", 0.0, options);  // this thread's queue slot exists
      } else {
        run_id = client.create_run(exp).info.run_id;
        client.log_metric(run_id, "warmup", 0.0, options);
      }
      run_ids[static_cast<std::size_t>(t)] = run_id;
      ++ready;
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < per_thread; ++i) {
        options.step = i;
        const auto t0 = Clock::now();
        if (fluent) {
          mlflow::log_metric("loss", 0.001 * i, options);
        } else {
          client.log_metric(run_id, "loss", 0.001 * i, options);
        }
        const auto t1 = Clock::now();
        mine[static_cast<std::size_t>(i)] =
            std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() - overhead;
      }
      done[static_cast<std::size_t>(t)] = Clock::now();
      run.reset();  // ends this thread's run (draining the queue), outside the clock
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  start = Clock::now();
  go.store(true);
  for (auto& th : pool) th.join();
  const double wall =
      std::chrono::duration<double>(*std::max_element(done.begin(), done.end()) - start).count();
  mlflow::flush_async_logging();
  std::vector<std::int64_t> all;
  for (const auto& v : ns) all.insert(all.end(), v.begin(), v.end());
  std::size_t stored = 0;
  for (const std::string& id : run_ids) {
    stored += client.get_metric_history(id, "loss").size();
    if (!fluent) client.set_terminated(id);
  }
  const int total = per_thread * threads;
  const std::int64_t median = percentile(all, 0.5);
  const std::int64_t p99 = percentile(all, 0.99);
  const char* name = fluent ? "fluent" : "MlflowClient";
  std::printf(
      "async log_metric call, %d threads (%s): %d calls, median %lld ns, p99 %lld ns, "
      "%.0f calls/s in all; stored %zu/%d\n",
      threads, name, total, static_cast<long long>(median), static_cast<long long>(p99),
      total / wall, stored, total);
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"%s\", \"threads\": %d, "
      "\"calls\": %d, \"median_ns\": %lld, \"p99_ns\": %lld, \"calls_per_s\": %.0f, "
      "\"verified\": %s}\n",
      fluent ? "async_call_threads" : "async_call_client_threads", threads, total,
      static_cast<long long>(median), static_cast<long long>(p99), total / wall,
      stored == static_cast<std::size_t>(total) ? "true" : "false");
  std::fflush(stdout);
}

std::vector<mlflow::Metric> make_points(int points, int keys) {
  std::vector<mlflow::Metric> out;
  out.reserve(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) {
    mlflow::Metric m;
    m.key = "m" + std::to_string(i % keys);
    m.step = i / keys;
    m.value = 0.5 * i;
    m.timestamp = kBaseTsMs + m.step;
    out.push_back(std::move(m));
  }
  return out;
}

// (b) The SDK: log every point asynchronously, then flush; wall time from the first call.
double bench_end_to_end(const std::string& uri, const std::string& experiment_id, int points,
                        int keys, bool& verified) {
  mlflow::MlflowClient client(uri);
  const std::string run_id = client.create_run(experiment_id).info.run_id;
  mlflow::AsyncLoggingOptions async_options;
  async_options.queue_capacity = static_cast<std::size_t>(points);
  client.set_async_logging_options(async_options);
  client.log_metric(run_id, "warmup", 0.0, {std::nullopt, 0, {}, {}, {}, false});
  client.flush_async_logging();
  const std::vector<mlflow::Metric> data = make_points(points, keys);
  mlflow::LogMetricOptions options;
  options.synchronous = false;
  const auto start = Clock::now();
  for (const mlflow::Metric& m : data) {
    options.step = m.step;
    options.timestamp = m.timestamp;
    client.log_metric(run_id, m.key, m.value, options);
  }
  client.flush_async_logging();
  const double wall = seconds_since(start);
  std::size_t stored = 0;
  for (int k = 0; k < keys; ++k) {
    stored += client.get_metric_history(run_id, "m" + std::to_string(k)).size();
  }
  verified = stored == static_cast<std::size_t>(points);
  const mlflow::AsyncLoggingStats stats = client.async_logging_stats();
  std::printf(
      "end-to-end (SDK async): %d points in %.3f s = %.0f points/s, %llu requests, "
      "stored %zu/%d\n",
      points, wall, points / wall, static_cast<unsigned long long>(stats.requests - 1), stored,
      points);
  return points / wall;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

// (b) The ceiling: the same points, 1,000 per body, posted raw on one keep-alive connection.
double bench_ceiling(const std::string& uri, const std::string& experiment_id, int points, int keys,
                     bool& ok) {
  mlflow::MlflowClient client(uri);
  const std::string run_id = client.create_run(experiment_id).info.run_id;
  const std::vector<mlflow::Metric> data = make_points(points, keys);
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < data.size(); i += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, data.size() - i);
    bodies.push_back(mlflow::internal::json_writer::log_batch_body(
        run_id, mlflow::internal::Span<mlflow::Metric>(data.data() + i, n), {}, {}));
  }
  CURL* curl = curl_easy_init();
  const std::string url = uri + "/api/2.0/mlflow/runs/log-batch";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  ok = true;
  const auto start = Clock::now();
  for (const std::string& body : bodies) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    long status = 0;
    if (curl_easy_perform(curl) != CURLE_OK ||
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200) {
      ok = false;
    }
  }
  const double wall = seconds_since(start);
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  std::printf("ceiling (raw replay): %d points in %.3f s = %.0f points/s, %zu requests%s\n", points,
              wall, points / wall, bodies.size(), ok ? "" : " (SOME FAILED)");
  return points / wall;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = bench::parse_args(
      argc, argv, "bench_async",
      {{"calls", 50000}, {"points", 25000}, {"keys", 10}, {"rounds", 4}, {"threads", 8}});
  if (!args) return 2;
  const std::string& uri = args->uri;
  const int calls = (*args)["calls"], points = (*args)["points"], keys = (*args)["keys"],
            rounds = (*args)["rounds"], threads = (*args)["threads"];
  try {
    mlflow::set_tracking_uri(uri);
    mlflow::set_experiment("bench-async-cpp-" + std::to_string(std::time(nullptr)));
    const std::int64_t overhead = timer_overhead();
    bench_call(calls, overhead);
    bench_client_call(uri, calls, overhead);
    bench_threads(uri, /*fluent=*/true, threads, calls, overhead);
    bench_threads(uri, /*fluent=*/false, threads, calls, overhead);

    mlflow::MlflowClient client(uri);
    const std::string exp =
        client.create_experiment("bench-async-e2e-" + std::to_string(std::time(nullptr)));
    // The server's speed drifts (its database grows, other load comes and goes), so the SDK
    // and the replay alternate in ABBA order over `rounds` rounds and are compared on their
    // totals.
    double sdk_points = 0, sdk_s = 0, ceil_points = 0, ceil_s = 0;
    bool all_ok = true;
    for (int r = 0; r < rounds; ++r) {
      for (int half = 0; half < 2; ++half) {
        const bool sdk_now = (half == 0) == (r % 2 == 1);
        bool ok = false;
        if (sdk_now) {
          const double rate = bench_end_to_end(uri, exp, points, keys, ok);
          sdk_points += points;
          sdk_s += points / rate;
        } else {
          const double rate = bench_ceiling(uri, exp, points, keys, ok);
          ceil_points += points;
          ceil_s += points / rate;
        }
        all_ok = all_ok && ok;
      }
    }
    std::printf(
        "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"end_to_end\", \"points\": %d, "
        "\"rounds\": %d, \"sdk_points_per_s\": %.1f, \"ceiling_points_per_s\": %.1f, "
        "\"verified\": %s}\n",
        points, rounds, sdk_points / sdk_s, ceil_points / ceil_s, all_ok ? "true" : "false");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_async: %s\n", e.what());
    return 1;
  }
  return 0;
}
