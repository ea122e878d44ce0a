// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/artifact_path.hpp"

#include <cctype>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace fs = std::filesystem;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> split_segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

[[noreturn]] void reject(const std::string& path, const std::string& what, const std::string& why) {
  throw_error(ErrorCode::kInvalidParameterValue,
              "Invalid path '" + path + "' (" + what + "): " + why +
                  ". Artifact paths are relative, '/'-separated and stay inside the run's "
                  "artifact root.");
}

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

const std::string& check_safe_relative_path(const std::string& path, const std::string& what) {
  // Decode repeatedly: a server that decodes once more than we do must not see a `..` either.
  std::string decoded = path;
  for (int i = 0; i < 3; ++i) {
    std::string next = percent_decode(decoded);
    if (next == decoded) break;
    decoded = std::move(next);
  }
  if (decoded.find('#') != std::string::npos) reject(path, what, "contains '#'");
  if (decoded.find('\\') != std::string::npos) reject(path, what, "contains a backslash");
  if (decoded.find('\0') != std::string::npos) reject(path, what, "contains a NUL byte");
  if (!decoded.empty() && decoded.front() == '/') reject(path, what, "is absolute");
  // "C:/x" is absolute on Windows (Python rejects it everywhere); "c:x" is a plain name.
  if (decoded.size() >= 3 && decoded[1] == ':' && decoded[2] == '/' &&
      std::isalpha(static_cast<unsigned char>(decoded[0]))) {
    reject(path, what, "names a Windows drive");
  }
  if (decoded.rfind("file:", 0) == 0) reject(path, what, "is a file: URI");
  for (const auto& segment : split_segments(decoded)) {
    if (segment == "..") reject(path, what, "has a '..' segment");
  }
  return path;
}

void check_artifact_dir(const std::string& artifact_path) {
  if (artifact_path.empty()) return;
  if (resolves_to_other_name(artifact_path)) {
    const std::string norm = posix_normpath(artifact_path);
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid artifact path: '" + artifact_path +
                    "'. Names may be treated as files in certain cases, and must not resolve to "
                    "other names when treated as such. This name would resolve to '" +
                    norm + "'");
  }
  check_safe_relative_path(artifact_path, "artifact path");
}

std::string posix_join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string posix_basename(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string posix_dirname(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return std::string();
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

fs::path contained_path(const fs::path& root, const std::string& relative) {
  const fs::path abs_root = fs::absolute(root).lexically_normal();
  const fs::path candidate = (abs_root / fs::u8path(relative)).lexically_normal();
  std::error_code ec;
  const fs::path real_root = fs::weakly_canonical(abs_root, ec);
  const fs::path real_candidate = ec ? fs::path() : fs::weakly_canonical(candidate, ec);
  if (ec) {
    throw_error(ErrorCode::kIoError,
                "Cannot resolve '" + candidate.string() + "': " + ec.message());
  }
  const fs::path rel = real_candidate.lexically_relative(real_root);
  if (rel.empty() || *rel.begin() == "..") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Refusing path '" + relative + "': it resolves to '" + real_candidate.string() +
                    "', outside '" + real_root.string() + "'.");
  }
  return candidate;
}

fs::path make_unique_temp_dir(const std::string& prefix) {
  std::string templ = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) {
    throw_error(ErrorCode::kIoError,
                "Cannot create a temporary directory under " + fs::temp_directory_path().string());
  }
  return fs::path(templ);
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace mlflow::internal
