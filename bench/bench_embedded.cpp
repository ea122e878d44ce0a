// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-embedded` (see bench/README.md, section bench-embedded). Modes:
//
//   bench_embedded ingest-cpp DB [--keys N] [--steps N] [--batch N] [--order step|key]
//                             [--prefix N]
//       logs keys x steps metric points into a fresh DB through MlflowClient::log_batch,
//       one call (= one transaction) per --batch points; also reports the rate over the first
//       --prefix points (what the Python bench logs).
//   bench_embedded ingest-raw DB (same options)
//       the floor: the same rows, inserted with the sqlite3 C API into the MLflow schema that
//       mlflow-cpp created (prepared INSERTs into metrics, the latest_metrics upsert), one
//       transaction per --batch points.
//   bench_embedded search-setup DB [--runs N]
//       creates N runs, each with the metric `acc` and the param `lr`, in experiment "search".
//   bench_embedded search DB EXPERIMENT_ID IDS_PREFIX [--reps N]
//       times search_runs (first page, and all pages) with a metric filter and order; writes
//       the run ids it returned to IDS_PREFIX.first and IDS_PREFIX.all.
//
// Each mode prints human text plus one machine-readable line:
//   BENCH_JSON {"mode":...,...}
// The workload (point order, values, timestamps, acc values, filter) must stay identical to
// bench/python/bench_embedded.py, or the ratios printed by scripts/bench-embedded.sh mean nothing.

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/metric.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/param.hpp"
#include "mlflow/run.hpp"
#include "mlflow/tracking_options.hpp"

namespace {

// Fixed timestamps, so the Python bench writes the very same rows.
constexpr std::int64_t kBaseTsMs = 1700000000000;

using bench::Clock;
using bench::seconds_since;

struct Args {
  std::vector<std::string> positional;
  int keys = 1000;
  int steps = 1000;
  int batch = 1000;
  int runs = 10000;
  int reps = 5;
  std::int64_t prefix = 50000;
  bool key_major = false;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next_int = [&]() {
      if (i + 1 >= argc) throw std::invalid_argument("missing value after " + arg);
      const int v = std::atoi(argv[++i]);
      if (v <= 0) throw std::invalid_argument("bad value for " + arg);
      return v;
    };
    // The options that take a count.
    static const std::pair<const char*, int Args::*> kCounts[] = {{"--keys", &Args::keys},
                                                                  {"--steps", &Args::steps},
                                                                  {"--batch", &Args::batch},
                                                                  {"--runs", &Args::runs},
                                                                  {"--reps", &Args::reps}};
    const auto count = std::find_if(std::begin(kCounts), std::end(kCounts),
                                    [&](const auto& option) { return arg == option.first; });
    if (count != std::end(kCounts)) {
      a.*(count->second) = next_int();
    } else if (arg == "--prefix") {
      a.prefix = next_int();
    } else if (arg == "--order") {
      const std::string v = i + 1 < argc ? argv[++i] : "";
      if (v != "step" && v != "key") throw std::invalid_argument("--order takes step or key");
      a.key_major = v == "key";
    } else if (arg.rfind("--", 0) == 0) {
      throw std::invalid_argument("unknown option " + arg);
    } else {
      a.positional.push_back(arg);
    }
  }
  return a;
}

std::string key_name(int k) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "m%04d", k);
  return buf;
}

// The key index and step of point i. Step-major (the default) is a training loop that logs
// every metric at each step: point i is key i % keys at step i / keys, so each 1000-point
// batch touches 1000 keys. Key-major logs one key's steps after another: point i is key
// i / steps at step i % steps.
std::pair<std::int64_t, std::int64_t> key_step(const Args& a, std::int64_t i) {
  if (a.key_major) return {i / a.steps, i % a.steps};
  return {i % a.keys, i / a.keys};
}

// Batch b holds points [b*batch, (b+1)*batch).
void fill_batch(const Args& a, const std::vector<std::string>& keys, std::int64_t first,
                std::int64_t count, std::vector<mlflow::Metric>& out) {
  out.resize(static_cast<std::size_t>(count));
  for (std::int64_t j = 0; j < count; ++j) {
    const auto [k, s] = key_step(a, first + j);
    mlflow::Metric& m = out[static_cast<std::size_t>(j)];
    m.key = keys[static_cast<std::size_t>(k)];
    m.value = static_cast<double>(k) + static_cast<double>(s) * 1e-3;
    m.timestamp = kBaseTsMs + s;
    m.step = s;
  }
}

