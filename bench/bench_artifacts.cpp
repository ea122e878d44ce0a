// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
//
// C++ side of `make bench-artifacts`: moves the same files as bench/python/bench_artifacts.py
// through a real MLflow server (proxied artifact API) with MlflowClient and reports wall time
// and client CPU time of each transfer.
//
//   bench_artifacts TRACKING_URI LARGE_FILE SMALL_DIR WORK_DIR
//
// Variants (one fresh run each):
//   large_upload    log_artifact(LARGE_FILE)
//   large_download  download_artifacts(<its name>, WORK_DIR/cpp-download)
//   small_upload    log_artifacts(SMALL_DIR, "small")
// Prints one machine-readable line per variant:
//   BENCH_JSON {"client":"cpp","variant":...,"files":...,"bytes":...,"wall_s":...,"cpu_s":...,
//               "verified":true}
// The workload must stay identical to the Python bench, or the printed ratios mean nothing.

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "mlflow/mlflow_client.hpp"

namespace {
namespace fs = std::filesystem;

using bench::timed;
using bench::Timing;

// Files and bytes under `path` on the server (listing is not timed).
void count_remote(mlflow::MlflowClient& client, const std::string& run_id, const std::string& path,
                  std::int64_t& files, std::int64_t& bytes) {
  for (const auto& info : client.list_artifacts(run_id, path)) {
    if (info.is_dir) {
      count_remote(client, run_id, info.path, files, bytes);
    } else {
      ++files;
      bytes += info.file_size.value_or(0);
    }
  }
}

void report(const char* variant, std::int64_t files, std::int64_t bytes, const Timing& t,
            bool verified) {
  std::printf("cpp    %-15s %6lld files %12lld bytes  wall %8.2f s  cpu %7.2f s  %s\n", variant,
              static_cast<long long>(files), static_cast<long long>(bytes), t.wall_s, t.cpu_s,
              verified ? "verified" : "NOT VERIFIED");
  std::printf(
      "BENCH_JSON {\"client\": \"cpp\", \"variant\": \"%s\", \"files\": %lld, \"bytes\": %lld, "
      "\"wall_s\": %.4f, \"cpu_s\": %.4f, \"verified\": %s}\n",
      variant, static_cast<long long>(files), static_cast<long long>(bytes), t.wall_s, t.cpu_s,
      verified ? "true" : "false");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s TRACKING_URI LARGE_FILE SMALL_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string uri = argv[1];
  const fs::path large = argv[2];
  const fs::path small = argv[3];
  const fs::path work = argv[4];
  try {
    mlflow::MlflowClient client(uri);
    const std::string exp = client.create_experiment(
        "bench-artifacts-cpp-" + std::to_string(getpid()) + "-" +
        std::to_string(std::chrono::system_clock::now().time_since_epoch().count()));
    const auto large_size = static_cast<std::int64_t>(fs::file_size(large));
    const std::string name = large.filename().string();

    const std::string run1 = client.create_run(exp).info.run_id;
    client.log_text(run1, "warm-up", "warm-up.txt");  // connection set-up is not measured
    const Timing up = timed([&] { client.log_artifact(run1, large.string()); });
    std::int64_t files = 0;
    std::int64_t bytes = 0;
    count_remote(client, run1, "", files, bytes);
    report("large_upload", 1, large_size, up, files == 2 && bytes == large_size + 7);

    const fs::path dst = work / "cpp-download";
    std::string got;
    const Timing down = timed([&] { got = client.download_artifacts(run1, name, dst.string()); });
    report("large_download", 1, large_size, down,
           static_cast<std::int64_t>(fs::file_size(got)) == large_size);
    fs::remove_all(dst);

    std::int64_t small_files = 0;
    std::int64_t small_bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(small)) {
      if (e.is_regular_file()) {
        ++small_files;
        small_bytes += static_cast<std::int64_t>(e.file_size());
      }
    }
    const std::string run2 = client.create_run(exp).info.run_id;
    client.log_text(run2, "warm-up", "warm-up.txt");
    const Timing many = timed([&] { client.log_artifacts(run2, small.string(), "small"); });
    files = 0;
    bytes = 0;
    count_remote(client, run2, "small", files, bytes);
    report("small_upload", small_files, small_bytes, many,
           files == small_files && bytes == small_bytes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_artifacts: %s\n", e.what());
    return 1;
  }
  return 0;
}
