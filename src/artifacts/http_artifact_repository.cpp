// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/http_artifact_repository.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "artifacts/artifact_path.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "rest/rest_client.hpp"
#include "transport/file_transfer.hpp"
#include "transport/retry.hpp"
#include "transport/transport_config.hpp"

namespace mlflow::internal {
namespace fs = std::filesystem;
namespace {

constexpr const char* kServiceSegment = "/mlflow-artifacts/artifacts";

// Recognises the answer of a server started with --no-serve-artifacts before the retry loop
// sees it: that 503 is permanent, so waiting through seven backoffs would only hide the cause.
class ServingDisabledGuard : public HttpTransport {
 public:
  explicit ServingDisabledGuard(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  TransportResult send(const HttpRequest& request) override {
    TransportResult result = inner_->send(request);
    // Two wordings in MLflow 3.18: the Flask handlers' text/plain "... running with
    // `--no-serve-artifacts` ..." and the FastAPI artifact router's JSON
    // {"detail": "Artifact serving is disabled. ..."}.
    if (result.response && result.response->status == 503 &&
        (result.response->body.find("no-serve-artifacts") != std::string::npos ||
         result.response->body.find("Artifact serving is disabled") != std::string::npos)) {
      throw_error(ErrorCode::kFeatureDisabled,
                  request.method + " " + strip_credentials(request.url) +
                      " failed with HTTP 503: the MLflow server does not serve artifacts (it "
                      "runs with --no-serve-artifacts). Restart it with --serve-artifacts (the "
                      "default), or give the experiment an artifact location this machine can "
                      "reach.",
                  503);
    }
    return result;
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_error(ErrorCode::kIoError, "Cannot open '" + path.string() + "' for reading.");
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw_error(ErrorCode::kIoError, "Cannot read '" + path.string() + "'.");
  return data;
}

// Writes to a temp file beside `path`, then renames: a failed download leaves nothing behind,
// and the rename replaces (never follows) whatever link may sit at `path`.
void write_file_atomically(const fs::path& path, const std::string& data) {
  std::string templ = (path.parent_path() / ".mlflow-download.XXXXXX").string();
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) {
    throw_error(ErrorCode::kIoError, "Cannot create a file in '" + path.parent_path().string() +
                                         "': " + std::strerror(errno));
  }
  std::size_t written = 0;
  bool ok = true;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) fs::rename(templ, path, ec);
  if (!ok || ec) {
    fs::remove(templ, ec);
    throw_error(ErrorCode::kIoError, "Cannot write '" + path.string() + "'.");
  }
}

}  // namespace

std::string guess_mime_type(const std::string& file_name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".txt", "text/plain"},       {".json", "application/json"}, {".yaml", "application/yaml"},
      {".yml", "application/yaml"}, {".html", "text/html"},        {".csv", "text/csv"},
      {".png", "image/png"},        {".jpg", "image/jpeg"},        {".jpeg", "image/jpeg"},
      {".svg", "image/svg+xml"},    {".md", "text/markdown"},      {".py", "text/x-python"},
  };
  const std::string lower = to_lower(file_name);
  for (const auto& [ext, type] : kTypes) {
    if (ends_with(lower, ext)) return type;
  }
  return "application/octet-stream";
}

HttpArtifactRepository::HttpArtifactRepository(std::string base_url,
                                               const ArtifactClientContext& context)
    : base_url_(std::move(base_url)), config_(context.config), hooks_(context.hooks) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  std::shared_ptr<HttpTransport> inner = context.transport;
  if (!inner) {
    stream_options_ = transport_options_for(config_);
    inner = make_curl_transport(*stream_options_);
  }
  transport_ = std::make_shared<ServingDisabledGuard>(std::move(inner));
}

std::string HttpArtifactRepository::file_url(const std::string& relative) const {
  std::string url = base_url_;
  std::string segment;
  for (std::size_t i = 0; i <= relative.size(); ++i) {
    if (i == relative.size() || relative[i] == '/') {
      if (!segment.empty()) url += "/" + url_encode(segment);
      segment.clear();
    } else {
      segment += relative[i];
    }
  }
  return url;
}

HttpResponse HttpArtifactRepository::send(HttpRequest request, HttpTransport* transport) {
  for (const auto& [name, value] : identity_headers(config_)) {
    set_header(request.headers, name, value);
  }
  request.timeout = config_.timeout;
  // Every artifact call is safe to repeat: PUT overwrites, GET/DELETE are idempotent.
  HttpResponse response = send_with_retry(transport != nullptr ? *transport : *transport_, request,
                                          config_.retry, hooks_, Idempotency::kIdempotent);
  if (log_enabled(LogLevel::kDebug)) {
    log(LogLevel::kDebug, "mlflow artifacts " + request.method + " " +
                              strip_credentials(request.url) + " (" +
                              std::to_string(request.body.size()) + " bytes sent) -> HTTP " +
                              std::to_string(response.status) + " (" +
                              std::to_string(response.body.size()) + " bytes)");
  }
  if (response.status < 200 || response.status >= 300) {
    throw_http_error(request.method, request.url, response);
  }
  return response;
}