// ---- raw sqlite3 helpers (the floor and the verification) ---------------------------------

[[noreturn]] void sqlite_fail(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = std::string(sql) + ": " + (err != nullptr ? err : "?");
    sqlite3_free(err);
    throw std::runtime_error(msg);
  }
}

// Binds a point's key, value and timestamp as parameters 1-3 and its step as `step_param`: the
// floor's INSERT and UPDATE place the step differently.
void bind_metric(sqlite3_stmt* s, const mlflow::Metric& m, int step_param) {
  sqlite3_bind_text(s, 1, m.key.data(), static_cast<int>(m.key.size()), SQLITE_STATIC);
  sqlite3_bind_double(s, 2, m.value);
  sqlite3_bind_int64(s, 3, m.timestamp);
  sqlite3_bind_int64(s, step_param, m.step);
}

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + msg);
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  sqlite3* get() const { return db_; }

  std::int64_t scalar_int(const std::string& sql, const std::string& bind_text = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      sqlite_fail(db_, "prepare");
    }
    if (!bind_text.empty()) sqlite3_bind_text(st, 1, bind_text.c_str(), -1, SQLITE_TRANSIENT);
    std::int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }
  std::string scalar_text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      sqlite_fail(db_, "prepare");
    }
    std::string v;
    if (sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = sqlite3_column_text(st, 0);
      if (p != nullptr) v = reinterpret_cast<const char*>(p);
    }
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK) {
      sqlite_fail(db, "prepare");
    }
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return st_; }
  void run() {
    if (sqlite3_step(st_) != SQLITE_DONE) sqlite_fail(db_, "step");
    sqlite3_reset(st_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// What a broken path could not fake: the row counts and every key's latest step.
struct Verification {
  std::int64_t metrics_rows = 0;
  std::int64_t latest_rows = 0;
  bool ok = false;
};

Verification verify_ingest(const std::string& path, const std::string& run_id, const Args& a,
                           std::int64_t points) {
  RawDb db(path);
  Verification v;
  v.metrics_rows = db.scalar_int("SELECT COUNT(*) FROM metrics WHERE run_uuid = ?", run_id);
  v.latest_rows = db.scalar_int("SELECT COUNT(*) FROM latest_metrics WHERE run_uuid = ?", run_id);
  const std::int64_t step_sum =
      db.scalar_int("SELECT SUM(step) FROM latest_metrics WHERE run_uuid = ?", run_id);
  // Each key's latest point is its greatest step (values and timestamps grow with the step).
  std::vector<std::int64_t> last(static_cast<std::size_t>(a.keys), -1);
  for (std::int64_t i = 0; i < points; ++i) {
    const auto [k, s] = key_step(a, i);
    last[static_cast<std::size_t>(k)] = std::max(last[static_cast<std::size_t>(k)], s);
  }
  std::int64_t expected_rows = 0, expected_sum = 0;
  for (const std::int64_t s : last) {
    if (s < 0) continue;
    ++expected_rows;
    expected_sum += s;
  }
  v.ok = v.metrics_rows == points && v.latest_rows == expected_rows && step_sum == expected_sum;
  return v;
}

std::string journal_mode(const std::string& path) {
  RawDb db(path);
  return db.scalar_text("PRAGMA journal_mode");
}

// Makes a fresh DB through mlflow-cpp (its schema, its pragmas) with one experiment and run.
std::string make_db_with_run(const std::string& path) {
  mlflow::MlflowClient client("sqlite:///" + path);
  const std::string exp = client.create_experiment("ingest");
  mlflow::CreateRunOptions ro;
  ro.start_time = kBaseTsMs;
  return client.create_run(exp, ro).info.run_id;
}

// Elapsed time after each transaction. Gives the rate over the Python bench's prefix (the same
// points into a table of the same size: the rate falls as the indexes outgrow the caches) and
// the rate in each tenth of the run.
struct Timeline {
  Clock::time_point t0 = Clock::now();
  std::vector<std::pair<std::int64_t, double>> marks;  // (points so far, seconds so far)
  void mark(std::int64_t points) { marks.emplace_back(points, seconds_since(t0)); }
  // Seconds at the first transaction that reached `points` (points may then be a bit more).
  std::pair<std::int64_t, double> at(std::int64_t points) const {
    for (const auto& m : marks) {
      if (m.first >= points) return m;
    }
    return marks.empty() ? std::make_pair(std::int64_t{0}, 0.0) : marks.back();
  }
};

double rate(std::int64_t points, double seconds) {
  return seconds > 0 ? static_cast<double>(points) / seconds : 0.0;
}

void print_ingest(const char* mode, const std::string& path, const std::string& run_id,
                  const Args& a, const Timeline& tl) {
  const auto [points, wall] = tl.marks.back();
  const auto calls = static_cast<long long>(tl.marks.size());
  const Verification v = verify_ingest(path, run_id, a, points);
  const double pps = rate(points, wall);
  const auto [pre_points, pre_wall] = tl.at(a.prefix);
  const double pre_pps = rate(pre_points, pre_wall);
  std::string tenths;
  std::pair<std::int64_t, double> prev{0, 0.0};
  for (int j = 1; j <= 10; ++j) {
    const auto cur = tl.at(points * j / 10);
    if (cur.first <= prev.first) continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.0f", tenths.empty() ? "" : ",",
                  rate(cur.first - prev.first, cur.second - prev.second));
    tenths += buf;
    prev = cur;
  }
  const std::string jm = journal_mode(path);
  std::printf(
      "%s: %lld points in %lld transactions of %d (%s-major): %.3f s, %.0f points/s "
      "(journal %s)\n",
      mode, static_cast<long long>(points), calls, a.batch, a.key_major ? "key" : "step", wall, pps,
      jm.c_str());
  std::printf("%s: first %lld points %.0f points/s; points/s by tenth of the run: %s\n", mode,
              static_cast<long long>(pre_points), pre_pps, tenths.c_str());
  std::printf("%s: verify metrics rows %lld/%lld, latest_metrics rows %lld: %s\n", mode,
              static_cast<long long>(v.metrics_rows), static_cast<long long>(points),
              static_cast<long long>(v.latest_rows), v.ok ? "OK" : "FAILED");
  std::printf(
      "BENCH_JSON {\"mode\":\"%s\",\"points\":%lld,\"transactions\":%lld,\"batch\":%d,"
      "\"order\":\"%s\",\"wall_s\":%.6f,\"points_per_s\":%.3f,\"prefix_points\":%lld,"
      "\"prefix_points_per_s\":%.3f,\"tenths_points_per_s\":[%s],\"verified_rows\":%lld,"
      "\"verified\":%s,\"journal_mode\":\"%s\"}\n",
      mode, static_cast<long long>(points), calls, a.batch, a.key_major ? "key" : "step", wall, pps,
      static_cast<long long>(pre_points), pre_pps, tenths.c_str(),
      static_cast<long long>(v.metrics_rows), v.ok ? "true" : "false", jm.c_str());
  std::fflush(stdout);
  if (!v.ok) throw std::runtime_error(std::string(mode) + ": verification failed");
}

std::vector<std::string> make_keys(int n) {
  std::vector<std::string> keys;
  keys.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) keys.push_back(key_name(k));
  return keys;
}

