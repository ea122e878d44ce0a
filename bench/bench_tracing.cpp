// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-tracing` (see bench/README.md):
//  (a) nanoseconds per span start+end on the caller's thread: a root span with one nested child,
//      each given an attribute (the root also inputs and outputs), as
//      bench/python/bench_tracing.py does with mlflow.start_span and with @mlflow.trace; each
//      root+child pair timed on its own, halved. Traces go to the real server's exporter as in
//      any program (its queue takes them; what it cannot hold is dropped, as Python's is).
//  (b) export throughput: traces of 5 spans recorded and flushed into the real server, spans/s
//      from the first span to the end of the drain, against the server's ceiling: the same
//      requests as the SDK made (as many OTLP requests, each carrying as many traces as the
//      SDK's did, recorded by a store wrapped around the real one; each followed by its traces'
//      StartTraceV3), for fresh traces of the same shape (captured from the SDK's own exporter
//      and encoder on a capturing store), posted raw by libcurl over as many keep-alive
//      connections as the exporter has senders. SDK, replay, replay, SDK (drift cancels), in
//      --cycles cycles; the median cycle is reported.
//  (c) memory of the exporter under a stalled server: traces recorded while every request
//      hangs; the queue's byte bound holds (dropped traces are counted) and the process's peak
//      RSS growth is printed.
//  (d) OTLP encoding (ADR 0021): encode time and body size per span of the same traces as
//      protobuf (what the exporter sends) and as OTLP JSON, one and twenty traces per request.
//
//   bench_tracing TRACKING_URI [--iterations N] [--traces N] [--cycles N] [--stall-traces N]
//   (defaults 20000 iterations, 100 traces per export round, 3 cycles, 150000 stalled traces)
//
// Prints human lines and BENCH_JSON lines for scripts/bench-tracing.sh.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "client/client_access.hpp"
#include "mlflow/fluent.hpp"
#include "mlflow/logging.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/trace_export.hpp"
#include "mlflow/tracing.hpp"
#include "rest/otlp_encoder.hpp"
#include "rest/trace_json_codec.hpp"
#include "store/trace_store.hpp"
#include "tracing/exporter.hpp"
#include "tracing/provider.hpp"

namespace {

using bench::Clock;
using bench::percentile;
using bench::seconds_since;
using bench::timer_overhead;
namespace tr = mlflow::internal::tracing;

// (a) A root with one nested child, each with an attribute.
void bench_spans(int iterations, std::int64_t overhead) {
  std::vector<std::int64_t> ns(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = Clock::now();
    {
      auto root = mlflow::start_span("request", mlflow::SpanType::kChain);
      root.set_inputs({{"i", i}});
      root.set_attribute("iteration", i);
      {
        auto child = mlflow::start_span("model", mlflow::SpanType::kLlm);
        child.set_attribute("index", i);
      }
      root.set_outputs({{"ok", true}});
    }
    const auto t1 = Clock::now();
    ns[static_cast<std::size_t>(i)] =
        (std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() - overhead) / 2;
  }
  const auto median = percentile(ns, 0.5);
  const auto p99 = percentile(ns, 0.99);
  std::printf(
      "span start+end (cpp start_span, nested, attributes): %d spans, median %lld ns, "
      "p99 %lld ns per span\n",
      2 * iterations, static_cast<long long>(median), static_cast<long long>(p99));
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"span\", \"spans\": %d, "
      "\"median_ns\": %lld, \"p99_ns\": %lld}\n",
      2 * iterations, static_cast<long long>(median), static_cast<long long>(p99));
  std::fflush(stdout);
}

// (b) One trace of 5 spans, as an LLM service records it.
void record_trace(int i) {
  auto root = mlflow::start_span("request", mlflow::SpanType::kChain);
  root.set_inputs({{"question", "q" + std::to_string(i)}});
  for (int c = 0; c < 4; ++c) {
    auto child = mlflow::start_span("step-" + std::to_string(c), mlflow::SpanType::kLlm);
    child.set_attribute("index", c);
  }
  root.set_outputs({{"answer", "a" + std::to_string(i)}});
}

