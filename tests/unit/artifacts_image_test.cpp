// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// log_image on the embedded store: PNG and lossless WebP byte structure (signatures, chunk
// CRCs, sizes), the thumbnail size rule, the keyed file names and the run tag, bad input.
// (Decoding by Pillow is checked by the interop test.)
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "artifacts/image_codec.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {
namespace fs = std::filesystem;

Image gradient(int w, int h, int channels) {
  Image img;
  img.width = w;
  img.height = h;
  img.channels = channels;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c) {
        img.pixels.push_back(static_cast<std::uint8_t>((x * 7 + y * 3 + c * 50) % 256));
      }
    }
  }
  return img;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

TEST(ArtifactsImageTest, PngChunksAndPixelsRoundTripThroughZlib) {
  const Image img = gradient(5, 3, 3);
  const std::string png = encode_png(img);
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::size_t at = 8;
  std::string idat;
  std::vector<std::string> types;
  while (at < png.size()) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string data = png.substr(at + 8, len);
    const std::string typed = type + data;
    EXPECT_EQ(be32(png, at + 8 + len),
              crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), typed.size()))
        << type;
    if (type == "IHDR") {
      EXPECT_EQ(be32(data, 0), 5u);
      EXPECT_EQ(be32(data, 4), 3u);
      EXPECT_EQ(data[8], 8);  // bit depth
      EXPECT_EQ(data[9], 2);  // RGB
    }
    if (type == "IDAT") idat += data;
    types.push_back(type);
    at += 12 + len;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"IHDR", "IDAT", "IEND"}));
  std::string raw(3 * (1 + 5 * 3), '\0');
  uLongf raw_size = raw.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(&raw[0]), &raw_size,
                       reinterpret_cast<const Bytef*>(idat.data()), idat.size()),
            Z_OK);
  for (int y = 0; y < 3; ++y) {
    EXPECT_EQ(raw[y * 16], '\0');
    EXPECT_EQ(raw.substr(y * 16 + 1, 15),
              std::string(reinterpret_cast<const char*>(img.pixels.data()) + y * 15, 15));
  }
  EXPECT_EQ(encode_png(gradient(2, 2, 1)).substr(8 + 8 + 9, 1), std::string(1, '\0'));  // gray
  EXPECT_EQ(encode_png(gradient(2, 2, 4)).substr(8 + 8 + 9, 1), std::string(1, '\6'));  // RGBA
}

TEST(ArtifactsImageTest, WebpContainerAndHeader) {
  const std::string webp = encode_webp_lossless(gradient(300, 7, 4));
  ASSERT_EQ(webp.substr(0, 4), "RIFF");
  EXPECT_EQ(webp.substr(8, 8), "WEBPVP8L");
  const auto le32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(webp[at + i]);
    return v;
  };
  EXPECT_EQ(le32(4), webp.size() - 8);
  EXPECT_EQ(le32(16) + (le32(16) % 2), webp.size() - 20);
  EXPECT_EQ(static_cast<unsigned char>(webp[20]), 0x2f);
  const std::uint32_t bits = le32(21);
  EXPECT_EQ((bits & 0x3fff) + 1, 300u);
  EXPECT_EQ(((bits >> 14) & 0x3fff) + 1, 7u);
  EXPECT_EQ((bits >> 28) & 1, 1u);  // alpha used
}

TEST(ArtifactsImageTest, ThumbnailKeepsTheAspectRatioAsPythonRoundsIt) {
  EXPECT_EQ(resize_to_fit(gradient(1000, 300, 3), 256).width, 256);
  EXPECT_EQ(resize_to_fit(gradient(1000, 300, 3), 256).height, 76);  // int(300 * 0.256)
  EXPECT_EQ(resize_to_fit(gradient(10, 20, 1), 256).width, 128);     // upscaled, as Python
  EXPECT_EQ(resize_to_fit(gradient(10, 20, 1), 256).height, 256);
  Image flat = gradient(4, 4, 1);
  std::fill(flat.pixels.begin(), flat.pixels.end(), 77);
  for (auto p : resize_to_fit(flat, 2).pixels) EXPECT_EQ(p, 77);
}

TEST(ArtifactsImageTest, KeyedImagesLandWherePythonPutsThem) {
  const fs::path base = mlflow::testing::make_temp_dir("artifacts-image");
  MlflowClient client("sqlite:///" + (base / "mlflow.db").string());
  CreateExperimentOptions o;
  o.artifact_location = (base / "root").string();
  const std::string run = client.create_run(client.create_experiment("img", o)).info.run_id;
  LogImageOptions options;
  options.key = "val/sample img";
  options.step = 3;
  options.timestamp = 1700000000123;
  client.log_image(run, gradient(64, 32, 3), options);
  client.log_image(run, gradient(8, 8, 1), "plots/static.png");

  const std::regex name(
      R"(images/val~sample img\+step\+3\+timestamp\+1700000000123\+[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(\.png|\+compressed\.webp))");
  const auto listing = client.list_artifacts(run, "images");
  ASSERT_EQ(listing.size(), 2u);
  for (const auto& f : listing) EXPECT_TRUE(std::regex_match(f.path, name)) << f.path;
  const std::string stem = listing[1].path.substr(0, listing[1].path.size() - 4);  // ".png"
  EXPECT_EQ(listing[0].path, stem + "+compressed.webp");
  EXPECT_EQ(client.get_run(run).data.tags.at("mlflow.loggedImages"), "True");
  EXPECT_EQ(client.list_artifacts(run, "plots").size(), 1u);

  Image bad = gradient(4, 4, 3);
  bad.pixels.pop_back();
  EXPECT_THROW(client.log_image(run, bad, "x.png"), InvalidArgument);
  EXPECT_THROW(client.log_image(run, gradient(4, 4, 2), "x.png"), InvalidArgument);
  EXPECT_THROW(client.log_image(run, gradient(4, 4, 3), "x.jpg"), InvalidArgument);
  EXPECT_THROW(client.log_image(run, gradient(4, 4, 3), "../x.png"), InvalidArgument);
  options.key = "bad:key";
  EXPECT_THROW(client.log_image(run, gradient(4, 4, 3), options), InvalidArgument);
  EXPECT_EQ(client.list_artifacts(run, "images").size(), 2u);
  EXPECT_TRUE(client.list_artifacts(run, "").size() == 2u);  // images/ and plots/
}

}  // namespace
}  // namespace mlflow::internal
