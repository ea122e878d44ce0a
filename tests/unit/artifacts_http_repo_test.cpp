// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// HttpArtifactRepository against a scripted fake server: request shapes, headers, listing
// rules, hostile listings, and the --no-serve-artifacts answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "artifacts/artifact_repository.hpp"
#include "artifacts/http_artifact_repository.hpp"
#include "mlflow/errors.hpp"
#include "support/fault_proxy.hpp"
#include "support/files.hpp"
#include "support/no_wait_hooks.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

constexpr const char* kList = "/pre/api/2.0/mlflow-artifacts/artifacts";
constexpr const char* kRunRoot = "/pre/api/2.0/mlflow-artifacts/artifacts/1/r1/artifacts";

ArtifactClientContext context_for(const testing::FaultProxy& server) {
  ArtifactClientContext c;
  c.config.tracking_uri = server.url() + "/pre";
  c.config.authorization = "Bearer tok-123";
  c.config.headers = {{"X-Gateway", "g1"}};
  c.config.timeout = std::chrono::milliseconds(10000);
  c.config.retry.max_retries = 2;
  c.hooks = testing::no_wait_retry_hooks();
  return c;
}

std::unique_ptr<ArtifactRepository> repo_for(const testing::FaultProxy& server) {
  return make_artifact_repository("mlflow-artifacts:/1/r1/artifacts", context_for(server));
}

testing::FaultAction json(const std::string& body) {
  return testing::FaultAction::respond(200, body, {{"Content-Type", "application/json"}});
}

std::vector<std::string> everything_under(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.push_back(e.path().lexically_relative(dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(HttpArtifactRepoTest, UploadSendsPutWithHeadersAndEncodedPath) {
  testing::FaultProxy server;
  server.set_default(json("{}"));
  const fs::path src = testing::make_temp_dir("http-src");
  const std::string bytes("\0\xff\x01binary", 9);
  { std::ofstream(src / u8"é x.bin", std::ios::binary).write(bytes.data(), 9); }
  repo_for(server)->log_artifact((src / u8"é x.bin").string(), "dir/sub");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].path, std::string(kRunRoot) + "/dir/sub/%C3%A9%20x.bin");
  EXPECT_EQ(reqs[0].body, bytes);
  EXPECT_EQ(reqs[0].header("Authorization"), std::optional<std::string>("Bearer tok-123"));
  EXPECT_EQ(reqs[0].header("X-Gateway"), std::optional<std::string>("g1"));
  EXPECT_EQ(reqs[0].header("Content-Type"), std::optional<std::string>("application/octet-stream"));
}

TEST(HttpArtifactRepoTest, ListPrefixesSortsAndKeepsOptionalSizes) {
  testing::FaultProxy server;
  server.script(kList, json(R"({"files":[{"path":"b.txt","is_dir":false,"file_size":"12"},
      {"path":"a","is_dir":true},{"path":"empty.txt","is_dir":false}]})"));
  const auto infos = repo_for(server)->list_artifacts("sub/");
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[0], (FileInfo{"sub/a", true, std::nullopt}));
  EXPECT_EQ(infos[1], (FileInfo{"sub/b.txt", false, 12}));
  EXPECT_EQ(infos[2], (FileInfo{"sub/empty.txt", false, std::nullopt}));
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, std::string(kList) + "?path=1%2Fr1%2Fartifacts%2Fsub");
  EXPECT_EQ(reqs[0].header("Authorization"), std::optional<std::string>("Bearer tok-123"));
}

TEST(HttpArtifactRepoTest, ListingOfAFileIsEmpty) {
  testing::FaultProxy server;
  // "m/m": the listing of file m answers m itself; the parent shows m is not a directory.
  server.script(kList, json(R"({"files":[{"path":"m","is_dir":false,"file_size":3}]})"));
  server.script(kList, json(R"({"files":[{"path":"m","is_dir":false,"file_size":3}]})"));
  EXPECT_TRUE(repo_for(server)->list_artifacts("m").empty());
  // A real directory "d" holding a file "d" is listed.
  server.script(kList, json(R"({"files":[{"path":"d","is_dir":false,"file_size":3}]})"));
  server.script(kList, json(R"({"files":[{"path":"d","is_dir":true}]})"));
  EXPECT_EQ(repo_for(server)->list_artifacts("d").size(), 1u);
}

TEST(HttpArtifactRepoTest, DownloadTreeWritesEveryFileAndEmptyDirs) {
  testing::FaultProxy server;
  server.script(kList, json(R"({"files":[{"path":"a.txt","is_dir":false,"file_size":2},
      {"path":"d","is_dir":true}]})"),
                2);
  server.script(kList, json(R"({"files":[{"path":"e","is_dir":true},
      {"path":"z.bin","is_dir":false,"file_size":4}]})"));
  server.script(kList, json(R"({"files":[]})"));
  server.script(std::string(kRunRoot) + "/a.txt", testing::FaultAction::respond(200, "hi"));
  server.script(std::string(kRunRoot) + "/d/z.bin",
                testing::FaultAction::respond(200, std::string("\0\1\2\3", 4)));
  const fs::path dst = testing::make_temp_dir("http-dst");
  EXPECT_EQ(repo_for(server)->download_artifacts("", dst), dst.string());
  EXPECT_EQ(testing::file_bytes(dst / "a.txt"), "hi");
  EXPECT_EQ(testing::file_bytes(dst / "d" / "z.bin"), std::string("\0\1\2\3", 4));
  EXPECT_TRUE(fs::is_directory(dst / "d" / "e"));
  EXPECT_EQ(everything_under(dst), (std::vector<std::string>{"a.txt", "d", "d/e", "d/z.bin"}));
}