struct Body {
  std::string path;
  std::string content_type;
  std::string experiment_id;  // the OTLP header, empty for StartTraceV3
  std::string body;
};

// One trace as the exporter sends it: its spans and its StartTraceV3 body.
struct CapturedTrace {
  std::string experiment_id;
  std::vector<mlflow::SpanData> spans;
  std::string start_trace_body;
};

// Keeps what the exporter would send, per trace, and sends nothing.
class CapturingStore : public mlflow::internal::TraceStore {
 public:
  std::mutex mutex;
  std::vector<std::string> order;  // trace ids, as first seen
  std::map<std::string, CapturedTrace> traces;

  mlflow::TraceInfo start_trace(const mlflow::TraceInfo& info) override {
    const nlohmann::json body = {
        {"trace", {{"trace_info", mlflow::internal::trace_json::encode_trace_info(info)}}}};
    std::lock_guard<std::mutex> lock(mutex);
    entry(info.trace_id).start_trace_body = body.dump();
    mlflow::TraceInfo stored = info;
    stored.tags[mlflow::TraceTagKey::kSpansLocation] = "TRACKING_STORE";
    return stored;
  }
  void log_spans(const std::string& experiment_id,
                 const std::vector<mlflow::SpanData>& spans) override {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& span : spans) {
      CapturedTrace& t = entry(span.trace_id);
      t.experiment_id = experiment_id;
      t.spans.push_back(span);
    }
  }

 private:
  CapturedTrace& entry(const std::string& trace_id) {
    auto [it, inserted] = traces.try_emplace(trace_id);
    if (inserted) order.push_back(trace_id);
    return it->second;
  }
};

// Fresh traces of the bench's shape, as the SDK's exporter would send them.
std::vector<CapturedTrace> capture_traces(int traces) {
  auto store = std::make_shared<CapturingStore>();
  auto exporter =
      std::make_shared<tr::TraceExporter>(store, mlflow::trace_export_options(), "capture");
  tr::set_exporter_for_tests(exporter);
  for (int i = 0; i < traces; ++i) record_trace(i);
  exporter->wait_until_drained(std::nullopt);
  tr::set_exporter_for_tests(nullptr);
  exporter->shutdown(Clock::now() + std::chrono::seconds(5));
  std::vector<CapturedTrace> out;
  for (const auto& id : store->order) out.push_back(std::move(store->traces[id]));
  return out;
}

// The real store, recording how many traces each OTLP request of the SDK carried.
class ShapeRecordingStore : public mlflow::internal::TraceStore {
 public:
  explicit ShapeRecordingStore(std::shared_ptr<mlflow::internal::TraceStore> inner)
      : inner_(std::move(inner)) {}
  std::mutex mutex;
  std::vector<std::size_t> traces_per_request;

  mlflow::TraceInfo start_trace(const mlflow::TraceInfo& info) override {
    return inner_->start_trace(info);
  }
  void log_spans(const std::string& experiment_id,
                 const std::vector<mlflow::SpanData>& spans) override {
    inner_->log_spans(experiment_id, spans);
    std::set<std::string> ids;
    for (const auto& s : spans) ids.insert(s.trace_id);
    std::lock_guard<std::mutex> lock(mutex);
    traces_per_request.push_back(ids.size());
  }
  void upload_trace_data(const mlflow::TraceInfo& info,
                         const std::vector<mlflow::SpanData>& spans) override {
    inner_->upload_trace_data(info, spans);
  }

 private:
  std::shared_ptr<mlflow::internal::TraceStore> inner_;
};

