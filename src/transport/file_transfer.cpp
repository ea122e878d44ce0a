// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/file_transfer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "mlflow/errors.hpp"
#include "mlflow/version.hpp"
#include "transport/curl_common.hpp"

namespace mlflow::internal {
namespace {

constexpr std::size_t kMaxErrorBody = 1 << 20;

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct Exchange {
  HttpResponse response;
  long status = 0;  // of the latest status line
  const std::filesystem::path* download_to = nullptr;
  FilePtr out;
  bool write_failed = false;
  const std::function<void(std::int64_t)>* progress = nullptr;
  bool uploading = false;
  std::int64_t last_reported = -1;
  std::exception_ptr progress_error;
};

// libcurl's progress hook; C code sits between it and us, so nothing may be thrown through.
int report_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                    curl_off_t ulnow) {
  (void)dltotal;
  (void)ultotal;
  auto* ex = static_cast<Exchange*>(user);
  const std::int64_t now =
      ex->uploading ? static_cast<std::int64_t>(ulnow) : static_cast<std::int64_t>(dlnow);
  if (now == ex->last_reported) return 0;
  // An error answer's body is not the file: it is not progress.
  if (!ex->uploading && !(ex->status >= 200 && ex->status < 300)) return 0;
  ex->last_reported = now;
  try {
    (*ex->progress)(now);
  } catch (...) {
    ex->progress_error = std::current_exception();
    return 1;  // aborts the transfer
  }
  return 0;
}

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* in = static_cast<std::FILE*>(user);
  const std::size_t n = std::fread(buffer, 1, size * count, in);
  if (n == 0 && std::ferror(in)) return CURL_READFUNC_ABORT;
  return n;
}

// libcurl rewinds the body when it re-sends a request on its own, e.g. after a kept-alive
// connection turned out to be closed by the server.
int seek_upload(void* user, curl_off_t offset, int origin) {
  auto* in = static_cast<std::FILE*>(user);
  return fseeko(in, static_cast<off_t>(offset), origin) == 0 ? CURL_SEEKFUNC_OK
                                                             : CURL_SEEKFUNC_FAIL;
}

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (ex->download_to != nullptr && ex->status >= 200 && ex->status < 300) {
    if (!ex->out) {
      ex->out.reset(std::fopen(ex->download_to->c_str(), "wb"));
      if (!ex->out) {
        ex->write_failed = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
      }
    }
    if (std::fwrite(data, 1, n, ex->out.get()) != n) {
      ex->write_failed = true;
      return 0;
    }
    return n;
  }
  if (ex->response.body.size() < kMaxErrorBody) {
    ex->response.body.append(data, std::min(n, kMaxErrorBody - ex->response.body.size()));
  }
  return n;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (n >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
    // A new response (interim 100, or a redirect that was followed): its headers replace the
    // previous ones, and its status decides where the body goes.
    ex->response.headers.clear();
    const char* space = static_cast<const char*>(std::memchr(data, ' ', n));
    ex->status = space != nullptr ? std::strtol(space + 1, nullptr, 10) : 0;
    return n;
  }
  const char* colon = static_cast<const char*>(std::memchr(data, ':', n));
  if (colon == nullptr) return n;
  const std::size_t name_len = static_cast<std::size_t>(colon - data);
  ex->response.headers.emplace_back(trim_header_text(data, name_len),
                                    trim_header_text(colon + 1, n - name_len - 1));
  return n;
}

class FileTransferTransport final : public HttpTransport {
 public:
  FileTransferTransport(TransportOptions options, FileTransfer transfer)
      : options_(std::move(options)), transfer_(std::move(transfer)) {
    ensure_curl_initialised();
    if (options_.user_agent.empty()) options_.user_agent = std::string("mlflow-cpp/") + kVersion;
  }

