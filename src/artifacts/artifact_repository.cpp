// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/artifact_repository.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "artifacts/artifact_path.hpp"
#include "artifacts/http_artifact_repository.hpp"
#include "artifacts/local_artifact_repository.hpp"
#include "core/log.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace fs = std::filesystem;
namespace {

constexpr const char* kArtifactsServiceRoot = "/api/2.0/mlflow-artifacts/artifacts";

std::string scheme_of(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = uri[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) {
      return "";
    }
  }
  std::string scheme = uri.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme;
}

// Splits "scheme://netloc/path?query" (or "scheme:/path") into netloc and path.
void split_uri(const std::string& uri, std::string& netloc, std::string& path) {
  const auto colon = uri.find(':');
  std::string rest = colon == std::string::npos ? uri : uri.substr(colon + 1);
  const auto cut = rest.find_first_of("?#");
  if (cut != std::string::npos) rest.erase(cut);
  netloc.clear();
  if (rest.rfind("//", 0) == 0) {
    const auto slash = rest.find('/', 2);
    netloc = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    rest = slash == std::string::npos ? std::string() : rest.substr(slash);
  }
  path = rest;
}

std::string collapse_slashes(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  return out;
}

bool is_numeric_host(const std::string& host) {
  if (host.empty()) return false;
  bool digit = false;
  for (char c : host) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c != '.') {
      return false;
    }
  }
  return digit;
}

}  // namespace

void log_file_or_directory(ArtifactRepository& repository, const std::string& local_path,
                           const std::string& artifact_path,
                           const ArtifactTransferOptions& options) {
  std::error_code ec;
  const fs::path local = fs::u8path(local_path);
  if (!fs::is_directory(local, ec)) {
    repository.log_artifact(local_path, artifact_path, options);
    return;
  }
  // The directory keeps its own name under artifact_path (also when given with a trailing '/').
  const fs::path normal = fs::absolute(local).lexically_normal();
  std::string dir_name = normal.filename().u8string();
  if (dir_name.empty()) dir_name = normal.parent_path().filename().u8string();
  repository.log_artifacts(local_path, posix_join(artifact_path, dir_name), options);
}

// ---- Base behaviour shared by every repository ----

void ArtifactRepository::log_artifact(const std::string& local_file,
                                      const std::string& artifact_path,
                                      const ArtifactTransferOptions& options) {
  check_artifact_dir(artifact_path);
  const fs::path file = fs::u8path(local_file);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot log artifact '" + local_file + "': it is not a readable regular file.");
  }
  const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
  TransferProgress progress(options.progress, size, 1);
  progress.track_file(size, [&](const ByteProgress& sink) {
    upload_file(file, artifact_path, file.filename().u8string(), sink);
  });
}

void ArtifactRepository::log_artifacts(const std::string& local_dir,
                                       const std::string& artifact_path,
                                       const ArtifactTransferOptions& options) {
  check_artifact_dir(artifact_path);
  std::error_code ec;
  const fs::path root = fs::absolute(fs::u8path(local_dir), ec);
  if (ec || !fs::is_directory(root, ec)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot log artifacts from '" + local_dir + "': it is not a directory.");
  }
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) {
    throw_error(ErrorCode::kIoError, "Cannot resolve '" + local_dir + "': " + ec.message());
  }
  // Collect first, then upload in a stable (sorted) order: deterministic requests and logs.
  std::vector<fs::path> dirs;
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(real_root, fs::directory_options::none, ec);
  if (ec) {
    throw_error(ErrorCode::kIoError, "Cannot read '" + local_dir + "': " + ec.message());
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      throw_error(ErrorCode::kIoError, "Cannot read '" + local_dir + "': " + ec.message());
    }
    const fs::directory_entry& entry = *it;
    const fs::path rel = entry.path().lexically_relative(real_root);
    if (entry.is_symlink(ec)) {
      // The iterator never descends into directory links (follow_directory_symlink unset).
      const fs::path target = fs::canonical(entry.path(), ec);
      const fs::path target_rel = ec ? fs::path() : target.lexically_relative(real_root);
      const bool inside = !ec && !target_rel.empty() && *target_rel.begin() != "..";
      if (inside && fs::is_regular_file(target, ec)) {
        files.push_back(rel);
      } else {
        log(LogLevel::kWarning,
            "mlflow: skipping symlink '" + entry.path().string() +
                "' while logging artifacts: it " +
                (inside ? "is not a link to a regular file"
                        : "points outside '" + real_root.string() + "' (or nowhere)") +
                ".");
      }
      continue;
    }
    if (entry.is_directory(ec)) {
      dirs.push_back(rel);
    } else if (entry.is_regular_file(ec)) {
      files.push_back(rel);
    } else {
      log(LogLevel::kWarning, "mlflow: skipping '" + entry.path().string() +
                                  "' while logging artifacts: not a regular file.");
    }
  }
  std::sort(dirs.begin(), dirs.end());
  std::sort(files.begin(), files.end());
  for (const auto& dir : dirs) make_directory(posix_join(artifact_path, dir.generic_u8string()));
  std::vector<std::int64_t> sizes;
  std::int64_t total = 0;
  for (const auto& rel : files) {
    sizes.push_back(static_cast<std::int64_t>(fs::file_size(real_root / rel, ec)));
    if (ec) sizes.back() = 0;
    total += sizes.back();
  }
  TransferProgress progress(options.progress, total, static_cast<std::int64_t>(files.size()));
  run_bounded(files.size(), options.max_parallel_files, [&](std::size_t i) {
    const fs::path& rel = files[i];
    const std::string rel_dir = rel.parent_path().generic_u8string();
    progress.track_file(sizes[i], [&](const ByteProgress& sink) {
      upload_file(real_root / rel, posix_join(artifact_path, rel_dir), rel.filename().u8string(),
                  sink);
    });
  });
}

