// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `make bench-governance`: the time of a governed call against a plain one (ADR 0027), on the
// server at TRACKING_URI and on an embedded store, in one run. Two clients on the same store
// and run, one with the Governance hook (attribution, pricing, aggregation, a warn budget and a
// span record per call), one without; rounds alternate between them so that load drifts hit
// both alike; the median per-call time of each is compared. Prints one BENCH_JSON row per store
// and operation.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "mlflow/governance.hpp"
#include "mlflow/mlflow_client.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace gov = mlflow::governance;

std::shared_ptr<gov::Governance> a_governance(std::uint64_t& spans) {
  gov::GovernanceOptions options;
  options.attributes.team = "bench-team";
  options.attributes.project = "bench-project";
  options.attributes.customer_id = "bench-customer";
  options.budgets = {{gov::CostDimension::kTeam, "bench-team", gov::BudgetPeriod::kDaily, 1e9,
                      gov::BudgetAction::kWarn}};
  options.on_span = [&spans](const gov::GovernanceSpan&) { ++spans; };
  return std::make_shared<gov::Governance>(options);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

// Runs `calls` of `op` per round on each client, alternating, and prints the row.
template <typename Op>
bool measure(const char* store, const char* operation, mlflow::MlflowClient& plain,
             mlflow::MlflowClient& governed, int rounds, int calls, Op op) {
  std::vector<double> plain_ns, governed_ns;
  for (int round = 0; round < rounds; ++round) {
    for (int which = 0; which < 2; ++which) {
      mlflow::MlflowClient& client = (round + which) % 2 == 0 ? plain : governed;
      const auto t0 = Clock::now();
      for (int i = 0; i < calls; ++i) op(client, round * calls + i);
      const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / calls;
      (&client == &plain ? plain_ns : governed_ns).push_back(ns);
    }
  }
  const double p = median(plain_ns), g = median(governed_ns);
  std::printf("%-9s %-10s plain %10.0f ns/call  governed %10.0f ns/call  plain/governed %.4f\n",
              store, operation, p, g, p / g);
  std::printf(
      "BENCH_JSON {\"client\":\"cpp\",\"variant\":\"%s/%s\",\"plain_ns\":%.1f,"
      "\"governed_ns\":%.1f,\"ratio\":%.6f,\"verified\":true}\n",
      store, operation, p, g, p / g);
  std::fflush(stdout);
  return true;
}

void bench_store(const char* store, const std::string& uri, int rounds, int calls) {
  std::uint64_t spans = 0;
  const auto governance = a_governance(spans);
  mlflow::ClientOptions plain_options;
  plain_options.tracking_uri = uri;
  mlflow::ClientOptions governed_options = plain_options;
  governed_options.operation_hooks = {governance};
  mlflow::MlflowClient plain(plain_options);
  mlflow::MlflowClient governed(governed_options);
  const std::string experiment = plain.create_experiment(
      "bench-governance-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count()));
  const std::string run_id = governed.create_run(experiment).info.run_id;
  measure(store, "log_metric", plain, governed, rounds, calls,
          [&](mlflow::MlflowClient& c, int i) { c.log_metric(run_id, "m", i); });
  measure(store, "set_tag", plain, governed, rounds, calls,
          [&](mlflow::MlflowClient& c, int i) { c.set_tag(run_id, "t", std::to_string(i)); });
  measure(store, "log_param", plain, governed, rounds, calls, [&](mlflow::MlflowClient& c, int i) {
    c.log_param(run_id, "p" + std::to_string(i), "v");
  });
  std::printf("# %s: governed calls recorded %llu, spans %llu, cost $%.4f\n", store,
              static_cast<unsigned long long>(governance->metrics().operation_count),
              static_cast<unsigned long long>(spans),
              governance->cost_aggregator().summary().total_cost);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_governance TRACKING_URI [--rounds N] [--calls N]\n");
    return 2;
  }
  int rounds = 20, calls = 25;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rounds") rounds = std::atoi(argv[i + 1]);
    if (flag == "--calls") calls = std::atoi(argv[i + 1]);
  }
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("bench-governance-" + std::to_string(::getpid()));
  try {
    fs::create_directories(dir);
    bench_store("embedded", "sqlite:///" + (dir / "mlflow.db").string(), rounds, calls);
    bench_store("server", argv[1], rounds, calls);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_governance: %s\n", e.what());
    fs::remove_all(dir);
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