  TransportResult send(const HttpRequest& request) override {
    // One handle per thread, reset between transfers: curl_easy_reset keeps the handle's
    // open connections, so a thread moving many small files reuses its keep-alive connection
    // (as Python's requests session does) instead of a TCP handshake per file.
    thread_local CurlHandle handle;
    if (!handle) handle.reset(curl_easy_init());
    if (!handle) {
      return {std::nullopt, TransportError{TransportErrorKind::kOther, "curl_easy_init failed"}};
    }
    CURL* curl = handle.get();
    curl_easy_reset(curl);
    Exchange ex;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    const long timeout_ms = static_cast<long>(request.timeout.count());
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, timeout_ms / 1000));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_bundle_path.empty()) {
      curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle_path.c_str());
    }
    if (!options_.client_cert_path.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, options_.client_cert_path.c_str());
    }
    if (!options_.client_key_path.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLKEY, options_.client_key_path.c_str());
    }
    if (options_.follow_redirects) {
      curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 30L);
    }

    FilePtr in;
    if (!transfer_.upload_from.empty()) {
      in.reset(std::fopen(transfer_.upload_from.c_str(), "rb"));
      std::error_code ec;
      const auto size = std::filesystem::file_size(transfer_.upload_from, ec);
      if (!in || ec) {
        throw_error(ErrorCode::kIoError,
                    "Cannot read '" + transfer_.upload_from.string() + "' for upload.");
      }
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &read_upload);
      curl_easy_setopt(curl, CURLOPT_READDATA, in.get());
      curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, &seek_upload);
      curl_easy_setopt(curl, CURLOPT_SEEKDATA, in.get());
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
      if (request.method != "PUT") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (request.method == "GET") {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (!request.body.empty()) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      }
    }

    CurlHeaderList headers;
    const auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next != nullptr) {
        (void)headers.release();
        headers.reset(next);
      }
    };
    for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
    add_header("Expect:");  // no 100-continue round trip (and no wait on servers without it)
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

    if (!transfer_.download_to.empty()) ex.download_to = &transfer_.download_to;
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ex);
    if (transfer_.progress) {
      ex.progress = &transfer_.progress;
      ex.uploading = !transfer_.upload_from.empty();
      (*ex.progress)(0);  // a retried attempt starts again from nothing
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &report_progress);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &ex);
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }

    const CURLcode code = curl_easy_perform(curl);
    if (ex.progress_error) std::rethrow_exception(ex.progress_error);
    if (ex.write_failed) {
      throw_error(ErrorCode::kIoError,
                  "Cannot write the download to '" + transfer_.download_to.string() + "'.");
    }
    if (code == CURLE_READ_ERROR || code == CURLE_ABORTED_BY_CALLBACK) {
      throw_error(ErrorCode::kIoError,
                  "Cannot read '" + transfer_.upload_from.string() + "' while uploading it.");
    }
    if (code != CURLE_OK) {
      std::string message = curl_easy_strerror(code);
      if (error_buffer[0] != '\0') message += std::string(": ") + error_buffer;
      while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
        message.pop_back();
      }
      TransportErrorKind kind = classify_curl_error(code);
      // A timeout before any connection was made: the server never saw the request.
      curl_off_t connect_us = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us);
      if (kind == TransportErrorKind::kTimeout && connect_us == 0) {
        kind = TransportErrorKind::kConnectFailed;
      }
      return {std::nullopt, TransportError{kind, std::move(message)}};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    ex.response.status = status;
    if (ex.download_to != nullptr && status >= 200 && status < 300) {
      if (!ex.out) ex.out.reset(std::fopen(transfer_.download_to.c_str(), "wb"));  // empty body
      std::FILE* f = ex.out.release();
      if (f == nullptr || std::fclose(f) != 0) {
        throw_error(ErrorCode::kIoError,
                    "Cannot write the download to '" + transfer_.download_to.string() + "'.");
      }
    }
    return {std::move(ex.response), std::nullopt};
  }

 private:
  TransportOptions options_;
  FileTransfer transfer_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_file_transfer_transport(const TransportOptions& options,
                                                            FileTransfer transfer) {
  return std::make_shared<FileTransferTransport>(options, std::move(transfer));
}

}  // namespace mlflow::internal