std::string ArtifactRepository::download_artifacts(const std::string& artifact_path_in,
                                                   const fs::path& dst_dir,
                                                   const ArtifactTransferOptions& options) {
  std::string artifact_path = artifact_path_in;
  while (!artifact_path.empty() && artifact_path.back() == '/') artifact_path.pop_back();
  check_safe_relative_path(artifact_path, "artifact path to download");
  const fs::path dst = fs::absolute(dst_dir).lexically_normal();

  // Every local path is built through contained_path(): listing entries were checked when
  // listed, and this re-checks them after symlink resolution.
  const auto make_parent = [&](const std::string& remote) {
    const fs::path local = contained_path(dst, remote);
    std::error_code ec;
    fs::create_directories(local.parent_path(), ec);
    contained_path(dst, remote);  // the directories just created must not escape either
  };

  std::vector<FileInfo> files;
  bool is_dir = true;
  if (artifact_path.empty()) {
    if (list_artifacts("").empty()) return dst.string();
  } else {
    is_dir = !list_artifacts(artifact_path).empty();
  }
  if (!is_dir) {
    FileInfo info;
    info.path = artifact_path;
    files.push_back(info);
  } else {
    // Depth-first over the listing, as Python's _iter_artifacts_recursive; an empty directory
    // is recreated empty. The whole tree is listed before any file moves (progress total).
    std::vector<std::string> pending{artifact_path};
    while (!pending.empty()) {
      const std::string dir = pending.back();
      pending.pop_back();
      std::vector<FileInfo> entries;
      for (auto& info : list_artifacts(dir)) {
        // Some stores list a directory inside itself; Python drops those entries too.
        if (info.path == "." || info.path == dir) continue;
        entries.push_back(std::move(info));
      }
      if (entries.empty()) {
        const fs::path local = contained_path(dst, dir);
        std::error_code ec;
        fs::create_directories(local, ec);
        if (ec) {
          throw_error(ErrorCode::kIoError,
                      "Cannot create '" + local.string() + "': " + ec.message());
        }
        continue;
      }
      for (auto& info : entries) {
        if (info.is_dir) {
          pending.push_back(info.path);
        } else {
          contained_path(dst, info.path);  // a hostile entry fails before anything is fetched
          files.push_back(std::move(info));
        }
      }
    }
  }
  // Directories first, from this thread: concurrent create_directories of one path can race.
  for (const auto& info : files) make_parent(info.path);
  std::int64_t total = 0;
  for (const auto& info : files) total += info.file_size.value_or(0);
  TransferProgress progress(options.progress, total, static_cast<std::int64_t>(files.size()));
  run_bounded(files.size(), options.max_parallel_files, [&](std::size_t i) {
    const FileInfo& info = files[i];
    progress.track_file(info.file_size.value_or(0), [&](const ByteProgress& sink) {
      download_file(info.path, contained_path(dst, info.path), sink);
    });
  });
  return artifact_path.empty() ? dst.string() : contained_path(dst, artifact_path).string();
}

