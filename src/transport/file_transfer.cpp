// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/file_transfer.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "mlflow/errors.hpp"
#include "transport/curl_common.hpp"

namespace mlflow::internal {
namespace {

constexpr std::size_t kMaxErrorBody = 1 << 20;
// libcurl's largest download buffer (CURL_MAX_READ_SIZE), and as much for uploads.
constexpr long kTransferBufferBytes = 512 * 1024;
// The download file's stdio buffer. libcurl hands the write callback at most 16 KiB at a time
// (CURL_MAX_WRITE_SIZE); stdio's default 4 KiB buffer split each call into two write(2)s
// (65,536 for 512 MiB). 64 KiB measured best for client CPU: 1 MiB, like Python's writes,
// cost 5x more (the buffer no longer stays in the CPU cache). See docs/adr/0017.
constexpr std::size_t kDownloadFileBufferBytes = 64 * 1024;

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
  // Declared before `out`, so it outlives the FILE that uses it (closing flushes into it).
  std::unique_ptr<char[]> out_buffer;
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
      ex->out_buffer = std::make_unique<char[]>(kDownloadFileBufferBytes);
      std::setvbuf(ex->out.get(), ex->out_buffer.get(), _IOFBF, kDownloadFileBufferBytes);
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
  // A new response (interim 100, or a redirect that was followed) replaces the previous
  // headers, and its status decides where the body goes.
  const long status = collect_header_line(data, n, ex->response.headers);
  if (status != 0) ex->status = std::max(0L, status);
  return n;
}

class FileTransferTransport final : public HttpTransport {
 public:
  FileTransferTransport(TransportOptions options, FileTransfer transfer)
      : options_(std::move(options)), transfer_(std::move(transfer)) {
    ensure_curl_initialised();
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
    apply_common_options(curl, request.url, options_, request.timeout, TimeoutStyle::kReadTimeout,
                         error_buffer);
    // Large buffers both ways: fewer read/write callbacks and system calls per byte (libcurl's
    // defaults are 64 KiB up, 16 KiB down). See docs/adr/0017 for the measurements.
#if LIBCURL_VERSION_NUM >= 0x073E00  // 7.62.0
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, kTransferBufferBytes);
#endif
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kTransferBufferBytes);

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

    const CurlHeaderList headers = build_header_list(request.headers);
    if (!headers) {
      return {std::nullopt, TransportError{TransportErrorKind::kOther, "out of memory"}};
    }
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
      TransportError error = curl_transport_error(code, error_buffer);
      // A timeout before any connection was made: the server never saw the request.
      curl_off_t connect_us = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us);
      if (error.kind == TransportErrorKind::kTimeout && connect_us == 0) {
        error.kind = TransportErrorKind::kConnectFailed;
      }
      return {std::nullopt, std::move(error)};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    ex.response.status = status;
    ex.response.timing = read_transfer_timing(curl);
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
