// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// LocalArtifactRepository on temp directories: layout, listings, downloads, symlink policy.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "artifacts/artifact_repository.hpp"
#include "artifacts/local_artifact_repository.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "support/files.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

std::string binary_blob() {
  std::string s;
  for (int i = 0; i < 70000; ++i) s += static_cast<char>((i * 131 + 7) % 256);
  return s;
}

// A tree with nested dirs, an empty file, binary data and unicode names.
fs::path make_tree() {
  const fs::path src = testing::make_temp_dir("art-src");
  testing::write_file(src / "top.txt", "hello\n");
  testing::write_file(src / "empty.txt", "");
  testing::write_file(src / "sub" / "data.bin", binary_blob());
  testing::write_file(src / "sub" / "deeper" / u8"été ☃.txt", u8"naïve\n");
  return src;
}

std::vector<std::string> paths(const std::vector<FileInfo>& infos) {
  std::vector<std::string> out;
  for (const auto& i : infos) out.push_back(i.path + (i.is_dir ? "/" : ""));
  return out;
}

TEST(LocalArtifactRepoTest, LogListDownloadNestedTree) {
  const fs::path src = make_tree();
  const fs::path root = fs::path(testing::make_temp_dir("art-root")) / "1" / "run" / "artifacts";
  LocalArtifactRepository repo(root.string());
  repo.log_artifacts(src.string(), "");
  repo.log_artifacts(src.string(), "copy/two");

  // Files land exactly where MLflow puts them.
  EXPECT_EQ(testing::file_bytes(root / "top.txt"), "hello\n");
  EXPECT_EQ(testing::file_bytes(root / "copy" / "two" / "sub" / "data.bin"), binary_blob());

  const auto top = repo.list_artifacts("");
  EXPECT_EQ(paths(top), (std::vector<std::string>{"copy/", "empty.txt", "sub/", "top.txt"}));
  EXPECT_EQ(top[1].file_size, std::optional<std::int64_t>(0));  // local: empty file has size 0
  EXPECT_EQ(top[0].file_size, std::nullopt);
  EXPECT_EQ(top[3].file_size, std::optional<std::int64_t>(6));
  EXPECT_EQ(paths(repo.list_artifacts("sub")),
            (std::vector<std::string>{"sub/data.bin", "sub/deeper/"}));
  EXPECT_EQ(paths(repo.list_artifacts("sub/deeper")),
            (std::vector<std::string>{u8"sub/deeper/été ☃.txt"}));
  EXPECT_EQ(paths(repo.list_artifacts("sub/")), paths(repo.list_artifacts("sub")));
  EXPECT_TRUE(repo.list_artifacts("top.txt").empty());  // a file lists as empty
  EXPECT_TRUE(repo.list_artifacts("missing").empty());  // so does a missing path
  EXPECT_THROW(repo.list_artifacts("../x"), InvalidArgument);

  const fs::path dst = testing::make_temp_dir("art-dst");
  EXPECT_EQ(repo.download_artifacts("", dst), dst.string());
  EXPECT_EQ(testing::file_bytes(dst / "top.txt"), "hello\n");
  EXPECT_TRUE(fs::exists(dst / "empty.txt"));
  EXPECT_EQ(fs::file_size(dst / "empty.txt"), 0u);
  EXPECT_EQ(testing::file_bytes(dst / "sub" / "data.bin"), binary_blob());
  EXPECT_EQ(testing::file_bytes(dst / "sub" / "deeper" / u8"été ☃.txt"), u8"naïve\n");
  EXPECT_EQ(testing::file_bytes(dst / "copy" / "two" / "sub" / "data.bin"), binary_blob());

  const fs::path dst2 = testing::make_temp_dir("art-dst2");
  EXPECT_EQ(repo.download_artifacts("sub/data.bin", dst2), (dst2 / "sub" / "data.bin").string());
  EXPECT_EQ(testing::file_bytes(dst2 / "sub" / "data.bin"), binary_blob());
  EXPECT_FALSE(fs::exists(dst2 / "top.txt"));
  EXPECT_THROW(repo.download_artifacts("nope.txt", dst2), NotFound);
  EXPECT_THROW(repo.download_artifacts("../outside", dst2), InvalidArgument);

  EXPECT_EQ(repo.get_local_path("sub"), std::optional<std::string>((root / "sub").string()));
  EXPECT_THROW(repo.get_local_path("missing"), NotFound);

  repo.delete_artifacts("copy");
  EXPECT_FALSE(fs::exists(root / "copy"));
  EXPECT_EQ(paths(repo.list_artifacts("")),
            (std::vector<std::string>{"empty.txt", "sub/", "top.txt"}));
}

