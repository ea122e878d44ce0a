// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Path safety and URI resolution of the artifact code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "artifacts/artifact_path.hpp"
#include "artifacts/artifact_repository.hpp"
#include "mlflow/errors.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

TEST(ArtifactPathTest, SafeRelativePathsAreAccepted) {
  for (const std::string p : {"", "a", "a/b.txt", "dir/sub/file", "été/naïve.bin", "a..b", "..a/b",
                              "a/.hidden", "with space"}) {
    EXPECT_NO_THROW(check_safe_relative_path(p, "test")) << p;
  }
}

TEST(ArtifactPathTest, UnsafePathsAreRejected) {
  for (const std::string& p :
       std::vector<std::string>{"..", "../x", "a/../../x", "a/..", "/etc/passwd", "/", "a\\b",
                                "..\\x", "a#b", "%2e%2e/x", "a/%2E%2E/b", "%252e%252e/x", "C:/x",
                                "file:///etc/passwd", std::string("a\0b", 3)}) {
    try {
      check_safe_relative_path(p, "test");
      ADD_FAILURE() << "accepted " << p;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("Invalid path"), std::string::npos);
    }
  }
}

TEST(ArtifactPathTest, UploadDirectoryMustBeNormal) {
  for (const std::string p : {"", "a", "a/b", "été"}) EXPECT_NO_THROW(check_artifact_dir(p)) << p;
  for (const std::string p : {"a//b", "a/./b", "a/", "/a", "..", ".", "../a", "a/../b", "a\\b"}) {
    EXPECT_THROW(check_artifact_dir(p), InvalidArgument) << p;
  }
  try {
    check_artifact_dir("a//b");
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("would resolve to 'a/b'"), std::string::npos) << e.what();
  }
}

TEST(ArtifactPathTest, PosixHelpers) {
  EXPECT_EQ(posix_normpath(""), ".");
  EXPECT_EQ(posix_normpath("a//b/./c/"), "a/b/c");
  EXPECT_EQ(posix_normpath("a/../../b"), "../b");
  EXPECT_EQ(posix_normpath("/a/../.."), "/");
  EXPECT_EQ(posix_join("", "b"), "b");
  EXPECT_EQ(posix_join("a", ""), "a");
  EXPECT_EQ(posix_join("a", "b"), "a/b");
  EXPECT_EQ(posix_basename("a/b.txt"), "b.txt");
  EXPECT_EQ(posix_basename("b.txt"), "b.txt");
  EXPECT_EQ(posix_dirname("a/b/c"), "a/b");
  EXPECT_EQ(posix_dirname("c"), "");
  EXPECT_EQ(posix_dirname("/x"), "/");
  EXPECT_EQ(percent_decode("a%20b%2Fc%zz%"), "a b/c%zz%");
}

TEST(ArtifactPathTest, ContainedPathRefusesSymlinkEscapes) {
  const fs::path root = mlflow::testing::make_temp_dir("contained");
  const fs::path outside = mlflow::testing::make_temp_dir("outside");
  fs::create_directories(root / "sub");
  fs::create_symlink(outside, root / "link");
  fs::create_symlink(root / "sub", root / "inner-link");
  EXPECT_EQ(contained_path(root, "sub/new.txt"), root / "sub" / "new.txt");
  EXPECT_EQ(contained_path(root, "not/yet/there"), root / "not" / "yet" / "there");
  EXPECT_NO_THROW(contained_path(root, "inner-link/x"));
  EXPECT_THROW(contained_path(root, "link/x"), InvalidArgument);
  EXPECT_THROW(contained_path(root, "link"), InvalidArgument);
}

TEST(ArtifactUriTest, MlflowArtifactsResolution) {
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:/1/abc/artifacts", "http://h:5000"),
            "http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts");
  // The tracking URI's path prefix is kept.
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:/1/abc/artifacts", "http://h:5000/pre"),
            "http://h:5000/pre/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts");
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:/1/abc/artifacts", "https://h/a/b/"),
            "https://h/a/b/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts");
  // The URI's own host wins, with the tracking URI's scheme.
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts://other:6000/7/r/artifacts",
                                         "https://h:5000/pre"),
            "https://other:6000/pre/api/2.0/mlflow-artifacts/artifacts/7/r/artifacts");
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:/", "http://h:5000/pre"),
            "http://h:5000/api/2.0/mlflow-artifacts/artifacts");
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:/api/2.0/mlflow-artifacts/artifacts",
                                         "http://h:5000"),
            "http://h:5000/api/2.0/mlflow-artifacts/artifacts");
  EXPECT_EQ(resolve_mlflow_artifacts_uri("mlflow-artifacts:///1//x", "http://h:5000"),
            "http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/x");
}

TEST(ArtifactUriTest, MlflowArtifactsErrors) {
  try {
    resolve_mlflow_artifacts_uri("mlflow-artifacts:/1/r/artifacts", "sqlite:///x.db");
    ADD_FAILURE();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("must be a valid http or https URI"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("MLFLOW_TRACKING_URI"), std::string::npos);
  }
  EXPECT_THROW(resolve_mlflow_artifacts_uri("mlflow-artifacts://5000/x", "http://h:5000"),
               InvalidArgument);
  EXPECT_THROW(resolve_mlflow_artifacts_uri("mlflow-artifacts://:5000/x", "http://h:5000"),
               InvalidArgument);
}

TEST(ArtifactUriTest, RepositoryChoiceFollowsTheArtifactUri) {
  ArtifactClientContext context;
  context.config.tracking_uri = "http://127.0.0.1:1";
  EXPECT_EQ(local_path_from_uri("file:///tmp/a%20b/x"), "/tmp/a b/x");
  EXPECT_EQ(local_path_from_uri("file://localhost/tmp/x"), "/tmp/x");
  EXPECT_EQ(local_path_from_uri("/tmp/plain"), "/tmp/plain");
  EXPECT_THROW(local_path_from_uri("file://remotehost/tmp/x"), InvalidArgument);
  EXPECT_NE(make_artifact_repository("/tmp/x/artifacts", context), nullptr);
  EXPECT_NE(make_artifact_repository("file:///tmp/x/artifacts", context), nullptr);
  EXPECT_NE(make_artifact_repository("mlflow-artifacts:/1/r/artifacts", context), nullptr);
  EXPECT_NE(make_artifact_repository("https://h/api/2.0/mlflow-artifacts/artifacts/1", context),
            nullptr);
  for (const std::string uri :
       {"s3://bucket/p/1/r/artifacts", "gs://b/x", "wasbs://c@a/x", "dbfs:/x", "hdfs://n/x"}) {
    try {
      make_artifact_repository(uri, context);
      ADD_FAILURE() << uri;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("--serve-artifacts"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace mlflow::internal
