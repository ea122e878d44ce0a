// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Artifacts at scale on both stores: a 2 GiB file comes down with a flat memory profile (peak
// RSS of the downloading process, read from its own /proc/self/status), and a parallel
// directory upload through a fault-injecting proxy in front of the real server retries the
// failed files one by one and loses nothing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

constexpr std::int64_t kTwoGiB = std::int64_t{2} << 30;
constexpr std::int64_t kRssLimitKiB = 64 * 1024;
// Marker bytes at these offsets; everything else is a hole (the file costs no disk to make).
const std::int64_t kMarks[] = {0, (std::int64_t{1} << 30) + 12345, kTwoGiB - 1};

void make_sparse_file(const fs::path& path) {
  fs::create_directories(path.parent_path());
  const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::ftruncate(fd, kTwoGiB), 0);
  for (std::int64_t at : kMarks) {
    const char c = static_cast<char>('A' + (at % 23));
    ASSERT_EQ(::pwrite(fd, &c, 1, at), 1);
  }
  ::close(fd);
}

void expect_same_content(const fs::path& got) {
  ASSERT_EQ(static_cast<std::int64_t>(fs::file_size(got)), kTwoGiB);
  const int fd = ::open(got.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  for (std::int64_t at : kMarks) {
    char c = 0;
    ASSERT_EQ(::pread(fd, &c, 1, at), 1);
    EXPECT_EQ(c, static_cast<char>('A' + (at % 23))) << "offset " << at;
  }
  char z = 1;
  ASSERT_EQ(::pread(fd, &z, 1, 777777777), 1);
  EXPECT_EQ(z, 0);
  ::close(fd);
}

std::int64_t status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Downloads in a forked child, which reports its own peak RSS (VmHWM) after the download: the
// test process's earlier peaks cannot hide or inflate it. Returns the child's peak in KiB.
std::int64_t download_in_child(const std::string& tracking_uri, const std::string& run_id,
                               const std::string& path, const fs::path& dst) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string report;
    try {
      MlflowClient client(tracking_uri);
      client.download_artifacts(run_id, path, dst.string());
      report = std::to_string(status_kib("VmHWM"));
    } catch (const std::exception& e) {
      report = std::string("ERROR ") + e.what();
    }
    (void)!::write(pipe_fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  EXPECT_EQ(report.rfind("ERROR", 0), std::string::npos) << report;
  return std::atoll(report.c_str());
}

TEST(ArtifactsLarge, TwoGibDownloadFromServerKeepsMemoryFlat) {
  MlflowClient client(testing::server_uri());
  const std::string exp = client.create_experiment(testing::unique_name("artifacts-2g"));
  const std::string run_id = client.create_run(exp).info.run_id;
  const char* server_dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  ASSERT_NE(server_dir, nullptr);
  // Placed straight into the server's artifact store (where its PUT would have written it), so
  // the test spends its time on the download only.
  const fs::path stored =
      fs::path(server_dir) / "mlartifacts" / exp / run_id / "artifacts" / "big" / "model.bin";
  make_sparse_file(stored);
  const auto listing = client.list_artifacts(run_id, "big");
  ASSERT_EQ(listing.size(), 1u);
  EXPECT_EQ(listing[0].file_size.value_or(0), kTwoGiB);

  const fs::path dst = testing::make_temp_dir("artifacts-2g-dst");
  const std::int64_t peak = download_in_child(testing::server_uri(), run_id, "big/model.bin", dst);
  expect_same_content(dst / "big" / "model.bin");
  EXPECT_GT(peak, 0);
  EXPECT_LT(peak, kRssLimitKiB) << "peak RSS of the downloading process: " << peak << " KiB";
  std::error_code ec;
  fs::remove_all(dst, ec);
  fs::remove_all(stored.parent_path(), ec);
}

TEST(ArtifactsLarge, TwoGibDownloadFromEmbeddedStoreKeepsMemoryFlat) {
  const fs::path base = testing::make_temp_dir("artifacts-2g-embedded");
  const std::string uri = "sqlite:///" + (base / "mlflow.db").string();
  MlflowClient client(uri);
  mlflow::CreateExperimentOptions options;
  options.artifact_location = (base / "root").string();
  const std::string exp = client.create_experiment(testing::unique_name("artifacts-2g"), options);
  const std::string run_id = client.create_run(exp).info.run_id;
  make_sparse_file(base / "root" / run_id / "artifacts" / "big" / "model.bin");

  const fs::path dst = base / "dst";
  const std::int64_t peak = download_in_child(uri, run_id, "big", dst);
  expect_same_content(dst / "big" / "model.bin");
  EXPECT_GT(peak, 0);
  EXPECT_LT(peak, kRssLimitKiB) << "peak RSS of the downloading process: " << peak << " KiB";
  std::error_code ec;
  fs::remove_all(base, ec);
}

// Twelve files go up four at a time through a proxy that resets one upload and answers 503 to
// another: each is retried on its own, and the whole tree arrives intact.
TEST(ArtifactsLarge, ParallelUploadRetriesFailedFilesOneByOne) {
  testing::FaultProxy proxy(testing::server_uri());
  mlflow::ClientOptions o;
  o.tracking_uri = proxy.url();
  o.max_retries = 3;
  o.backoff_factor = 0.05;
  o.backoff_jitter = 0.0;
  MlflowClient client(o);
  const std::string exp = client.create_experiment(testing::unique_name("artifacts-parallel"));
  const std::string run_id = client.create_run(exp).info.run_id;
  const fs::path src = fs::path(testing::make_temp_dir("artifacts-parallel")) / "tree";
  for (int i = 0; i < 12; ++i) {
    const fs::path p = src / ("dir" + std::to_string(i % 3)) / ("file" + std::to_string(i));
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << std::string(1000 + i * 4099, static_cast<char>(i));
  }
  const std::string root =
      "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run_id + "/artifacts/up/dir1/file4";
  const std::string other =
      "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run_id + "/artifacts/up/dir2/file8";
  proxy.script(root, testing::FaultAction::reset_before());
  proxy.script(other, testing::FaultAction::respond(503, "busy"));
  std::int64_t files_done = 0;
  mlflow::ArtifactTransferOptions transfer;
  transfer.max_parallel_files = 4;
  transfer.progress = [&](const mlflow::ArtifactProgress& p) { files_done = p.files_done; };
  client.log_artifacts(run_id, src.string(), "up", transfer);
  EXPECT_EQ(proxy.count(root), 2);
  EXPECT_EQ(proxy.count(other), 2);
  EXPECT_EQ(files_done, 12);

  const fs::path dst = testing::make_temp_dir("artifacts-parallel-dst");
  client.download_artifacts(run_id, "up", dst.string(), transfer);
  for (const auto& e : fs::recursive_directory_iterator(src)) {
    if (!e.is_regular_file()) continue;
    EXPECT_EQ(testing::file_bytes(dst / "up" / e.path().lexically_relative(src)),
              testing::file_bytes(e.path()))
        << e.path();
  }
}

}  // namespace
}  // namespace mlflow