// The requests the SDK made, for `traces`: each OTLP request (protobuf, as the exporter sends)
// carrying as many traces as the SDK's did (`shape`), then those traces' StartTraceV3.
std::vector<Body> replay_bodies(const std::vector<CapturedTrace>& traces,
                                const std::vector<std::size_t>& shape) {
  std::vector<Body> bodies;
  std::size_t next = 0;
  for (std::size_t s = 0; next < traces.size(); ++s) {
    const std::size_t group =
        std::min(traces.size() - next, s < shape.size() ? std::max<std::size_t>(shape[s], 1) : 1);
    std::vector<mlflow::SpanData> spans;
    for (std::size_t i = next; i < next + group; ++i)
      spans.insert(spans.end(), traces[i].spans.begin(), traces[i].spans.end());
    bodies.push_back({"/v1/traces", "application/x-protobuf", traces[next].experiment_id,
                      mlflow::internal::otlp::encode_protobuf(spans)});
    for (std::size_t i = next; i < next + group; ++i) {
      bodies.push_back(
          {"/api/3.0/mlflow/traces", "application/json", "", traces[i].start_trace_body});
    }
    next += group;
  }
  return bodies;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

// The ceiling: `bodies` posted raw, `connections` keep-alive connections taking them in order.
double replay(const std::string& uri, const std::vector<Body>& bodies, int connections, bool& ok) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> all_ok{true};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      CURL* curl = curl_easy_init();
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
      for (std::size_t i = next++; i < bodies.size(); i = next++) {
        const Body& b = bodies[i];
        curl_slist* headers =
            curl_slist_append(nullptr, ("Content-Type: " + b.content_type).c_str());
        if (!b.experiment_id.empty()) {
          headers =
              curl_slist_append(headers, ("x-mlflow-experiment-id: " + b.experiment_id).c_str());
        }
        const std::string url = uri + b.path;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, b.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(b.body.size()));
        long status = 0;
        if (curl_easy_perform(curl) != CURLE_OK ||
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200) {
          all_ok = false;
        }
        curl_slist_free_all(headers);
      }
      curl_easy_cleanup(curl);
    });
  }
  for (auto& t : threads) t.join();
  const double s = seconds_since(start);
  ok = all_ok.load();
  return s;
}

// The exporter a program gets for `uri` (its client's trace-export store, the default options),
// made afresh so that what (a) queued is not in the way; its store records the SDK's batches.
std::shared_ptr<tr::TraceExporter> real_exporter(const std::string& uri,
                                                 std::shared_ptr<ShapeRecordingStore>& shape) {
  const mlflow::MlflowClient client(uri);
  shape = std::make_shared<ShapeRecordingStore>(
      mlflow::MlflowClient::Access::impl(client)->trace_export());
  return std::make_shared<tr::TraceExporter>(shape, mlflow::trace_export_options(), uri);
}