// ---- URI handling and the factory ----

std::vector<FileInfo> sorted_by_path(std::vector<FileInfo> infos) {
  std::sort(infos.begin(), infos.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return infos;
}

std::string local_path_from_uri(const std::string& uri) {
  if (scheme_of(uri) != "file") return uri;
  std::string netloc;
  std::string path;
  split_uri(uri, netloc, path);
  if (!netloc.empty() && netloc != "localhost") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Artifact URI '" + uri +
                    "' names a remote host; only local file: URIs "
                    "(file:///abs/path) are supported.");
  }
  return percent_decode(path);
}

std::string resolve_mlflow_artifacts_uri(const std::string& artifact_uri,
                                         const std::string& tracking_uri) {
  std::string netloc;
  std::string path;
  split_uri(artifact_uri, netloc, path);
  // "host:port", "[v6]:port", "user@host:port": the host is what lies before the last ':'.
  std::string host =
      netloc.substr(netloc.rfind('@') == std::string::npos ? 0 : netloc.rfind('@') + 1);
  std::string port;
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    port = host.substr(colon + 1);
    host.erase(colon);
  }
  if ((is_numeric_host(host) && port.empty()) || (host.empty() && !port.empty())) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "The mlflow-artifacts uri '" + artifact_uri +
                    "' was supplied with a port number but no host was defined.");
  }
  const std::string tracking_scheme = scheme_of(tracking_uri);
  if (tracking_scheme != "http" && tracking_scheme != "https") {
    throw_error(ErrorCode::kInvalidParameterValue,
                "When an mlflow-artifacts URI was supplied ('" + artifact_uri +
                    "'), the tracking URI must be a valid http or https URI, but it is '" +
                    redact_secrets(tracking_uri) +
                    "'. Perhaps you forgot to set the tracking URI to the running MLflow server: "
                    "set MLFLOW_TRACKING_URI=http://localhost:5000 or pass the server URI to "
                    "MlflowClient.");
  }
  std::string tracking_netloc;
  std::string tracking_path;
  split_uri(tracking_uri, tracking_netloc, tracking_path);
  std::string resolved;
  const std::string base = kArtifactsServiceRoot;
  if (path == "/") {
    resolved = base + "/";
  } else if (path == base) {
    resolved = base;
  } else {
    resolved = tracking_path + "/" + base + "/" + path;
  }
  resolved = collapse_slashes(resolved);
  std::string url =
      tracking_scheme + "://" + (netloc.empty() ? tracking_netloc : netloc) + resolved;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::unique_ptr<ArtifactRepository> make_artifact_repository(const std::string& artifact_uri,
                                                             const ArtifactClientContext& context) {
  if (artifact_uri.empty()) {
    // A plain-path repository on "" would write into the current directory.
    throw_error(ErrorCode::kInvalidParameterValue,
                "The run has no artifact URI, so there is nowhere to store or read its "
                "artifacts. The tracking store did not give the run an artifact location; "
                "create the run in an experiment with an artifact location (or on a server "
                "with --default-artifact-root / --serve-artifacts).");
  }
  const std::string scheme = scheme_of(artifact_uri);
  if (scheme.empty() || scheme == "file") {
    return std::make_unique<LocalArtifactRepository>(local_path_from_uri(artifact_uri));
  }
  if (scheme == "mlflow-artifacts") {
    return std::make_unique<HttpArtifactRepository>(
        resolve_mlflow_artifacts_uri(artifact_uri, context.config.tracking_uri), context);
  }
  if (scheme == "http" || scheme == "https") {
    return std::make_unique<HttpArtifactRepository>(artifact_uri, context);
  }
  throw_error(ErrorCode::kInvalidParameterValue,
              "The run's artifact URI '" + redact_secrets(artifact_uri) + "' uses the '" + scheme +
                  ":' scheme, which mlflow-cpp cannot reach directly (it has no cloud storage "
                  "clients). Log through an MLflow server started with --serve-artifacts (its "
                  "runs get mlflow-artifacts: URIs and the server writes to the store), or use "
                  "a local artifact location.");
}

}  // namespace mlflow::internal
