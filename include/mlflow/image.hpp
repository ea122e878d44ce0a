// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// Image: raw 8-bit pixels for MlflowClient::log_image, and LogImageOptions (key/step logging).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflow {

/// Row-major 8-bit pixels, top row first, channels interleaved: 1 = gray, 3 = RGB, 4 = RGBA.
/// `pixels.size()` must be width * height * channels.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::vector<std::uint8_t> pixels{};
};

/// MLflow 3's keyed image logging (Python's log_image(image, key=, step=, timestamp=)): the UI
/// shows the images of one key as a series over steps in its image grid.
struct LogImageOptions {
  /// Letters, digits, '_', '-', '.', ' ' and '/'.
  std::string key{};
  /// 0 when absent (as Python).
  std::optional<std::int64_t> step{};
  /// Milliseconds since the epoch; now when absent.
  std::optional<std::int64_t> timestamp{};
};

}  // namespace mlflow