double sdk_round(tr::TraceExporter& exporter, int traces, bool& ok) {
  const auto before = exporter.stats();
  const auto start = Clock::now();
  for (int i = 0; i < traces; ++i) record_trace(i);
  ok = exporter.wait_until_drained(Clock::now() + std::chrono::minutes(10)) == 0;
  const double s = seconds_since(start);
  const auto after = exporter.stats();
  ok = ok && after.exported_traces - before.exported_traces == static_cast<std::uint64_t>(traces);
  return s;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// (b) `cycles` times SDK, replay, replay, SDK (drift cancels); the median of the cycles.
void bench_export(const std::string& uri, int traces, int cycles) {
  std::shared_ptr<ShapeRecordingStore> shape;
  auto exporter = real_exporter(uri, shape);
  const int workers = mlflow::trace_export_options().max_workers;
  std::vector<double> sdk_rates, replay_rates, fractions;
  bool all_ok = true;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    double sdk_s = 0, replay_s = 0;
    for (int half = 0; half < 4; ++half) {
      bool ok = false;
      if (half == 0 || half == 3) {
        {
          std::lock_guard<std::mutex> lock(shape->mutex);
          shape->traces_per_request.clear();
        }
        tr::set_exporter_for_tests(exporter);
        const double s = sdk_round(*exporter, traces, ok);
        tr::set_exporter_for_tests(nullptr);
        sdk_s += s;
        std::printf("sdk export: %d traces (%d spans) in %.2f s = %.0f spans/s%s\n", traces,
                    5 * traces, s, 5 * traces / s, ok ? "" : " (NOT ALL DELIVERED)");
      } else {
        std::vector<std::size_t> sdk_shape;
        {
          std::lock_guard<std::mutex> lock(shape->mutex);
          sdk_shape = shape->traces_per_request;
        }
        const std::vector<Body> bodies = replay_bodies(capture_traces(traces), sdk_shape);
        const double s = replay(uri, bodies, workers, ok);
        replay_s += s;
        std::printf(
            "raw replay: %zu requests (%d spans, %zu OTLP as the SDK's) in %.2f s = "
            "%.0f spans/s%s\n",
            bodies.size(), 5 * traces, sdk_shape.size(), s, 5 * traces / s, ok ? "" : " (ERRORS)");
      }
      std::fflush(stdout);
      all_ok = all_ok && ok;
    }
    sdk_rates.push_back(2 * 5 * traces / sdk_s);
    replay_rates.push_back(2 * 5 * traces / replay_s);
    fractions.push_back(replay_s / sdk_s);
    std::printf("cycle %d: sdk %.1f spans/s, replay %.1f spans/s, fraction %.3f\n", cycle + 1,
                sdk_rates.back(), replay_rates.back(), fractions.back());
  }
  std::string list;
  for (double f : fractions) list += (list.empty() ? "" : ", ") + std::to_string(f);
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"export\", \"traces\": %d, "
      "\"cycles\": %d, \"workers\": %d, \"sdk_spans_per_s\": %.1f, "
      "\"ceiling_spans_per_s\": %.1f, \"fractions\": [%s], \"fraction\": %.3f, "
      "\"verified\": %s}\n",
      4 * traces * cycles, cycles, workers, median_of(sdk_rates), median_of(replay_rates),
      list.c_str(), median_of(fractions), all_ok ? "true" : "false");
  std::fflush(stdout);
}

// (d) OTLP body encoding, protobuf (what the exporter sends) against the OTLP JSON mapping,
// for the same traces, one request per trace (5 spans) and one per 20 traces (100 spans).
void bench_encoding(int traces) {
  const std::vector<CapturedTrace> captured = capture_traces(traces);
  std::size_t spans = 0;
  for (const auto& t : captured) spans += t.spans.size();
  for (const std::size_t per_request : {std::size_t{1}, std::size_t{20}}) {
    std::vector<std::vector<mlflow::SpanData>> requests;
    for (std::size_t i = 0; i < captured.size(); i += per_request) {
      requests.emplace_back();
      for (std::size_t j = i; j < std::min(captured.size(), i + per_request); ++j) {
        requests.back().insert(requests.back().end(), captured[j].spans.begin(),
                               captured[j].spans.end());
      }
    }
    for (const bool json : {false, true}) {
      std::vector<std::int64_t> ns;
      std::size_t bytes = 0;
      for (int round = 0; round < 7; ++round) {
        bytes = 0;
        const auto t0 = Clock::now();
        for (const auto& r : requests) {
          bytes += (json ? mlflow::internal::otlp::encode_json(r)
                         : mlflow::internal::otlp::encode_protobuf(r))
                       .size();
        }
        ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
      }
      const double per_span = static_cast<double>(percentile(ns, 0.5)) / spans;
      const char* name = json ? "json" : "protobuf";
      std::printf("otlp encoding %s, %zu trace(s) per request: %.0f ns and %.0f bytes per span\n",
                  name, per_request, per_span, static_cast<double>(bytes) / spans);
      std::printf(
          "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"encoding\", \"encoding\": \"%s\", "
          "\"traces_per_request\": %zu, \"spans\": %zu, \"ns_per_span\": %.1f, "
          "\"bytes_per_span\": %.1f}\n",
          name, per_request, spans, per_span, static_cast<double>(bytes) / spans);
    }
  }
  std::fflush(stdout);
}

