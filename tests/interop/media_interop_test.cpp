// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Interop of tables and images, on the real server and on the embedded store: Python's
// load_table reads the table C++ logged; Pillow decodes C++'s PNG and WebP thumbnail to the
// same pixels; Python's own keyed log_image writes the same file-name pattern and tag as C++;
// and C++ appends to and loads the table Python logged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "mlflow/mlflow_client.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace {
namespace fs = std::filesystem;
using mlflow::MlflowClient;
using nlohmann::json;

mlflow::Image pattern(int w, int h, int channels) {
  mlflow::Image img;
  img.width = w;
  img.height = h;
  img.channels = channels;
  for (int i = 0; i < w * h * channels; ++i) {
    img.pixels.push_back(static_cast<std::uint8_t>((i * 37 + 11) % 256));
  }
  return img;
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

const char* const kNamePattern =
    R"(images/(.+)\+step\+(\d+)\+timestamp\+(\d+)\+[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.png|\+compressed\.webp))";

void run_scenario(const std::string& uri, const std::string& exp) {
  MlflowClient client(uri);
  const std::string run = client.create_run(exp).info.run_id;
  client.log_table(run, R"({"q": ["a", "b"], "score": [0.5, 1.25]})", "cpp_table.json");
  mlflow::LogImageOptions options;
  options.key = "cpp/rgb";
  options.step = 2;
  const mlflow::Image rgb = pattern(40, 10, 3);
  client.log_image(run, rgb, options);
  options.key = "cpp rgba";
  options.step = 0;
  const mlflow::Image rgba = pattern(3, 5, 4);
  client.log_image(run, rgba, options);
  // Already 256 wide: its thumbnail keeps every pixel, so the lossless WebP must decode to them.
  options.key = "exact";
  const mlflow::Image exact = pattern(256, 3, 3);
  client.log_image(run, exact, options);

  const std::string cmd = mlflow::testing::python_peer_command("media_interop.py", {uri, exp, run});
  const auto result = mlflow::testing::run_command(cmd + " 2>/dev/null");
  ASSERT_EQ(result.exit_code, 0) << cmd << "\n" << result.output;
  const json out = json::parse(result.output.substr(result.output.rfind("\n{") + 1));

  EXPECT_EQ(out["table"]["columns"], json::parse(R"(["q", "score"])"));
  EXPECT_EQ(out["table"]["data"], json::parse(R"([["a", 0.5], ["b", 1.25]])"));

  ASSERT_EQ(out["images"].size(), 6u) << out["images"].dump();
  const std::regex name(kNamePattern);
  int checked = 0;
  for (const auto& [path, info] : out["images"].items()) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(path, m, name)) << path;
    if (m[1] == "exact") {
      EXPECT_EQ(info["size"], json::parse("[256, 3]")) << path;
      EXPECT_EQ(info["hex"], hex(exact.pixels)) << path;
      ++checked;
      continue;
    }
    const bool is_rgb = m[1] == "cpp~rgb";
    EXPECT_EQ(m[2], is_rgb ? "2" : "0");
    const bool thumbnail = m[4] == "+compressed.webp";
    EXPECT_EQ(info["format"], thumbnail ? "WEBP" : "PNG") << path;
    if (!thumbnail) {
      EXPECT_EQ(info["mode"], is_rgb ? "RGB" : "RGBA");
      EXPECT_EQ(info["size"], is_rgb ? json::parse("[40, 10]") : json::parse("[3, 5]"));
      EXPECT_EQ(info["hex"], hex(is_rgb ? rgb.pixels : rgba.pixels)) << path;
    } else {
      // Longer side 256, as Python's compress_image_size: 40x10 -> 256x64, 3x5 -> 153x256.
      EXPECT_EQ(info["size"], is_rgb ? json::parse("[256, 64]") : json::parse("[153, 256]"));
      EXPECT_EQ(info["mode"], is_rgb ? "RGB" : "RGBA");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6);

  // Python's keyed image: the same layout (key '/' as '~', step, timestamp, uuid; .png and
  // +compressed.webp) under images/, and the same tag value.
  ASSERT_EQ(out["python_images"].size(), 2u) << out.dump();
  for (const auto& p : out["python_images"]) {
    std::smatch m;
    const std::string path = p.get<std::string>();
    ASSERT_TRUE(std::regex_match(path, m, name)) << path;
    EXPECT_EQ(m[1], "py~key");
    EXPECT_EQ(m[2], "5");
  }
  EXPECT_EQ(out["tags"]["mlflow.loggedImages"], "True");
  EXPECT_EQ(
      out["tags"]["mlflow.loggedArtifacts"],
      R"([{"path": "cpp_table.json", "type": "table"}, {"path": "py_table.json", "type": "table"}])");

  // C++ appends to the table Python wrote and loads it back.
  client.log_table(run, R"({"q": ["from c++"], "n": [8]})", "py_table.json");
  EXPECT_EQ(
      json::parse(client.load_table(exp, "py_table.json", {run})),
      json::parse(R"({"columns": ["q", "n"], "data": [["from python", 7], ["from c++", 8]]})"));
}

TEST(MediaInterop, ServerStore) {
  MlflowClient client(mlflow::testing::server_uri());
  run_scenario(mlflow::testing::server_uri(),
               client.create_experiment(mlflow::testing::unique_name("media")));
}

TEST(MediaInterop, EmbeddedStore) {
  const fs::path base = mlflow::testing::make_temp_dir("media-embedded");
  const std::string uri = "sqlite:///" + (base / "mlflow.db").string();
  MlflowClient client(uri);
  mlflow::CreateExperimentOptions o;
  o.artifact_location = (base / "root").string();
  run_scenario(uri, client.create_experiment("media", o));
}

}  // namespace
