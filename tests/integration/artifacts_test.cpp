// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Artifacts through MlflowClient on both stores: the real MLflow 3.18 server (proxied
// mlflow-artifacts: URIs) and the embedded store (a local artifact directory). One scenario:
// upload a nested tree with an empty file, binary data and unicode names, list every level,
// download into a fresh directory and compare bytes, log_text and log_dict.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/files.hpp"
#include "support/scoped_server.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

std::string binary_blob() {
  std::string s;
  // Unsigned: i * 7919 overflows int past 271,000, and signed overflow is undefined.
  for (unsigned i = 0; i < 300000u; ++i) s += static_cast<char>((i * 7919u + 13u) % 256u);
  return s;
}

const char* const kUnicodeName = u8"résumé ☃ 日本.txt";

fs::path make_tree() {
  const fs::path src = fs::path(testing::make_temp_dir("artifacts-it")) / "tree";
  testing::write_file(src / "top.txt", "top level\n");
  testing::write_file(src / "empty.txt", "");
  testing::write_file(src / "bin" / "blob.bin", binary_blob());
  testing::write_file(src / "bin" / "nested" / kUnicodeName, u8"unicode content ✓\n");
  testing::write_file(src / "bin" / "nested" / "deepest" / "z.csv", "a,b\n1,2\n");
  return src;
}

// Path + kind + size; a server omits the size of an empty file, the local store reports 0.
std::string describe(const std::vector<FileInfo>& infos, bool server) {
  std::string out;
  for (const auto& i : infos) {
    out += i.path + (i.is_dir ? "/" : "");
    if (i.file_size) {
      out += "(" + std::to_string(*i.file_size) + ")";
    } else if (!i.is_dir && !server) {
      out += "(?)";
    }
    out += " ";
  }
  return out;
}

void compare_trees(const fs::path& expected, const fs::path& actual) {
  std::vector<std::string> want;
  for (const auto& e : fs::recursive_directory_iterator(expected)) {
    const std::string rel = e.path().lexically_relative(expected).string();
    want.push_back(rel);
    if (e.is_regular_file()) {
      EXPECT_EQ(testing::file_bytes(e.path()), testing::file_bytes(actual / rel)) << rel;
    }
  }
  std::vector<std::string> got;
  for (const auto& e : fs::recursive_directory_iterator(actual)) {
    got.push_back(e.path().lexically_relative(actual).string());
  }
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(want, got);
}

