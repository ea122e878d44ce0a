// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Interop: Python's mlflow.MlflowClient (3.18) lists and downloads what the C++ client
// uploaded through the real server, byte for byte; and C++ reads what Python then wrote.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlflow/mlflow_client.hpp"
#include "support/files.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// Every entry at every level, depth-first, as the Python script walks it.
void walk(MlflowClient& client, const std::string& run_id, const std::string& path, json& out) {
  for (const FileInfo& info : client.list_artifacts(run_id, path)) {
    out.push_back({{"path", info.path},
                   {"is_dir", info.is_dir},
                   {"file_size", info.file_size ? json(*info.file_size) : json(nullptr)}});
    if (info.is_dir) walk(client, run_id, info.path, out);
  }
}

TEST(ArtifactsInterop, PythonReadsWhatCppUploadedAndBack) {
  MlflowClient client(testing::server_uri());
  const std::string exp = client.create_experiment(testing::unique_name("artifacts-interop"));
  const std::string run_id = client.create_run(exp).info.run_id;

  const fs::path src = fs::path(testing::make_temp_dir("artifacts-interop")) / "src";
  std::string blob;
  for (int i = 0; i < 200000; ++i) blob += static_cast<char>((i * 31 + 5) % 256);
  testing::write_file(src / "a.txt", "alpha\n");
  testing::write_file(src / "empty", "");
  testing::write_file(src / "d" / "blob.bin", blob);
  testing::write_file(src / "d" / "e" / u8"ünï ☃.txt", u8"ünïcode\n");
  client.log_artifacts(run_id, src.string(), "up");
  client.log_text(run_id, "note", "n.txt");

  const fs::path py_dst = testing::make_temp_dir("artifacts-interop-py");
  const std::string cmd = testing::python_peer_command(
      "artifacts_interop.py", {testing::server_uri(), run_id, py_dst.string()});
  const auto result = testing::run_command(cmd);
  ASSERT_EQ(result.exit_code, 0) << cmd << "\n" << result.output;
  const json py = json::parse(result.output);

  // Same listing, entry for entry (sizes included: both omit the empty file's size).
  json cpp_listing = json::array();
  walk(client, run_id, "", cpp_listing);
  cpp_listing.erase(
      std::remove_if(
          cpp_listing.begin(), cpp_listing.end(),
          [](const json& e) { return e["path"].get<std::string>().rfind("from_python", 0) == 0; }),
      cpp_listing.end());
  EXPECT_EQ(py["listing"], cpp_listing);
  EXPECT_EQ(py["listing"].size(), 8u) << py["listing"].dump(2);

  // Python downloaded the bytes C++ uploaded.
  EXPECT_EQ(py["downloaded"].get<std::string>(), py_dst.string());
  EXPECT_EQ(testing::file_bytes(py_dst / "up" / "a.txt"), "alpha\n");
  EXPECT_TRUE(fs::exists(py_dst / "up" / "empty"));
  EXPECT_EQ(fs::file_size(py_dst / "up" / "empty"), 0u);
  EXPECT_EQ(testing::file_bytes(py_dst / "up" / "d" / "blob.bin"), blob);
  EXPECT_EQ(testing::file_bytes(py_dst / "up" / "d" / "e" / u8"ünï ☃.txt"), u8"ünïcode\n");
  EXPECT_EQ(testing::file_bytes(py_dst / "n.txt"), "note");

  // And C++ reads what Python wrote.
  const auto listed = client.list_artifacts(run_id, "from_python");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, "from_python/hello.txt");
  const fs::path cpp_dst = testing::make_temp_dir("artifacts-interop-cpp");
  const std::string got =
      client.download_artifacts(run_id, "from_python/hello.txt", cpp_dst.string());
  EXPECT_EQ(testing::file_bytes(got), u8"written by python ✓");
}

}  // namespace
}  // namespace mlflow