int ingest_cpp(const Args& a) {
  const std::string path = a.positional.at(0);
  const std::string run_id = make_db_with_run(path);
  const std::vector<std::string> keys = make_keys(a.keys);
  const std::int64_t points = static_cast<std::int64_t>(a.keys) * a.steps;

  mlflow::MlflowClient client("sqlite:///" + path);
  // Warm-up outside the timing (opens the connection, prepares the statements); it logs to
  // another run so the verified counts stay exact.
  {
    const std::string exp = client.create_experiment("warmup");
    const std::string warm = client.create_run(exp).info.run_id;
    client.log_batch(warm, {mlflow::Metric{"w", 1.0, kBaseTsMs, 0}});
  }
  std::vector<mlflow::Metric> batch;
  Timeline tl;
  for (std::int64_t first = 0; first < points; first += a.batch) {
    fill_batch(a, keys, first, std::min<std::int64_t>(a.batch, points - first), batch);
    client.log_batch(run_id, batch);
    tl.mark(first + static_cast<std::int64_t>(batch.size()));
  }
  print_ingest("ingest-cpp", path, run_id, a, tl);
  return 0;
}

// The floor: what the same rows cost through the bare C API, with the semantics MLflow's
// log_batch needs for metrics (exact duplicates ignored; latest_metrics keeps the greatest
// (step, timestamp, value) per key) and the same connection settings as mlflow-cpp's store.
int ingest_raw(const Args& a) {
  const std::string path = a.positional.at(0);
  const std::string run_id = make_db_with_run(path);  // the client is closed again here
  const std::vector<std::string> keys = make_keys(a.keys);
  const std::int64_t points = static_cast<std::int64_t>(a.keys) * a.steps;

  RawDb db(path);
  // Same settings as the store's connection, so the floor pays the same durability cost.
  sqlite3_busy_timeout(db.get(), 20000);
  exec(db.get(), "PRAGMA journal_mode = WAL");
  exec(db.get(), "PRAGMA foreign_keys = ON");
  exec(db.get(), "PRAGMA case_sensitive_like = ON");
  Stmt ins(db.get(),
           "INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
           "VALUES (?, ?, ?, ?, ?, 0)");
  Stmt up(db.get(),
          "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) "
          "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET "
          "value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, "
          "is_nan = excluded.is_nan WHERE (excluded.step, excluded.timestamp, excluded.value) > "
          "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)");
  // The run id is the same for every row: bound once, kept across resets.
  sqlite3_bind_text(ins.get(), 4, run_id.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(up.get(), 5, run_id.c_str(), -1, SQLITE_STATIC);

  std::vector<mlflow::Metric> batch;
  // Each key's greatest point within the batch: one latest_metrics upsert per key, not per row.
  std::map<std::string, std::size_t> best;
  Timeline tl;
  for (std::int64_t first = 0; first < points; first += a.batch) {
    fill_batch(a, keys, first, std::min<std::int64_t>(a.batch, points - first), batch);
    exec(db.get(), "BEGIN IMMEDIATE");
    best.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const mlflow::Metric& m = batch[i];
      bind_metric(ins.get(), m, 5);
      ins.run();
      auto [it, inserted] = best.emplace(m.key, i);
      if (!inserted) {
        const mlflow::Metric& b = batch[it->second];
        if (std::make_tuple(m.step, m.timestamp, m.value) >
            std::make_tuple(b.step, b.timestamp, b.value)) {
          it->second = i;
        }
      }
    }
    for (const auto& [key, i] : best) {
      const mlflow::Metric& m = batch[i];
      bind_metric(up.get(), m, 4);
      up.run();
    }
    exec(db.get(), "COMMIT");
    tl.mark(first + static_cast<std::int64_t>(batch.size()));
  }
  print_ingest("ingest-raw", path, run_id, a, tl);
  return 0;
}