void run_scenario(MlflowClient& client, const std::string& experiment_id, bool server) {
  const std::string run_id = client.create_run(experiment_id).info.run_id;
  const fs::path src = make_tree();

  client.log_artifacts(run_id, src.string());              // into the root
  client.log_artifacts(run_id, src.string(), "copies/a");  // and into a nested directory
  client.log_artifact(run_id, (src / "top.txt").string(), "single");
  client.log_artifact(run_id, (src / "bin").string());  // a directory keeps its name
  client.log_text(run_id, u8"héllo\nworld", "notes/readme.md");
  client.log_dict(run_id, R"({"b": 1, "a": [1.5, "x"], "u": "é"})", "config/params.json");

  const std::string z = server ? "" : "(0)";
  EXPECT_EQ(describe(client.list_artifacts(run_id), server),
            "bin/ config/ copies/ empty.txt" + z + " notes/ single/ top.txt(10) ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "bin"), server),
            "bin/blob.bin(300000) bin/nested/ ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "bin/nested"), server),
            std::string("bin/nested/deepest/ bin/nested/") + kUnicodeName + "(20) ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "bin/nested/deepest/"), server),
            "bin/nested/deepest/z.csv(8) ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "copies"), server), "copies/a/ ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "copies/a"), server),
            "copies/a/bin/ copies/a/empty.txt" + z + " copies/a/top.txt(10) ");
  EXPECT_EQ(describe(client.list_artifacts(run_id, "single"), server), "single/top.txt(10) ");
  EXPECT_TRUE(client.list_artifacts(run_id, "top.txt").empty());
  EXPECT_TRUE(client.list_artifacts(run_id, "no/such/dir").empty());
  EXPECT_THROW(client.list_artifacts(run_id, "../other-run"), mlflow::InvalidArgument);

  // Everything, into a fresh directory that does not exist yet.
  const fs::path dst = fs::path(testing::make_temp_dir("artifacts-dl")) / "fresh" / "dir";
  EXPECT_EQ(client.download_artifacts(run_id, "", dst.string()), dst.string());
  compare_trees(src, dst / "copies" / "a");
  compare_trees(src / "bin", dst / "bin");
  EXPECT_EQ(testing::file_bytes(dst / "top.txt"), "top level\n");
  EXPECT_EQ(fs::file_size(dst / "empty.txt"), 0u);
  EXPECT_EQ(testing::file_bytes(dst / "notes" / "readme.md"), u8"héllo\nworld");
  EXPECT_EQ(testing::file_bytes(dst / "config" / "params.json"),
            "{\n  \"b\": 1,\n  \"a\": [\n    1.5,\n    \"x\"\n  ],\n  \"u\": \"\\u00e9\"\n}");

  // One directory, and one file.
  const fs::path dst2 = testing::make_temp_dir("artifacts-dl2");
  EXPECT_EQ(client.download_artifacts(run_id, "bin/nested", dst2.string()),
            (dst2 / "bin" / "nested").string());
  compare_trees(src / "bin" / "nested", dst2 / "bin" / "nested");
  const std::string one = client.download_artifacts(run_id, "bin/blob.bin", dst2.string());
  EXPECT_EQ(one, (dst2 / "bin" / "blob.bin").string());
  EXPECT_EQ(testing::file_bytes(one), binary_blob());

  // Without a destination: a temp directory (server) or the file in place (local store).
  const std::string auto_dst = client.download_artifacts(run_id, "single/top.txt");
  EXPECT_EQ(testing::file_bytes(auto_dst), "top level\n");
  EXPECT_EQ(fs::path(auto_dst).filename(), "top.txt");

  EXPECT_THROW(client.log_artifact(run_id, (src / "top.txt").string(), "../escape"),
               mlflow::InvalidArgument);
  EXPECT_THROW(client.log_dict(run_id, "{not json", "x.json"), mlflow::InvalidArgument);
  EXPECT_THROW(client.log_dict(run_id, "{}", "x.yaml"), mlflow::InvalidArgument);
  EXPECT_THROW(client.download_artifacts(run_id, "missing.txt", dst2.string()),
               mlflow::MlflowException);
  EXPECT_THROW(client.list_artifacts("0123456789abcdef0123456789abcdef"), mlflow::NotFound);
}

TEST(Artifacts, ServerStoreRoundTrip) {
  MlflowClient client(testing::server_uri());
  const std::string exp = client.create_experiment(testing::unique_name("artifacts"));
  run_scenario(client, exp, /*server=*/true);

  // The files sit in the server's --artifacts-destination, where Python's client puts them.
  const std::string run_id = client.create_run(exp).info.run_id;
  client.log_text(run_id, "on disk", "where/am-i.txt");
  const auto run = client.get_run(run_id);
  EXPECT_EQ(run.info.artifact_uri, "mlflow-artifacts:/" + exp + "/" + run_id + "/artifacts");
  const char* dir = std::getenv("MLFLOW_TEST_SERVER_DIR");
  ASSERT_NE(dir, nullptr);
  EXPECT_EQ(testing::file_bytes(fs::path(dir) / "mlartifacts" / exp / run_id / "artifacts" /
                                "where" / "am-i.txt"),
            "on disk");
}