// A listing naming "../x", "/etc/passwd" and similar must not make a download write (or even
// create directories) outside the destination.
TEST(HttpArtifactRepoTest, HostileListingCannotEscapeDestination) {
  for (const std::string evil :
       {"../x", "../../x", "/etc/passwd", "a/../../x", "..\\\\x", "%2e%2e/x", "..", "/"}) {
    testing::FaultProxy server;
    server.set_default(testing::FaultAction::respond(200, "PWNED"));
    server.script(kList, json(R"({"files":[{"path":")" + evil + R"(","is_dir":false}]})"), 5);
    const fs::path base = testing::make_temp_dir("http-hostile");
    const fs::path dst = base / "dst";
    fs::create_directories(dst);
    try {
      repo_for(server)->download_artifacts("", dst);
      ADD_FAILURE() << "download accepted " << evil;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("Invalid path"), std::string::npos) << e.what();
    }
    EXPECT_EQ(everything_under(base), (std::vector<std::string>{"dst"})) << evil;
    for (const auto& r : server.requests()) EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(server.count(kList), 1) << "nothing but the listing was fetched for " << evil;
  }
}

TEST(HttpArtifactRepoTest, DirectoryEntryThroughPlantedSymlinkIsRefused) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(200, "PWNED"));
  server.script(kList, json(R"({"files":[{"path":"link","is_dir":true}]})"), 2);
  server.script(kList, json(R"({"files":[{"path":"f","is_dir":false,"file_size":5}]})"));
  const fs::path outside = testing::make_temp_dir("http-outside");
  const fs::path dst = testing::make_temp_dir("http-dst");
  fs::create_symlink(outside, dst / "link");
  EXPECT_THROW(repo_for(server)->download_artifacts("", dst), InvalidArgument);
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST(HttpArtifactRepoTest, ServingDisabledIsReportedAtOnceWithTheCause) {
  testing::FaultProxy server;
  server.set_default(testing::FaultAction::respond(
      503,
      "Endpoint: /api/2.0/mlflow-artifacts/artifacts disabled due to the mlflow server running "
      "with `--no-serve-artifacts`. To enable artifacts server functionality, run `mlflow "
      "server` with `--serve-artifacts`",
      {{"Content-Type", "text/plain; charset=utf-8"}}));
  try {
    repo_for(server)->list_artifacts("");
    ADD_FAILURE();
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.http_status(), 503);
    EXPECT_NE(std::string(e.what()).find("--no-serve-artifacts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--serve-artifacts"), std::string::npos);
  }
  EXPECT_EQ(server.total_requests(), 1);  // a configuration, not a transient fault: no retries

  // The FastAPI router's wording (download routes of MLflow 3.18).
  testing::FaultProxy fastapi;
  fastapi.set_default(testing::FaultAction::respond(
      503,
      R"({"detail":"Artifact serving is disabled. Run `mlflow server` with `--serve-artifacts` to enable."})",
      {{"Content-Type", "application/json"}}));
  const fs::path dst = testing::make_temp_dir("http-disabled");
  fastapi.script(kList, json(R"({"files":[]})"));
  try {
    repo_for(fastapi)->download_artifacts("f.bin", dst);
    ADD_FAILURE();
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.http_status(), 503);
    EXPECT_NE(std::string(e.what()).find("--no-serve-artifacts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fastapi.total_requests(), 2);  // the listing, then one GET
  EXPECT_TRUE(fs::is_empty(dst));
}

TEST(HttpArtifactRepoTest, ErrorsAndRetries) {
  testing::FaultProxy server;
  // A transient 503 is retried; the upload then succeeds.
  server.script(std::string(kRunRoot) + "/f.txt", testing::FaultAction::respond(503, "busy"));
  server.script(std::string(kRunRoot) + "/f.txt", json("{}"));
  const fs::path src = testing::make_temp_dir("http-src");
  std::ofstream(src / "f.txt") << "x";
  repo_for(server)->log_artifact((src / "f.txt").string(), "");
  EXPECT_EQ(server.count(std::string(kRunRoot) + "/f.txt"), 2);
  // A missing file download maps MLflow's JSON error.
  server.script(std::string(kRunRoot) + "/missing.txt",
                testing::FaultAction::respond(
                    404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"nope"})",
                    {{"Content-Type", "application/json"}}));
  server.script(kList, json(R"({"files":[]})"));
  const fs::path dst = testing::make_temp_dir("http-dst");
  EXPECT_THROW(repo_for(server)->download_artifacts("missing.txt", dst), NotFound);
  EXPECT_TRUE(fs::is_empty(dst));  // no partial file left behind
  // Upload paths are checked before anything is sent.
  const int before = server.total_requests();
  EXPECT_THROW(repo_for(server)->log_artifact((src / "f.txt").string(), "../x"), InvalidArgument);
  EXPECT_EQ(server.total_requests(), before);
}

TEST(HttpArtifactRepoTest, DeleteAndPlainHttpUris) {
  testing::FaultProxy server;
  server.set_default(json("{}"));
  repo_for(server)->delete_artifacts("dir/x y");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "DELETE");
  EXPECT_EQ(reqs[0].path, std::string(kRunRoot) + "/dir/x%20y");
  // An http(s) artifact URI is used as is (no rebasing).
  auto direct = make_artifact_repository(
      server.url() + "/other/api/2.0/mlflow-artifacts/artifacts/5/r/artifacts",
      context_for(server));
  server.script("/other/api/2.0/mlflow-artifacts/artifacts", json(R"({"files":[]})"));
  EXPECT_TRUE(direct->list_artifacts("").empty());
  reqs = server.requests();
  EXPECT_EQ(reqs.back().target, "/other/api/2.0/mlflow-artifacts/artifacts?path=5%2Fr%2Fartifacts");
}

}  // namespace
}  // namespace mlflow::internal
