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
#include "support/test_env.hpp"

namespace {
namespace fs = std::filesystem;
using mlflow::FileInfo;
using mlflow::MlflowClient;
using mlflow::testing::make_temp_dir;
using mlflow::testing::server_uri;
using mlflow::testing::unique_name;
using nlohmann::json;

void write(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string script_path() {
  const char* env = std::getenv("MLFLOW_CPP_SOURCE_DIR");
  std::string root = env != nullptr && *env != '\0' ? env : "";
#ifdef MLFLOW_CPP_SOURCE_DIR
  if (root.empty()) root = MLFLOW_CPP_SOURCE_DIR;
#endif
  if (root.empty()) root = mlflow::testing::source_dir();
  return root + "/tests/interop/artifacts_interop.py";
}

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
  MlflowClient client(server_uri());
  const std::string exp = client.create_experiment(unique_name("artifacts-interop"));
  const std::string run_id = client.create_run(exp).info.run_id;

  const fs::path src = fs::path(make_temp_dir("artifacts-interop")) / "src";
  std::string blob;
  for (int i = 0; i < 200000; ++i) blob += static_cast<char>((i * 31 + 5) % 256);
  write(src / "a.txt", "alpha\n");
  write(src / "empty", "");
  write(src / "d" / "blob.bin", blob);
  write(src / "d" / "e" / u8"ünï ☃.txt", u8"ünïcode\n");
  client.log_artifacts(run_id, src.string(), "up");
  client.log_text(run_id, "note", "n.txt");

  const fs::path py_dst = make_temp_dir("artifacts-interop-py");
  const std::string cmd = shell_quote(mlflow::testing::mlflow_python()) + " " +
                          shell_quote(script_path()) + " " + shell_quote(server_uri()) + " " +
                          shell_quote(run_id) + " " + shell_quote(py_dst.string());
  const auto result = mlflow::testing::run_command(cmd);
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
  EXPECT_EQ(read(py_dst / "up" / "a.txt"), "alpha\n");
  EXPECT_TRUE(fs::exists(py_dst / "up" / "empty"));
  EXPECT_EQ(fs::file_size(py_dst / "up" / "empty"), 0u);
  EXPECT_EQ(read(py_dst / "up" / "d" / "blob.bin"), blob);
  EXPECT_EQ(read(py_dst / "up" / "d" / "e" / u8"ünï ☃.txt"), u8"ünïcode\n");
  EXPECT_EQ(read(py_dst / "n.txt"), "note");

  // And C++ reads what Python wrote.
  const auto listed = client.list_artifacts(run_id, "from_python");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, "from_python/hello.txt");
  const fs::path cpp_dst = make_temp_dir("artifacts-interop-cpp");
  const std::string got =
      client.download_artifacts(run_id, "from_python/hello.txt", cpp_dst.string());
  EXPECT_EQ(read(got), u8"written by python ✓");
}

}  // namespace
