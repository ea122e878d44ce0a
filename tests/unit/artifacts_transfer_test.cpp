// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Multi-file transfers: the bounded pool (never more than N jobs at once, first error kept
// with its type, nothing new started after it), progress reporting through the streaming HTTP
// path (real libcurl against a scripted server, with a retried attempt) and the local store,
// and the client's bad-input errors (missing file, run without artifact URI).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "artifacts/artifact_repository.hpp"
#include "artifacts/transfer_pool.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

TEST(ArtifactsTransferTest, PoolRunsEveryJobWithBoundedConcurrency) {
  for (int limit : {1, 3, 8}) {
    std::atomic<int> running{0};
    std::atomic<int> peak{0};
    std::vector<std::atomic<int>> ran(50);
    run_bounded(ran.size(), limit, [&](std::size_t i) {
      const int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::yield();
      ++ran[i];
      --running;
    });
    for (const auto& r : ran) EXPECT_EQ(r.load(), 1);
    EXPECT_LE(peak.load(), limit);
    EXPECT_GE(peak.load(), 1);
  }
  run_bounded(0, 4, [](std::size_t) { FAIL() << "no job to run"; });
}

TEST(ArtifactsTransferTest, PoolRethrowsTheFirstErrorWithItsTypeAndStopsStartingJobs) {
  std::atomic<int> started{0};
  try {
    // The first job fails; the others take a little while each, so the 1000 of them cannot
    // all have been handed out before the pool sees the failure.
    run_bounded(1000, 4, [&](std::size_t i) {
      ++started;
      if (i == 0) throw_error(ErrorCode::kResourceDoesNotExist, "job 0 failed");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    });
    ADD_FAILURE() << "no exception";
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("job 0 failed"), std::string::npos);
  }
  EXPECT_LT(started.load(), 1000);  // the pool stopped handing out work
}

struct Recorder {
  std::mutex mutex;
  std::vector<ArtifactProgress> calls;
  std::function<void(const ArtifactProgress&)> callback() {
    return [this](const ArtifactProgress& p) {
      std::lock_guard<std::mutex> lock(mutex);
      calls.push_back(p);
    };
  }
};

ArtifactClientContext streaming_context(const testing::FaultProxy& server) {
  ArtifactClientContext c;
  c.config.tracking_uri = server.url();
  c.config.timeout = std::chrono::milliseconds(10000);
  c.config.retry.max_retries = 2;
  c.hooks = testing::no_wait_retry_hooks();
  return c;  // no transport injected: file bodies are streamed by libcurl
}

TEST(ArtifactsTransferTest, StreamedUploadReportsBytesAndRestartsOnRetry) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "{}"));
  const std::string big_path = "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/d/big.bin";
  server.script(big_path, testing::FaultAction::reset_before());  // first attempt dies, retried
  const fs::path src = fs::path(testing::make_temp_dir("transfer-src")) / "d";
  const std::string big(3 << 20, 'b');
  testing::write_file(src / "big.bin", big);
  testing::write_file(src / "small.txt", "12345");
  testing::write_file(src / "sub" / "empty", "");
  auto repo =
      make_artifact_repository("mlflow-artifacts:/1/r/artifacts", streaming_context(server));
  Recorder rec;
  ArtifactTransferOptions options;
  options.max_parallel_files = 3;
  options.progress = rec.callback();
  repo->log_artifacts(src.string(), "d", options);

  EXPECT_EQ(server.count(big_path), 2);
  EXPECT_EQ(server.requests().size(), 4u);
  ASSERT_FALSE(rec.calls.empty());
  const ArtifactProgress last = rec.calls.back();
  EXPECT_EQ(last.bytes_total, static_cast<std::int64_t>(big.size() + 5));
  EXPECT_EQ(last.bytes_done, last.bytes_total);
  EXPECT_EQ(last.files_total, 3);
  EXPECT_EQ(last.files_done, 3);
  for (const auto& p : rec.calls) {
    EXPECT_EQ(p.bytes_total, last.bytes_total);
    EXPECT_LE(p.bytes_done, p.bytes_total);
    EXPECT_GE(p.bytes_done, 0);
  }
  bool partial = false;  // libcurl reported progress inside the big file, not just at its end
  for (const auto& p : rec.calls) partial |= p.bytes_done > 5 && p.bytes_done < last.bytes_total;
  EXPECT_TRUE(partial);
}

// Files of one thread share a kept-alive connection; when the server drops it at the next
// upload, the body is re-sent (rewound) rather than failing with "rewinding failed".
TEST(ArtifactsTransferTest, UploadOnAReusedConnectionThatIsResetIsSentAgain) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "{}"));
  const std::string second = "/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/b.bin";
  server.script(second, testing::FaultAction::reset_before());
  const fs::path src = testing::make_temp_dir("transfer-reuse");
  testing::write_file(src / "a.bin", std::string(70000, 'a'));
  testing::write_file(src / "b.bin", std::string(70000, 'b'));
  auto repo =
      make_artifact_repository("mlflow-artifacts:/1/r/artifacts", streaming_context(server));
  repo->log_artifacts(src.string(), "");  // sequential: one thread, one connection
  EXPECT_EQ(server.count(second), 2);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests.back().body, std::string(70000, 'b'));
  EXPECT_EQ(requests[0].connection, requests[1].connection);  // the connection was reused
}