TEST(Artifacts, EmbeddedStoreRoundTrip) {
  const fs::path base = testing::make_temp_dir("artifacts-embedded");
  MlflowClient client("sqlite:///" + (base / "mlflow.db").string());
  mlflow::CreateExperimentOptions options;
  options.artifact_location = (base / "artifact-root").string();
  const std::string exp = client.create_experiment(testing::unique_name("artifacts"), options);
  run_scenario(client, exp, /*server=*/false);

  // Files land in the run's own directory, where Python's local repository looks.
  const std::string run_id = client.create_run(exp).info.run_id;
  client.log_text(run_id, "local", "a/b.txt");
  const auto run = client.get_run(run_id);
  EXPECT_EQ(run.info.artifact_uri, (base / "artifact-root" / run_id / "artifacts").string());
  EXPECT_EQ(testing::file_bytes(base / "artifact-root" / run_id / "artifacts" / "a" / "b.txt"),
            "local");
  // With no destination, a local artifact is returned in place (as Python does).
  EXPECT_EQ(client.download_artifacts(run_id, "a/b.txt"),
            (base / "artifact-root" / run_id / "artifacts" / "a" / "b.txt").string());

  // file:// artifact locations work the same way.
  mlflow::CreateExperimentOptions file_options;
  file_options.artifact_location = "file://" + (base / "file-root").string();
  const std::string exp2 =
      client.create_experiment(testing::unique_name("artifacts-file"), file_options);
  const std::string run2 = client.create_run(exp2).info.run_id;
  client.log_text(run2, "via file uri", "f.txt");
  EXPECT_EQ(testing::file_bytes(base / "file-root" / run2 / "artifacts" / "f.txt"), "via file uri");
}

TEST(Artifacts, UnreachableArtifactSchemesFailClearly) {
  MlflowClient client(testing::server_uri());
  mlflow::CreateExperimentOptions options;
  options.artifact_location = "s3://some-bucket/" + testing::unique_name("prefix");
  const std::string exp = client.create_experiment(testing::unique_name("artifacts-s3"), options);
  const std::string run_id = client.create_run(exp).info.run_id;
  try {
    client.log_text(run_id, "x", "x.txt");
    ADD_FAILURE() << "s3 artifact URI accepted";
  } catch (const mlflow::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("--serve-artifacts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("s3:"), std::string::npos) << e.what();
  }
}

// A server started with --no-serve-artifacts answers 503 on the artifact API: the error names
// the cause at once (no minutes of retries). The server also has a --static-prefix, so that
// 503 (rather than a 404) shows mlflow-artifacts: URIs resolve under the tracking URI's path
// prefix (reference §4.2). Its default runs get local paths, which C++ writes directly, as
// Python does.
TEST(Artifacts, NoServeArtifactsServerUnderAPathPrefix) {
  // One worker starts faster; this server only answers a handful of requests.
  testing::ScopedEnv one_worker({{"MLFLOW_TEST_SERVER_WORKERS", std::string("1")}});
  testing::ScopedServer server("--no-serve-artifacts --static-prefix /pfx/a");
  ASSERT_NE(server.uri().find("/pfx/a"), std::string::npos) << server.uri();
  ASSERT_TRUE(server.started()) << server.output() << "\n" << server.log();
  MlflowClient client(server.uri());
  mlflow::CreateExperimentOptions options;
  options.artifact_location = "mlflow-artifacts:/proxied-but-disabled";
  const std::string exp = client.create_experiment("no-serve", options);
  const std::string run_id = client.create_run(exp).info.run_id;
  try {
    client.log_text(run_id, "x", "x.txt");
    ADD_FAILURE() << "upload to a --no-serve-artifacts server succeeded";
  } catch (const mlflow::MlflowException& e) {
    EXPECT_EQ(e.http_status(), 503);
    EXPECT_NE(std::string(e.what()).find("--no-serve-artifacts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/pfx/a/api/2.0/mlflow-artifacts/artifacts/"),
              std::string::npos)
        << e.what();
  }
  try {
    client.list_artifacts(run_id);
    ADD_FAILURE() << "listing on a --no-serve-artifacts server succeeded";
  } catch (const mlflow::MlflowException& e) {
    EXPECT_EQ(e.http_status(), 503) << e.what();
  }

  const std::string local_exp = client.create_experiment("no-serve-local");
  const std::string local_run = client.create_run(local_exp).info.run_id;
  const std::string uri = client.get_run(local_run).info.artifact_uri;
  ASSERT_FALSE(uri.empty());
  EXPECT_EQ(uri.front(), '/') << uri;
  client.log_text(local_run, "written locally", "l.txt");
  EXPECT_EQ(testing::file_bytes(fs::path(uri) / "l.txt"), "written locally");
  EXPECT_EQ(describe(client.list_artifacts(local_run), false), "l.txt(15) ");
}

}  // namespace
}  // namespace mlflow