// ---- search ------------------------------------------------------------------------------

// A permutation of 0..runs-1 (7919 is prime; when it divides runs, fall back to 1), so every
// run has a distinct acc and the order is fully determined by acc.
double acc_of(int i, int runs) {
  const std::int64_t mult = runs % 7919 == 0 ? 1 : 7919;
  const std::int64_t p = (static_cast<std::int64_t>(i) * mult) % runs;
  return (static_cast<double>(p) + 0.5) / runs;
}

int search_setup(const Args& a) {
  const std::string path = a.positional.at(0);
  mlflow::MlflowClient client("sqlite:///" + path);
  const std::string exp = client.create_experiment("search");
  const auto t0 = Clock::now();
  for (int i = 0; i < a.runs; ++i) {
    mlflow::CreateRunOptions ro;
    ro.start_time = kBaseTsMs + i;
    const std::string id = client.create_run(exp, ro).info.run_id;
    client.log_batch(id, {mlflow::Metric{"acc", acc_of(i, a.runs), kBaseTsMs + i, 0}},
                     {mlflow::Param{"lr", std::to_string(i % 10)}});
  }
  const double wall = seconds_since(t0);
  std::printf("search-setup: %d runs (create_run + log_batch each) in %.3f s, %.0f runs/s\n",
              a.runs, wall, a.runs / wall);
  std::printf(
      "BENCH_JSON {\"mode\":\"search-setup\",\"runs\":%d,\"wall_s\":%.6f,"
      "\"experiment_id\":\"%s\"}\n",
      a.runs, wall, exp.c_str());
  return 0;
}