TEST(ArtifactsTransferTest, StreamedDownloadReportsBytesAgainstTheListedTotal) {
  testing::FaultProxy server;
  const std::string body(1 << 20, 'x');
  server.script(
      "/api/2.0/mlflow-artifacts/artifacts",
      testing::FaultAction::respond(200,
                                    R"({"files":[{"path":"f.bin","is_dir":false,"file_size":)" +
                                        std::to_string(body.size()) + "}]}",
                                    {{"Content-Type", "application/json"}}),
      2);
  server.set_default(testing::FaultAction::respond(200, body));
  auto repo =
      make_artifact_repository("mlflow-artifacts:/1/r/artifacts", streaming_context(server));
  Recorder rec;
  ArtifactTransferOptions options;
  options.progress = rec.callback();
  const fs::path dst = testing::make_temp_dir("transfer-dst");
  repo->download_artifacts("", dst, options);
  EXPECT_EQ(fs::file_size(dst / "f.bin"), body.size());
  ASSERT_FALSE(rec.calls.empty());
  EXPECT_EQ(rec.calls.back().bytes_done, static_cast<std::int64_t>(body.size()));
  EXPECT_EQ(rec.calls.back().bytes_total, static_cast<std::int64_t>(body.size()));
  EXPECT_EQ(rec.calls.back().files_done, 1);
}

TEST(ArtifactsTransferTest, ThrowingProgressCallbackCancelsTheTransfer) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "{}"));
  const fs::path src = testing::make_temp_dir("transfer-cancel");
  testing::write_file(src / "f.bin", std::string(1 << 20, 'c'));
  auto repo =
      make_artifact_repository("mlflow-artifacts:/1/r/artifacts", streaming_context(server));
  ArtifactTransferOptions options;
  options.progress = [](const ArtifactProgress&) { throw std::runtime_error("user cancelled"); };
  EXPECT_THROW(repo->log_artifact((src / "f.bin").string(), "", options), std::runtime_error);
}

// A run in an embedded store under `base` whose artifacts go to `base`/root.
std::string local_run(MlflowClient& client, const fs::path& base) {
  CreateExperimentOptions o;
  o.artifact_location = (base / "root").string();
  return client.create_run(client.create_experiment("t", o)).info.run_id;
}

TEST(ArtifactsTransferTest, LocalStoreProgressAndParallelUpload) {
  const fs::path base = testing::make_temp_dir("transfer-local");
  MlflowClient client("sqlite:///" + (base / "mlflow.db").string());
  const std::string run = local_run(client, base);
  const fs::path src = base / "src";
  std::int64_t total = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string data(static_cast<std::size_t>(i * 37), static_cast<char>('a' + i % 26));
    testing::write_file(src / ("d" + std::to_string(i % 5)) / ("f" + std::to_string(i)), data);
    total += static_cast<std::int64_t>(data.size());
  }
  Recorder rec;
  ArtifactTransferOptions options;
  options.max_parallel_files = 6;
  options.progress = rec.callback();
  client.log_artifacts(run, src.string(), "up", options);
  ASSERT_GE(rec.calls.size(), 40u);  // bytes, then the file count (one call for an empty file)
  EXPECT_EQ(rec.calls.back().bytes_done, total);
  EXPECT_EQ(rec.calls.back().files_done, 40);
  for (std::size_t i = 1; i < rec.calls.size(); ++i) {
    EXPECT_GE(rec.calls[i].bytes_done, rec.calls[i - 1].bytes_done);
  }
  Recorder down;
  options.progress = down.callback();
  const fs::path dst = base / "dst";
  client.download_artifacts(run, "up", dst.string(), options);
  EXPECT_EQ(down.calls.back().bytes_done, total);
  EXPECT_EQ(down.calls.back().bytes_total, total);
  for (int i = 0; i < 40; ++i) {
    const fs::path p = dst / "up" / ("d" + std::to_string(i % 5)) / ("f" + std::to_string(i));
    EXPECT_EQ(fs::file_size(p), static_cast<std::uintmax_t>(i * 37)) << p;
  }
}

TEST(ArtifactsTransferTest, MissingLocalFileAndRunWithoutArtifactUri) {
  const fs::path base = testing::make_temp_dir("transfer-bad");
  MlflowClient local("sqlite:///" + (base / "mlflow.db").string());
  const std::string run = local_run(local, base);
  try {
    local.log_artifact(run, (base / "no-such-file.bin").string());
    ADD_FAILURE() << "missing file accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-file.bin"), std::string::npos) << e.what();
  }
  EXPECT_THROW(local.log_artifacts(run, (base / "no-such-dir").string()), InvalidArgument);
  EXPECT_FALSE(fs::exists(base / "root" / run / "artifacts" / "no-such-file.bin"));

  // A tracking server that gives a run no artifact_uri: nothing is written anywhere (a plain
  // path "" would have meant the current directory).
  testing::FaultProxy server;
  server.script("/api/2.0/mlflow/runs/get",
                testing::FaultAction::respond(
                    200, R"({"run":{"info":{"run_id":"r1","experiment_id":"1"},"data":{}}})",
                    {{"Content-Type", "application/json"}}),
                3);
  MlflowClient remote(server.url());
  try {
    remote.log_text("r1", "x", "stray.txt");
    ADD_FAILURE() << "run without artifact URI accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("no artifact URI"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists("stray.txt"));
}

}  // namespace
}  // namespace mlflow::internal
