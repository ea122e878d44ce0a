// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Streaming file bodies (src/transport/file_transfer.*) directly and through the HTTP
// artifact repository, against a scripted fake server.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "artifacts/artifact_repository.hpp"
#include "mlflow/errors.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"
#include "support/throws_mlflow.hpp"
#include "transport/file_transfer.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

constexpr const char* kRunRoot = "/api/2.0/mlflow-artifacts/artifacts/3/r/artifacts";

std::string big_blob() {
  std::string s;
  s.reserve((3 << 20) + 17);
  for (std::size_t i = 0; i < (3u << 20) + 17; ++i) s += static_cast<char>((i * 2654435761u) >> 13);
  return s;
}

std::unique_ptr<ArtifactRepository> repo_for(const testing::FaultProxy& server) {
  ArtifactClientContext c;
  c.config.tracking_uri = server.url();
  c.config.timeout = std::chrono::milliseconds(20000);
  c.config.retry.max_retries = 2;
  c.hooks = testing::no_wait_retry_hooks();
  return make_artifact_repository("mlflow-artifacts:/3/r/artifacts", c);
}

HttpRequest request(const std::string& method, const std::string& url) {
  HttpRequest r;
  r.method = method;
  r.url = url;
  r.timeout = std::chrono::milliseconds(20000);
  return r;
}

// Uploads a fresh big_blob() file as `artifact_path`/big.bin through `server`; returns its bytes.
std::string upload_big_file(testing::FaultProxy& server, const std::string& dir_prefix,
                            const std::string& artifact_path) {
  const fs::path dir = testing::make_temp_dir(dir_prefix);
  std::string blob = big_blob();
  testing::write_file(dir / "big.bin", blob);
  repo_for(server)->log_artifact((dir / "big.bin").string(), artifact_path);
  return blob;
}

TEST(ArtifactsFileTransferTest, LargeUploadIsStreamedWithContentLength) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "{}"));
  const std::string blob = upload_big_file(server, "ft-up", "models");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].path, std::string(kRunRoot) + "/models/big.bin");
  EXPECT_EQ(reqs[0].header("Content-Length"),
            std::optional<std::string>(std::to_string(blob.size())));
  EXPECT_EQ(reqs[0].header("Expect"), std::nullopt);
  EXPECT_TRUE(reqs[0].body == blob);
}

TEST(ArtifactsFileTransferTest, RetriedUploadSendsTheWholeFileAgain) {
  testing::FaultProxy server;
  const std::string path = std::string(kRunRoot) + "/big.bin";
  server.script(path, testing::FaultAction::respond(502, "bad gateway"));
  server.script(path, testing::FaultAction::respond(200, "{}"));
  const std::string blob = upload_big_file(server, "ft-up2", "");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(reqs[0].body == blob);
  EXPECT_TRUE(reqs[1].body == blob);
}

TEST(ArtifactsFileTransferTest, DownloadIsStreamedAndRetriedFromScratch) {
  testing::FaultProxy server;
  const std::string blob = big_blob();
  const std::string path = std::string(kRunRoot) + "/big.bin";
  server.script("/api/2.0/mlflow-artifacts/artifacts",
                testing::FaultAction::respond(200, R"({"files":[]})"));
  server.script(path, testing::FaultAction::respond(503, "busy"));
  server.script(path, testing::FaultAction::respond(200, blob));
  const fs::path dst = testing::make_temp_dir("ft-down");
  const std::string local = repo_for(server)->download_artifacts("big.bin", dst);
  EXPECT_EQ(local, (dst / "big.bin").string());
  EXPECT_TRUE(testing::file_bytes(local) == blob);
  EXPECT_EQ(server.count(path), 2);
  // Only the finished file is left: no temp files.
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dst)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(ArtifactsFileTransferTest, EmptyBodyGivesEmptyFileAndErrorsStayInMemory) {
  testing::FaultProxy server;
  server.script("/empty", testing::FaultAction::respond(200, ""));
  server.script("/missing",
                testing::FaultAction::respond(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST"})"));
  const fs::path dir = testing::make_temp_dir("ft-direct");
  auto empty = make_file_transfer_transport({}, FileTransfer{{}, dir / "empty.out", {}});
  const auto r1 = empty->send(request("GET", server.url() + "/empty"));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1.response->status, 200);
  EXPECT_TRUE(fs::exists(dir / "empty.out"));
  EXPECT_EQ(fs::file_size(dir / "empty.out"), 0u);

  auto missing = make_file_transfer_transport({}, FileTransfer{{}, dir / "missing.out", {}});
  const auto r2 = missing->send(request("GET", server.url() + "/missing"));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2.response->status, 404);
  EXPECT_NE(r2.response->body.find("RESOURCE_DOES_NOT_EXIST"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "missing.out"));
}