constexpr const char* kFilter = "metrics.acc > 0.5";
constexpr const char* kOrder = "metrics.acc DESC";
constexpr int kPageSize = 1000;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void write_ids(const std::string& path, const std::vector<std::string>& ids) {
  std::ofstream out(path);
  for (const std::string& id : ids) out << id << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Checks that every returned run carries its data (a search that skipped loading the
// metrics, params and tags would look fast for the wrong reason).
std::size_t runs_with_data(const std::vector<mlflow::Run>& runs) {
  std::size_t n = 0;
  for (const mlflow::Run& r : runs) {
    const auto acc = r.data.metrics.find("acc");
    if (acc != r.data.metrics.end() && acc->second > 0.5 && r.data.params.count("lr") == 1) ++n;
  }
  return n;
}

int search(const Args& a) {
  const std::string path = a.positional.at(0);
  const std::string exp = a.positional.at(1);
  const std::string ids_prefix = a.positional.at(2);
  mlflow::MlflowClient client("sqlite:///" + path);
  mlflow::SearchRunsOptions opts;
  opts.filter_string = kFilter;
  opts.order_by = {kOrder};
  opts.max_results = kPageSize;

  auto first_page = [&]() { return client.search_runs({exp}, opts).items; };
  auto all_pages = [&]() {
    std::vector<mlflow::Run> out;
    mlflow::SearchRunsOptions o = opts;
    while (true) {
      mlflow::PagedList<mlflow::Run> page = client.search_runs({exp}, o);
      for (auto& r : page.items) out.push_back(std::move(r));
      if (page.token.empty()) break;
      o.page_token = page.token;
    }
    return out;
  };

  // Warm-up (page cache, statement preparation), then the timed repetitions.
  std::vector<mlflow::Run> first = first_page();
  std::vector<mlflow::Run> all;
  std::vector<double> t_first, t_all;
  for (int r = 0; r < a.reps; ++r) {
    auto t0 = Clock::now();
    first = first_page();
    t_first.push_back(seconds_since(t0));
    t0 = Clock::now();
    all = all_pages();
    t_all.push_back(seconds_since(t0));
  }
  std::vector<std::string> ids_first, ids_all;
  for (const auto& r : first) ids_first.push_back(r.info.run_id);
  for (const auto& r : all) ids_all.push_back(r.info.run_id);
  write_ids(ids_prefix + ".first", ids_first);
  write_ids(ids_prefix + ".all", ids_all);
  const bool data_ok = runs_with_data(all) == all.size() && !all.empty();
  const double m_first = median(t_first), m_all = median(t_all);
  std::printf("search-cpp: '%s' order by %s, max_results %d, %d reps\n", kFilter, kOrder, kPageSize,
              a.reps);
  std::printf(
      "search-cpp: first page %zu runs, median %.4f s; all pages %zu runs, median %.4f s;"
      " runs carry acc and lr: %s\n",
      ids_first.size(), m_first, ids_all.size(), m_all, data_ok ? "OK" : "FAILED");
  std::printf(
      "BENCH_JSON {\"mode\":\"search\",\"client\":\"cpp\",\"reps\":%d,\"first_runs\":%zu,"
      "\"first_median_s\":%.6f,\"all_runs\":%zu,\"all_median_s\":%.6f,\"data_ok\":%s}\n",
      a.reps, ids_first.size(), m_first, ids_all.size(), m_all, data_ok ? "true" : "false");
  return data_ok ? 0 : 1;
}

void usage() {
  std::fprintf(stderr,
               "usage: bench_embedded ingest-cpp|ingest-raw DB [--keys N] [--steps N] "
               "[--batch N] [--order step|key] [--prefix N]\n"
               "       bench_embedded search-setup DB [--runs N]\n"
               "       bench_embedded search DB EXPERIMENT_ID IDS_PREFIX [--reps N]\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    usage();
    return 2;
  }
  try {
    const std::string mode = argv[1];
    const Args a = parse_args(argc, argv);
    if (mode == "ingest-cpp") return ingest_cpp(a);
    if (mode == "ingest-raw") return ingest_raw(a);
    if (mode == "search-setup") return search_setup(a);
    if (mode == "search") return search(a);
    usage();
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_embedded: %s\n", e.what());
    return 1;
  }
}
