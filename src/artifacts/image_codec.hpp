// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Image files for log_image, written without an imaging library: PNG (8-bit gray, RGB or RGBA,
// deflated with zlib, no filtering), lossless WebP (VP8L with fixed 8-bit codes: every pixel
// stored as literals, no transforms; valid and decodable by every WebP reader, not small), and
// the box-filter resize of the thumbnail.

#include <cstdint>
#include <string>

#include "mlflow/image.hpp"

namespace mlflow::internal {

/// Throws InvalidArgument when the size, channels or pixel count are wrong.
void check_image(const Image& image);
std::string encode_png(const Image& image);
std::string encode_webp_lossless(const Image& image);
/// Python's compress_image_size: the longer side becomes `max_size`, the other keeps the aspect
/// ratio (rounded down, as int() does), up- or down-scaling. Each target pixel is the mean of the
/// source pixels it covers (at least one).
Image resize_to_fit(const Image& image, int max_size);

}  // namespace mlflow::internal