TEST(LocalArtifactRepoTest, SingleFileEmptyDirsAndReservedNames) {
  const fs::path src = testing::make_temp_dir("art-one");
  testing::write_file(src / "model.pkl", std::string("\0\x01\x02", 3));
  fs::create_directories(src / "tree" / "emptydir");
  const fs::path root = fs::path(testing::make_temp_dir("art-root")) / "artifacts";
  LocalArtifactRepository repo(root.string());
  repo.log_artifact((src / "model.pkl").string(), "models/a");
  EXPECT_EQ(testing::file_bytes(root / "models" / "a" / "model.pkl"), std::string("\0\x01\x02", 3));
  // Re-logging overwrites.
  testing::write_file(src / "model.pkl", "v2");
  repo.log_artifact((src / "model.pkl").string(), "models/a");
  EXPECT_EQ(testing::file_bytes(root / "models" / "a" / "model.pkl"), "v2");
  // Empty directories are kept locally, as Python's copytree keeps them.
  repo.log_artifacts((src / "tree").string(), "t");
  EXPECT_TRUE(fs::is_directory(root / "t" / "emptydir"));
  const fs::path dst = testing::make_temp_dir("art-dst");
  repo.download_artifacts("t", dst);
  EXPECT_TRUE(fs::is_directory(dst / "t" / "emptydir"));

  testing::write_file(src / ".artifact.uploading.x", "x");
  EXPECT_THROW(repo.log_artifact((src / ".artifact.uploading.x").string(), ""), InvalidArgument);
  EXPECT_THROW(repo.log_artifact((src / "model.pkl").string(), "../up"), InvalidArgument);
  EXPECT_THROW(repo.log_artifact((src / "model.pkl").string(), "/abs"), InvalidArgument);
  EXPECT_THROW(repo.log_artifact((src / "model.pkl").string(), "a//b"), InvalidArgument);
  EXPECT_THROW(repo.log_artifact((src / "missing").string(), ""), InvalidArgument);
  EXPECT_THROW(repo.log_artifacts((src / "model.pkl").string(), ""), InvalidArgument);
  // No temp files are left behind, and listings would hide them anyway.
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    EXPECT_EQ(e.path().filename().string().rfind(".artifact.uploading.", 0), std::string::npos)
        << e.path();
  }
}

// Symlink policy of directory uploads (documented in artifact_repository.hpp): links to files
// inside the tree are followed; links leaving the tree and links to directories are skipped.
TEST(LocalArtifactRepoTest, SymlinkPolicyOfDirectoryUploads) {
  const fs::path outside = testing::make_temp_dir("art-secret");
  testing::write_file(outside / "secret.txt", "do not upload");
  const fs::path src = testing::make_temp_dir("art-links");
  testing::write_file(src / "real.txt", "real");
  testing::write_file(src / "d" / "inner.txt", "inner");
  fs::create_symlink(src / "real.txt", src / "link-inside.txt");
  fs::create_symlink("../real.txt", src / "d" / "relative-link.txt");
  fs::create_symlink(outside / "secret.txt", src / "link-outside.txt");
  fs::create_symlink(outside, src / "dir-link");
  fs::create_symlink(src / "d", src / "dir-link-inside");
  fs::create_symlink(src / "nowhere", src / "dangling");

  const fs::path root = fs::path(testing::make_temp_dir("art-root")) / "artifacts";
  LocalArtifactRepository repo(root.string());
  std::vector<std::string> warnings;
  mlflow::set_log_handler(
      [&](mlflow::LogLevel, const std::string& message) { warnings.push_back(message); },
      mlflow::LogLevel::kWarning);
  repo.log_artifacts(src.string(), "");
  mlflow::set_log_handler(nullptr);
  // One warning per skipped entry, naming it.
  ASSERT_EQ(warnings.size(), 4u);
  for (const std::string name : {"link-outside.txt", "dir-link", "dir-link-inside", "dangling"}) {
    EXPECT_EQ(std::count_if(warnings.begin(), warnings.end(),
                            [&](const std::string& w) {
                              return w.find("/" + name + "'") != std::string::npos;
                            }),
              1)
        << name;
  }
  EXPECT_EQ(testing::file_bytes(root / "link-inside.txt"), "real");
  EXPECT_FALSE(fs::is_symlink(root / "link-inside.txt"));  // content, not a link
  EXPECT_EQ(testing::file_bytes(root / "d" / "relative-link.txt"), "real");
  EXPECT_FALSE(fs::exists(root / "link-outside.txt"));
  EXPECT_FALSE(fs::exists(root / "dir-link"));
  EXPECT_FALSE(fs::exists(root / "dir-link-inside"));
  EXPECT_FALSE(fs::exists(root / "dangling"));
  EXPECT_EQ(testing::file_bytes(root / "real.txt"), "real");
  EXPECT_EQ(testing::file_bytes(root / "d" / "inner.txt"), "inner");
  // A link named explicitly is followed (the user chose that file).
  repo.log_artifact((src / "link-outside.txt").string(), "explicit");
  EXPECT_EQ(testing::file_bytes(root / "explicit" / "link-outside.txt"), "do not upload");
}

TEST(LocalArtifactRepoTest, DownloadRefusesSymlinkPlantedInDestination) {
  const fs::path src = testing::make_temp_dir("art-src");
  testing::write_file(src / "evil" / "payload.txt", "payload");
  const fs::path root = fs::path(testing::make_temp_dir("art-root")) / "artifacts";
  LocalArtifactRepository repo(root.string());
  repo.log_artifacts(src.string(), "");
  const fs::path outside = testing::make_temp_dir("art-outside");
  const fs::path dst = testing::make_temp_dir("art-dst");
  fs::create_symlink(outside, dst / "evil");
  EXPECT_THROW(repo.download_artifacts("", dst), InvalidArgument);
  EXPECT_FALSE(fs::exists(outside / "payload.txt"));
}

TEST(LocalArtifactRepoTest, ArtifactDirectoryBehindSymlinkIsNotEscaped) {
  // A link inside the artifact root pointing elsewhere is refused for writes through it.
  const fs::path root = fs::path(testing::make_temp_dir("art-root")) / "artifacts";
  fs::create_directories(root);
  const fs::path outside = testing::make_temp_dir("art-outside");
  fs::create_symlink(outside, root / "escape");
  const fs::path src = testing::make_temp_dir("art-src");
  testing::write_file(src / "f.txt", "x");
  LocalArtifactRepository repo(root.string());
  EXPECT_THROW(repo.log_artifact((src / "f.txt").string(), "escape"), InvalidArgument);
  EXPECT_FALSE(fs::exists(outside / "f.txt"));
}

}  // namespace
}  // namespace mlflow::internal