// (c) Every request hangs until released.
class StalledStore : public mlflow::internal::TraceStore {
 public:
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  void wait() {
    std::unique_lock<std::mutex> lock(mutex);
    released_cv.wait(lock, [&] { return released; });
  }
  mlflow::TraceInfo start_trace(const mlflow::TraceInfo& info) override {
    wait();
    return info;
  }
  void log_spans(const std::string&, const std::vector<mlflow::SpanData>&) override { wait(); }
};

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

void bench_stalled(int traces) {
  auto store = std::make_shared<StalledStore>();
  const mlflow::TraceExportOptions options = mlflow::trace_export_options();  // the defaults
  auto exporter = std::make_shared<tr::TraceExporter>(store, options, "stalled");
  tr::set_exporter_for_tests(exporter);
  const long rss_before = peak_rss_kb();
  for (int i = 0; i < traces; ++i) record_trace(i);
  const long rss_after = peak_rss_kb();
  const auto stats = exporter->stats();
  tr::set_exporter_for_tests(nullptr);
  std::printf(
      "stalled server: %d traces of 5 spans recorded; queue held %zu traces, peak %.1f MB "
      "(bound %.0f MB / %zu traces), %llu dropped and reported; peak RSS grew %.1f MB\n",
      traces, stats.queued_traces, stats.peak_queued_bytes / 1048576.0,
      options.max_queue_bytes / 1048576.0, options.max_queue_traces,
      static_cast<unsigned long long>(stats.dropped_traces), (rss_after - rss_before) / 1024.0);
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"stalled\", \"traces\": %d, "
      "\"queued_traces\": %zu, \"peak_queue_mb\": %.1f, \"bound_mb\": %.0f, "
      "\"dropped\": %llu, \"rss_growth_mb\": %.1f}\n",
      traces, stats.queued_traces, stats.peak_queued_bytes / 1048576.0,
      options.max_queue_bytes / 1048576.0, static_cast<unsigned long long>(stats.dropped_traces),
      (rss_after - rss_before) / 1024.0);
  std::fflush(stdout);
  {
    std::lock_guard<std::mutex> lock(store->mutex);
    store->released = true;
  }
  store->released_cv.notify_all();
  // Drained before it goes: a sender detached at a shutdown deadline must not outlive it.
  exporter->wait_until_drained(std::nullopt);
  exporter->shutdown(Clock::now() + std::chrono::seconds(5));
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = bench::parse_args(
      argc, argv, "bench_tracing",
      {{"iterations", 20000}, {"traces", 100}, {"cycles", 3}, {"stall-traces", 150000}});
  if (!args) return 2;
  const std::string& uri = args->uri;
  const int iterations = (*args)["iterations"], traces = (*args)["traces"],
            cycles = (*args)["cycles"], stall_traces = (*args)["stall-traces"];
  try {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mlflow::set_tracking_uri(uri);
    mlflow::set_experiment("bench-tracing-cpp-" + std::to_string(std::time(nullptr)));
    // (a) Warm-up (the exporter, its senders and connections), then the measured spans.
    record_trace(0);
    mlflow::flush_trace_async_logging(std::chrono::seconds(60));
    bench_spans(iterations, timer_overhead());
    // What (a) queued is not part of (b): given up at once (reported, not sent).
    mlflow::set_log_handler([](mlflow::LogLevel, const std::string&) {}, mlflow::LogLevel::kError);
    mlflow::flush_trace_async_logging(std::chrono::milliseconds(0), /*terminate=*/true);
    mlflow::set_experiment("bench-tracing-export-" + std::to_string(std::time(nullptr)));
    bench_export(uri, traces, cycles);
    bench_encoding(200);
    // (c)
    bench_stalled(stall_traces);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tracing: %s\n", e.what());
    return 1;
  }
  // Leave without the exit flush of what (a) left queued.
  std::fflush(stdout);
  std::_Exit(0);
}
