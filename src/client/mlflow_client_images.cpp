// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// log_image with the file layout of Python's MlflowClient.log_image in 3.18
// (mlflow/tracking/client.py): a static image at `artifact_file`, or a keyed, stepped image as
//   images/<key with '/'->'~'>+step+<step>+timestamp+<ms>+<uuid4>.png
//   images/<same>+compressed.webp   (the thumbnail the UI's image grid loads, longer side 256)
// and the run tag mlflow.loggedImages = "True" that tells the UI to look for them.
#include <filesystem>
#include <fstream>
#include <string>

#include "artifacts/artifact_path.hpp"
#include "artifacts/artifact_repository.hpp"
#include "artifacts/image_codec.hpp"
#include "client/client_impl.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {
namespace {
namespace fs = std::filesystem;

constexpr int kThumbnailSize = 256;  // Python's COMPRESSED_IMAGE_SIZE

bool valid_key(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.' || c == '/' || c == ' ';
    if (!ok) return false;
  }
  return true;
}

std::string uuid4_dashed() {
  const std::string h = internal::uuid4_hex();
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// Writes `bytes` as the artifact `artifact_file` through a temp file.
void log_bytes(MlflowClient& client, const std::string& run_id, const std::string& bytes,
               const std::string& artifact_file) {
  const std::string norm = internal::posix_normpath(artifact_file);
  internal::ScopedTempDir tmp("mlflow-image-");
  const fs::path file = tmp.path() / fs::u8path(internal::posix_basename(norm));
  {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw_error(ErrorCode::kIoError, "Cannot write '" + file.string() + "'.");
  }
  client.log_artifact(run_id, file.string(), internal::posix_dirname(norm));
}

}  // namespace

void MlflowClient::log_image(const std::string& run_id, const Image& image,
                             const std::string& artifact_file) {
  // Its uploads and reads are reported as nested operations, with their bytes.
  const auto describe = [&](Operation& op) {
    op.target.run_id = run_id;
    op.target.artifact_path = artifact_file;
  };
  impl_->hooks().run("log_image", OperationKind::kArtifactUpload, describe, [&] {
    const std::string lower =
        artifact_file.size() >= 4 ? artifact_file.substr(artifact_file.size() - 4) : std::string();
    if (lower != ".png" && lower != ".PNG") {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "log_image writes PNG files: name the artifact '<name>.png' (got '" +
                      artifact_file + "').");
    }
    internal::check_safe_relative_path(artifact_file, "artifact_file");
    log_bytes(*this, run_id, internal::encode_png(image), artifact_file);
  });
}

void MlflowClient::log_image(const std::string& run_id, const Image& image,
                             const LogImageOptions& options) {
  // Its uploads and reads are reported as nested operations, with their bytes.
  const auto describe = [&](Operation& op) {
    op.target.run_id = run_id;
    op.target.artifact_path = options.key;
  };
  impl_->hooks().run("log_image", OperationKind::kArtifactUpload, describe, [&] {
    if (!valid_key(options.key)) {
      throw_error(
          ErrorCode::kInvalidParameterValue,
          "The `key` parameter may only contain alphanumerics, underscores (_), dashes (-), "
          "periods (.), spaces ( ), and slashes (/). The provided key `" +
              options.key + "` contains invalid characters.");
    }
    const std::string png = internal::encode_png(image);  // checks the image before any upload
    const std::string thumbnail =
        internal::encode_webp_lossless(internal::resize_to_fit(image, kThumbnailSize));
    std::string sanitized = options.key;
    for (char& c : sanitized) {
      if (c == '/') c = '~';
    }
    const std::int64_t step = options.step.value_or(0);
    const std::int64_t timestamp = options.timestamp.value_or(internal::now_millis());
    const std::string stem = "images/" + sanitized + "+step+" + std::to_string(step) +
                             "+timestamp+" + std::to_string(timestamp) + "+" + uuid4_dashed();
    log_bytes(*this, run_id, png, stem + ".png");
    log_bytes(*this, run_id, thumbnail, stem + "+compressed.webp");
    set_tag(run_id, "mlflow.loggedImages", "True");
  });
}

}  // namespace mlflow