TEST(ArtifactsFileTransferTest, LocalFileProblemsAreIoErrorsNotRetries) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "data"));
  const fs::path dir = testing::make_temp_dir("ft-io");
  auto upload = make_file_transfer_transport({}, FileTransfer{dir / "does-not-exist", {}, {}});
  EXPECT_THAT([&] { upload->send(request("PUT", server.url() + "/x")); },
              testing::ThrowsMlflow(ErrorCode::kIoError));
  auto download =
      make_file_transfer_transport({}, FileTransfer{{}, dir / "no-such-dir" / "file", {}});
  EXPECT_THAT([&] { download->send(request("GET", server.url() + "/x")); },
              testing::ThrowsMlflow(ErrorCode::kIoError));
  EXPECT_EQ(server.total_requests(), 1);  // the upload never connected; the download did
}

// The download is written through a buffer, so a full disk may only show when the buffer is
// flushed (for a body smaller than the buffer: when the file is closed). Both must fail the
// transfer as an I/O error, never report a short file as downloaded.
TEST(ArtifactsFileTransferTest, FullDiskIsAnIoErrorWhenTheBufferIsFlushed) {
  ASSERT_TRUE(fs::exists("/dev/full")) << "this test writes to Linux's /dev/full";
  testing::FaultProxy server;
  server.script("/small", testing::FaultAction::respond(200, "a few bytes"));
  server.script("/big", testing::FaultAction::respond(200, big_blob()));
  for (const char* path : {"/small", "/big"}) {
    SCOPED_TRACE(path);
    auto download = make_file_transfer_transport({}, FileTransfer{{}, "/dev/full", {}});
    EXPECT_THAT([&] { download->send(request("GET", server.url() + path)); },
                testing::ThrowsMlflow(ErrorCode::kIoError));
  }
}

TEST(ArtifactsFileTransferTest, ConnectFailureIsReportedAsSuch) {
  int port = 0;
  {
    testing::FaultProxy gone;
    port = gone.port();
  }
  const fs::path dir = testing::make_temp_dir("ft-conn");
  auto t = make_file_transfer_transport({}, FileTransfer{{}, dir / "f", {}});
  const auto r = t->send(request("GET", "http://127.0.0.1:" + std::to_string(port) + "/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, TransportErrorKind::kConnectFailed);
  EXPECT_FALSE(fs::exists(dir / "f"));
}

// The file transfers share the JSON transport's connection options: https:// to a plain-HTTP
// server is recognised there too (issue 15).
TEST(ArtifactsFileTransferTest, HttpsToPlainHttpServerIsRecognised) {
  testing::FaultProxy server;
  std::string url = server.url();
  url.replace(0, 4, "https");
  const fs::path dir = testing::make_temp_dir("ft-tls");
  auto t = make_file_transfer_transport({}, FileTransfer{{}, dir / "f", {}});
  const auto r = t->send(request("GET", url + "/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, TransportErrorKind::kTls);
  EXPECT_TRUE(r.error->plain_http_peer) << r.error->message;
  EXPECT_FALSE(fs::exists(dir / "f"));
}

}  // namespace
}  // namespace mlflow::internal