void HttpArtifactRepository::upload_file(const fs::path& local_file,
                                         const std::string& artifact_dir, const std::string& name,
                                         const ByteProgress& progress) {
  check_safe_relative_path(name, "artifact file name");
  HttpRequest request;
  request.method = "PUT";
  request.url = file_url(posix_join(artifact_dir, name));
  request.headers.emplace_back("Content-Type", guess_mime_type(name));
  if (stream_options_) {
    ServingDisabledGuard streaming(
        make_file_transfer_transport(*stream_options_, FileTransfer{local_file, {}, progress}));
    send(std::move(request), &streaming);
    return;
  }
  request.body = read_file(local_file);
  const auto size = static_cast<std::int64_t>(request.body.size());
  send(std::move(request));
  if (progress) progress(size);
}

std::vector<FileInfo> HttpArtifactRepository::list_once(const std::string& path) {
  const auto at = base_url_.find(kServiceSegment);
  if (at == std::string::npos) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot list artifacts at '" + strip_credentials(base_url_) +
                    "': listing needs an MLflow artifact service URL (one containing "
                    "/mlflow-artifacts/artifacts).");
  }
  std::string root = base_url_.substr(at + std::string(kServiceSegment).size());
  while (!root.empty() && root.front() == '/') root.erase(0, 1);
  HttpRequest request;
  request.method = "GET";
  request.url = base_url_.substr(0, at) + kServiceSegment + "?" +
                build_query_string({{"path", posix_join(root, path)}});
  request.headers.emplace_back("Accept", "application/json");
  const HttpResponse response = send(request);
  const auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "GET " + strip_credentials(request.url) +
                    " answered with a body that is not a JSON object; is this an MLflow server?",
                static_cast<int>(response.status));
  }
  std::vector<FileInfo> infos;
  const auto files = parsed.find("files");
  if (files == parsed.end() || !files->is_array()) return infos;
  for (const auto& f : *files) {
    const auto p = f.find("path");
    if (!f.is_object() || p == f.end() || !p->is_string()) {
      throw_error(ErrorCode::kUnparseableHttpError,
                  "GET " + strip_credentials(request.url) + " listed an entry without a path.");
    }
    const std::string entry = p->get<std::string>();
    // A hostile or broken server must not steer later downloads outside their destination.
    check_safe_relative_path(entry, "listed by " + strip_credentials(request.url));
    if (entry.empty()) continue;
    FileInfo info;
    info.path = posix_join(path, entry);
    const auto is_dir = f.find("is_dir");
    info.is_dir = is_dir != f.end() && is_dir->is_boolean() && is_dir->get<bool>();
    const auto size = f.find("file_size");
    if (size != f.end()) {
      if (size->is_number_integer()) {
        info.file_size = size->get<std::int64_t>();
      } else if (size->is_string()) {
        try {
          info.file_size = std::stoll(size->get<std::string>());
        } catch (const std::exception&) {
          // An unreadable size is left unset rather than failing the listing.
        }
      }
    }
    infos.push_back(std::move(info));
  }
  return infos;
}

std::vector<FileInfo> HttpArtifactRepository::list_artifacts(const std::string& path_in) {
  std::string path = path_in;
  while (!path.empty() && path.back() == '/') path.pop_back();
  check_safe_relative_path(path, "artifact path to list");
  std::vector<FileInfo> infos = list_once(path);
  // A listing of a file answers the file itself, which looks like a directory holding one
  // file of the same name (e.g. "a/a"); the parent's listing tells them apart (as Python).
  if (infos.size() == 1 && !infos[0].is_dir && !path.empty() &&
      infos[0].path == posix_join(path, posix_basename(path))) {
    bool is_directory = false;
    for (const auto& parent_entry : list_artifacts(posix_dirname(path))) {
      if (parent_entry.is_dir && parent_entry.path == path) is_directory = true;
    }
    if (!is_directory) return {};
  }
  return sorted_by_path(std::move(infos));
}

void HttpArtifactRepository::download_file(const std::string& remote_path,
                                           const fs::path& local_path,
                                           const ByteProgress& progress) {
  check_safe_relative_path(remote_path, "artifact path");
  HttpRequest request;
  request.method = "GET";
  request.url = file_url(remote_path);
  if (stream_options_) {
    // Into a temp file beside the destination, renamed when complete: a failed download
    // leaves nothing, and the rename replaces (never follows) a link at the destination.
    std::string temp = (local_path.parent_path() / ".mlflow-download.XXXXXX").string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
      throw_error(ErrorCode::kIoError, "Cannot create a file in '" +
                                           local_path.parent_path().string() +
                                           "': " + std::strerror(errno));
    }
    ::close(fd);
    try {
      ServingDisabledGuard streaming(make_file_transfer_transport(
          *stream_options_, FileTransfer{{}, fs::path(temp), progress}));
      send(std::move(request), &streaming);
      std::error_code ec;
      fs::rename(temp, local_path, ec);
      if (ec) {
        throw_error(ErrorCode::kIoError,
                    "Cannot move the download to '" + local_path.string() + "': " + ec.message());
      }
    } catch (...) {
      std::error_code ec;
      fs::remove(temp, ec);
      throw;
    }
    return;
  }
  const HttpResponse response = send(std::move(request));
  write_file_atomically(local_path, response.body);
  if (progress) progress(static_cast<std::int64_t>(response.body.size()));
}

void HttpArtifactRepository::delete_artifacts(const std::string& artifact_path) {
  check_safe_relative_path(artifact_path, "artifact path to delete");
  HttpRequest request;
  request.method = "DELETE";
  request.url = artifact_path.empty() ? base_url_ + "/" : file_url(artifact_path);
  send(std::move(request));
}

}  // namespace mlflow::internal
