// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MlflowClient's artifact methods on the embedded store (hermetic: a temp SQLite file and a
// temp artifact root): Python's path rules for log_artifact/log_text/log_dict and
// download_artifacts destinations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace {
namespace fs = std::filesystem;
using mlflow::MlflowClient;
using mlflow::testing::make_temp_dir;

using mlflow::testing::file_bytes;

struct Fixture {
  fs::path base = make_temp_dir("artifacts-client");
  MlflowClient client{"sqlite:///" + (base / "mlflow.db").string()};
  std::string run_id;
  fs::path artifacts;
  Fixture() {
    mlflow::CreateExperimentOptions o;
    o.artifact_location = (base / "root").string();
    const std::string exp = client.create_experiment("artifacts-client", o);
    run_id = client.create_run(exp).info.run_id;
    artifacts = base / "root" / run_id / "artifacts";
  }
};

TEST(ArtifactsClientTest, LogArtifactOfADirectoryKeepsItsName) {
  Fixture f;
  const fs::path src = f.base / "src" / "mydir";
  fs::create_directories(src / "inner");
  std::ofstream(src / "inner" / "x.txt") << "x";
  f.client.log_artifact(f.run_id, src.string());
  f.client.log_artifact(f.run_id, src.string() + "/", "under");
  EXPECT_EQ(file_bytes(f.artifacts / "mydir" / "inner" / "x.txt"), "x");
  EXPECT_EQ(file_bytes(f.artifacts / "under" / "mydir" / "inner" / "x.txt"), "x");
}

TEST(ArtifactsClientTest, LogTextAndLogDictPaths) {
  Fixture f;
  f.client.log_text(f.run_id, "one", "a.txt");
  f.client.log_text(f.run_id, "two", "d/./e//b.txt");  // normalised as posixpath.normpath
  EXPECT_EQ(file_bytes(f.artifacts / "a.txt"), "one");
  EXPECT_EQ(file_bytes(f.artifacts / "d" / "e" / "b.txt"), "two");
  EXPECT_THROW(f.client.log_text(f.run_id, "x", "../escape.txt"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_text(f.run_id, "x", "/abs.txt"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_text(f.run_id, "x", ""), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_text(f.run_id, "x", "dir/.."), mlflow::InvalidArgument);
  EXPECT_FALSE(fs::exists(f.base / "root" / f.run_id / "escape.txt"));

  f.client.log_dict(f.run_id, R"({"z":{"k":[]},"a":{}})", "cfg.json");
  EXPECT_EQ(file_bytes(f.artifacts / "cfg.json"),
            "{\n  \"z\": {\n    \"k\": []\n  },\n  \"a\": {}\n}");
  f.client.log_dict(f.run_id, "[1, 2]", "noext");
  EXPECT_EQ(file_bytes(f.artifacts / "noext"), "[\n  1,\n  2\n]");
  EXPECT_THROW(f.client.log_dict(f.run_id, "{\"a\": }", "bad.json"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_dict(f.run_id, "{}", "c.yml"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.log_dict(f.run_id, "\"\xff\"", "bad-utf8.json"), mlflow::InvalidArgument);
}

TEST(ArtifactsClientTest, DownloadDestinations) {
  Fixture f;
  f.client.log_text(f.run_id, "data", "d/f.txt");
  // A missing destination is created, parents included.
  const fs::path dst = f.base / "out" / "a" / "b";
  EXPECT_EQ(f.client.download_artifacts(f.run_id, "d", dst.string()), (dst / "d").string());
  EXPECT_EQ(file_bytes(dst / "d" / "f.txt"), "data");
  // A file as destination is refused.
  std::ofstream(f.base / "plain-file") << "x";
  EXPECT_THROW(f.client.download_artifacts(f.run_id, "d", (f.base / "plain-file").string()),
               mlflow::InvalidArgument);
  // No destination on a local store: the artifact itself, in place.
  EXPECT_EQ(f.client.download_artifacts(f.run_id, ""), f.artifacts.string());
  EXPECT_EQ(f.client.download_artifacts(f.run_id, "d/f.txt"),
            (f.artifacts / "d" / "f.txt").string());
  EXPECT_THROW(f.client.download_artifacts(f.run_id, "nope"), mlflow::NotFound);
  EXPECT_THROW(f.client.download_artifacts(f.run_id, "../x"), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.list_artifacts(""), mlflow::InvalidArgument);
  EXPECT_THROW(f.client.list_artifacts("0000000000000000000000000000000a"), mlflow::NotFound);
}

TEST(ArtifactsClientTest, DefaultArtifactRootIsUnderTheWorkingDirectory) {
  // The embedded store's default: <cwd>/mlruns/<exp>/<run>/artifacts, as Python's SQL store.
  const fs::path base = make_temp_dir("artifacts-cwd");
  const fs::path old = fs::current_path();
  fs::current_path(base);
  try {
    MlflowClient client("sqlite:///" + (base / "m.db").string());
    const std::string exp = client.create_experiment("cwd-default");
    const std::string run = client.create_run(exp).info.run_id;
    client.log_text(run, "here", "t.txt");
    EXPECT_EQ(client.get_run(run).info.artifact_uri,
              (base / "mlruns" / exp / run / "artifacts").string());
    EXPECT_EQ(file_bytes(base / "mlruns" / exp / run / "artifacts" / "t.txt"), "here");
  } catch (...) {
    fs::current_path(old);
    throw;
  }
  fs::current_path(old);
}

}  // namespace
