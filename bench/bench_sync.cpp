// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-sync` (scripts/bench-sync.sh): builds the embedded source file, then
// times mlflow::sync of it to a real MLflow server (bench/python/bench_sync.py copies the same
// file with Python's MlflowClient, the way mlflow-export-import copies runs).
//
//   bench_sync generate SOURCE_DB RUNS POINTS ARTIFACTS   (artifacts spread over the runs)
//   bench_sync sync TRACKING_URI SOURCE_DB
// `sync` prints BENCH_JSON {"client":"cpp","variant":"sync","runs":...,"points":...,
// "artifacts":...,"wall_s":...,"cpu_s":...,"verified":...}; verified = the server holds every
// run, every point of the first and last run, and every artifact of the first run.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mlflow/mlflow_client.hpp"
#include "mlflow/sync.hpp"

namespace {
namespace fs = std::filesystem;

constexpr const char* kExperiment = "bench-sync";

double process_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

int generate(const std::string& db, int runs, int points, int artifacts) {
  mlflow::MlflowClient client("sqlite:///" + db);
  mlflow::CreateExperimentOptions create;
  create.artifact_location = fs::path(db).parent_path() / "source-artifacts";
  const std::string experiment = client.create_experiment(kExperiment, create);
  const fs::path files = fs::path(db).parent_path() / "source-files";
  for (int r = 0; r < runs; ++r) {
    mlflow::CreateRunOptions run_options;
    run_options.run_name = "run-" + std::to_string(r);
    run_options.start_time = 1700000000000 + r;
    const std::string run = client.create_run(experiment, run_options).info.run_id;
    std::vector<mlflow::Metric> curve;
    curve.reserve(static_cast<std::size_t>(points));
    for (int i = 0; i < points; ++i) {
      curve.push_back({"loss", 1.0 / (i + 1), 1700000001000 + i, i});
    }
    client.log_batch(run, curve, {{"lr", "0.01"}, {"seed", std::to_string(r)}});
    const fs::path run_files = files / std::to_string(r);
    fs::create_directories(run_files);
    for (int a = r; a < artifacts; a += runs) {
      std::ofstream(run_files / ("file-" + std::to_string(a) + ".txt"))
          << std::string(1000 + a % 1000, 'x');
    }
    if (!fs::is_empty(run_files)) client.log_artifacts(run, run_files.string(), "outputs");
    client.set_terminated(run, {mlflow::RunStatus::kFinished, 1700009000000 + r});
  }
  fs::remove_all(files);
  return 0;
}

int sync(const std::string& uri, const std::string& db) {
  mlflow::MlflowClient source("sqlite:///" + db);
  mlflow::MlflowClient destination(uri);
  mlflow::SyncOptions options;
  options.experiment_names = {kExperiment};
  options.state_path = fs::path(db).parent_path() / "bench-sync.state";
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = process_cpu_s();
  const mlflow::SyncSummary summary = mlflow::sync(source, destination, options);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  const double cpu = process_cpu_s() - c0;

  const auto src_runs =
      source.search_runs_all({source.get_experiment_by_name(kExperiment)->experiment_id})
          .to_vector();
  const auto dst_runs =
      destination.search_runs_all({destination.get_experiment_by_name(kExperiment)->experiment_id})
          .to_vector();
  bool verified = src_runs.size() == dst_runs.size() && !dst_runs.empty();
  for (const auto& copy : {dst_runs.front(), dst_runs.back()}) {
    const std::string& from = copy.data.tags.at(mlflow::kSyncSourceRunIdTag);
    verified = verified && destination.get_metric_history(copy.info.run_id, "loss").size() ==
                               source.get_metric_history(from, "loss").size();
    verified = verified && destination.list_artifacts(copy.info.run_id, "outputs").size() ==
                               source.list_artifacts(from, "outputs").size();
  }
  std::printf("cpp    sync %lld runs %lld points %lld artifacts  wall %8.2f s  cpu %7.2f s  %s\n",
              static_cast<long long>(summary.runs_created),
              static_cast<long long>(summary.metric_points),
              static_cast<long long>(summary.artifact_files), wall, cpu,
              verified ? "verified" : "NOT VERIFIED");
  std::printf(
      "BENCH_JSON {\"client\":\"cpp\",\"variant\":\"sync\",\"runs\":%lld,\"points\":%lld,"
      "\"artifacts\":%lld,\"wall_s\":%.3f,\"cpu_s\":%.3f,\"verified\":%s}\n",
      static_cast<long long>(summary.runs_created), static_cast<long long>(summary.metric_points),
      static_cast<long long>(summary.artifact_files), wall, cpu, verified ? "true" : "false");
  return verified ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "generate" && argc == 6) {
      return generate(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]));
    }
    if (mode == "sync" && argc == 4) return sync(argv[2], argv[3]);
    std::fprintf(stderr,
                 "usage: bench_sync generate SOURCE_DB RUNS POINTS ARTIFACTS\n"
                 "       bench_sync sync TRACKING_URI SOURCE_DB\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sync: %s\n", e.what());
    return 1;
  }
}
