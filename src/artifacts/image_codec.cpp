// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/image_codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <vector>

#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

void put_le32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xff);
}

void png_chunk(std::string& out, const char* type, const std::string& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  const std::string typed = std::string(type, 4) + data;
  out += typed;
  put_be32(out, static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(typed.data()),
                                                 static_cast<uInt>(typed.size()))));
}

// LSB-first bit writer of the WebP lossless bitstream.
class BitWriter {
 public:
  void put(std::uint32_t value, int bits) {
    for (int i = 0; i < bits; ++i) {
      if (used_ == 0) bytes_.push_back('\0');
      if ((value >> i) & 1u) bytes_.back() = static_cast<char>(bytes_.back() | (1 << used_));
      used_ = (used_ + 1) % 8;
    }
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
  int used_ = 0;
};

std::uint32_t reverse8(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 8; ++i) r |= ((v >> i) & 1u) << (7 - i);
  return r;
}

// A prefix code in which symbols 0..255 have 8-bit codes and the rest of the alphabet
// (`alphabet` symbols) has none: the code-length code has two 1-bit codes, for lengths 0 and 8.
void put_uniform_literal_code(BitWriter& w, int alphabet) {
  w.put(0, 1);  // a normal (not simple) code
  // Code-length code lengths in the order {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8}: 12 of them.
  w.put(12 - 4, 4);
  const int lengths[12] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  for (int l : lengths) w.put(static_cast<std::uint32_t>(l), 3);
  w.put(0, 1);  // code lengths for the whole alphabet follow
  // Canonical codes of the code-length code: length 0 -> bit 0, length 8 -> bit 1.
  for (int s = 0; s < alphabet; ++s) w.put(s < 256 ? 1 : 0, 1);
}

// A "simple" code of one 8-bit symbol: reading it consumes no bits.
void put_single_symbol_code(BitWriter& w, std::uint32_t symbol) {
  w.put(1, 1);  // simple
  w.put(0, 1);  // one symbol
  w.put(1, 1);  // 8-bit symbol
  w.put(symbol, 8);
}

}  // namespace

void check_image(const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.width > 16384 || image.height > 16384) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid image size " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + ": width and height must be 1..16384.");
  }
  if (image.channels != 1 && image.channels != 3 && image.channels != 4) {
    throw_error(ErrorCode::kInvalidParameterValue, "Invalid image channels " +
                                                       std::to_string(image.channels) +
                                                       ": use 1 (gray), 3 (RGB) or 4 (RGBA).");
  }
  const std::size_t want = static_cast<std::size_t>(image.width) *
                           static_cast<std::size_t>(image.height) *
                           static_cast<std::size_t>(image.channels);
  if (image.pixels.size() != want) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The image has " + std::to_string(image.pixels.size()) + " bytes of pixels but " +
                    std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                    std::to_string(image.channels) + " needs " + std::to_string(want) + ".");
  }
}

std::string encode_png(const Image& image) {
  check_image(image);
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  put_be32(header, static_cast<std::uint32_t>(image.width));
  put_be32(header, static_cast<std::uint32_t>(image.height));
  const char color_type = image.channels == 1 ? 0 : image.channels == 3 ? 2 : 6;
  header +=
      std::string{8, color_type, 0, 0, 0};  // depth 8, deflate, adaptive filters, no interlace
  png_chunk(out, "IHDR", header);

  const std::size_t row = static_cast<std::size_t>(image.width) * image.channels;
  std::string raw;
  raw.reserve((row + 1) * static_cast<std::size_t>(image.height));
  for (int y = 0; y < image.height; ++y) {
    raw += '\0';  // filter type None
    raw.append(reinterpret_cast<const char*>(image.pixels.data()) + row * y, row);
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string deflated(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&deflated[0]), &size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                6) != Z_OK) {
    throw_error(ErrorCode::kInternalError, "zlib could not compress the image.");
  }
  deflated.resize(size);
  png_chunk(out, "IDAT", deflated);
  png_chunk(out, "IEND", "");
  return out;
}

std::string encode_webp_lossless(const Image& image) {
  check_image(image);
  const bool alpha = image.channels == 4;
  BitWriter w;
  w.put(0x2f, 8);  // VP8L signature
  w.put(static_cast<std::uint32_t>(image.width - 1), 14);
  w.put(static_cast<std::uint32_t>(image.height - 1), 14);
  w.put(alpha ? 1 : 0, 1);
  w.put(0, 3);  // version
  w.put(0, 1);  // no transform
  w.put(0, 1);  // no color cache
  w.put(0, 1);  // no meta prefix codes: one set of codes for the whole image
  put_uniform_literal_code(w, 256 + 24);  // green + backward-reference lengths (unused)
  put_uniform_literal_code(w, 256);       // red
  put_uniform_literal_code(w, 256);       // blue
  if (alpha) {
    put_uniform_literal_code(w, 256);
  } else {
    put_single_symbol_code(w, 255);
  }
  put_single_symbol_code(w, 0);  // distance (unused)
  const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = image.pixels.data() + i * static_cast<std::size_t>(image.channels);
    const std::uint32_t r = p[0];
    const std::uint32_t g = image.channels >= 3 ? p[1] : p[0];
    const std::uint32_t b = image.channels >= 3 ? p[2] : p[0];
    w.put(reverse8(g), 8);
    w.put(reverse8(r), 8);
    w.put(reverse8(b), 8);
    if (alpha) w.put(reverse8(p[3]), 8);
  }
  std::string payload = std::move(w.bytes());
  std::string chunk = "VP8L";
  put_le32(chunk, static_cast<std::uint32_t>(payload.size()));
  chunk += payload;
  if (payload.size() % 2 == 1) chunk += '\0';
  std::string out = "RIFF";
  put_le32(out, static_cast<std::uint32_t>(4 + chunk.size()));
  out += "WEBP";
  out += chunk;
  return out;
}

Image resize_to_fit(const Image& image, int max_size) {
  check_image(image);
  Image out;
  out.channels = image.channels;
  if (image.width > image.height) {
    out.width = max_size;
    out.height = static_cast<int>(image.height * (static_cast<double>(max_size) / image.width));
  } else {
    out.height = max_size;
    out.width = static_cast<int>(image.width * (static_cast<double>(max_size) / image.height));
  }
  out.width = std::max(1, out.width);
  out.height = std::max(1, out.height);
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height * out.channels);
  const int c = image.channels;
  for (int y = 0; y < out.height; ++y) {
    const int y0 = static_cast<int>(static_cast<long long>(y) * image.height / out.height);
    const int y1 = std::max(
        y0 + 1, static_cast<int>(static_cast<long long>(y + 1) * image.height / out.height));
    for (int x = 0; x < out.width; ++x) {
      const int x0 = static_cast<int>(static_cast<long long>(x) * image.width / out.width);
      const int x1 = std::max(
          x0 + 1, static_cast<int>(static_cast<long long>(x + 1) * image.width / out.width));
      for (int k = 0; k < c; ++k) {
        unsigned long sum = 0;
        for (int sy = y0; sy < y1; ++sy) {
          for (int sx = x0; sx < x1; ++sx) {
            sum += image.pixels[(static_cast<std::size_t>(sy) * image.width + sx) * c + k];
          }
        }
        const unsigned long count = static_cast<unsigned long>(y1 - y0) * (x1 - x0);
        out.pixels[(static_cast<std::size_t>(y) * out.width + x) * c + k] =
            static_cast<std::uint8_t>((sum + count / 2) / count);
      }
    }
  }
  return out;
}

}  // namespace mlflow::internal
