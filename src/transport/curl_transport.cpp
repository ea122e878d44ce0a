// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "transport/curl_common.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {
namespace {

struct Exchange {
  HttpResponse response;
  int requests_started = 0;   // times libcurl was about to send a request (redirects included)
  int responses_started = 0;  // status lines received
  bool resend_blocked = false;
};

#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0: CURLOPT_PREREQFUNCTION
// libcurl silently re-sends a request once when a *reused* connection dies before any answer
// byte arrives. The server may already have acted on the first copy, so that hidden resend
// could duplicate a create. Refuse it here and report the lost connection instead: whether to
// resend is the retry layer's decision, made with the request's idempotency in mind.
int before_request(void* user, char* /*conn_primary_ip*/, char* /*conn_local_ip*/,
                   int /*conn_primary_port*/, int /*conn_local_port*/) {
  auto* exchange = static_cast<Exchange*>(user);
  if (exchange->requests_started > exchange->responses_started) {
    exchange->resend_blocked = true;
    return CURL_PREREQFUNC_ABORT;
  }
  ++exchange->requests_started;
  return CURL_PREREQFUNC_OK;
}
#endif

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  exchange->response.body.append(data, size * count);
  return size * count;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  // A new status line: an interim (100) or redirect response ended; only the last one's
  // headers are kept.
  if (collect_header_line(data, n, exchange->response.headers) != 0) {
    ++exchange->responses_started;
  }
  return n;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {
    ensure_curl_initialised();
  }

  TransportResult send(const HttpRequest& request) override {
    CurlHandle handle = acquire();
    if (!handle) {
      return TransportResult{std::nullopt,
                             TransportError{TransportErrorKind::kOther, "curl_easy_init failed"}};
    }
    TransportResult result = perform(handle.get(), request);
    release(std::move(handle));
    return result;
  }

 private:
  // A handle keeps its connection cache, so handing the most recently used one back out
  // (LIFO) reuses its kept-alive connection for the next request.
  CurlHandle acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!pool_.empty()) {
        CurlHandle handle = std::move(pool_.back());
        pool_.pop_back();
        return handle;
      }
    }
    return CurlHandle(curl_easy_init());
  }

  void release(CurlHandle handle) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pool_.size() < std::max<std::size_t>(1, options_.max_pooled_connections)) {
      pool_.push_back(std::move(handle));
    }
    // Otherwise the handle (and its connection) is closed when `handle` goes out of scope.
  }

  TransportResult perform(CURL* curl, const HttpRequest& request) {
    // Reset drops every option of the previous request but keeps the connection cache.
    curl_easy_reset(curl);
    Exchange exchange;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    apply_common_options(curl, request.url, options_, request.timeout, TimeoutStyle::kWholeRequest,
                         error_buffer);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode

    // Method and body.
    const std::string& method = request.method;
    if (method == "GET" && request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (method == "POST" || method == "PUT" || method == "PATCH" || !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    }

    const CurlHeaderList headers = build_header_list(request.headers);
    if (!headers) {
      return TransportResult{std::nullopt, TransportError{TransportErrorKind::kOther,
                                                          "out of memory building headers"}};
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &write_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
#if LIBCURL_VERSION_NUM >= 0x075000
    curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, &before_request);
    curl_easy_setopt(curl, CURLOPT_PREREQDATA, &exchange);
#endif

    const CURLcode code = curl_easy_perform(curl);
    // The header list and error buffer die with this frame: make sure the handle, which goes
    // back to the pool, no longer points at them.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK && exchange.resend_blocked) {
      return TransportResult{
          std::nullopt,
          TransportError{TransportErrorKind::kConnectionLost,
                         "the server closed a kept-alive connection before answering"}};
    }
    if (code != CURLE_OK) {
      TransportError error = curl_transport_error(code, error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075000
      // A timeout before the request was handed to the connection (TCP connect or TLS
      // handshake) means the server never saw it: as safe to retry as a refused connect.
      if (error.kind == TransportErrorKind::kTimeout && exchange.requests_started == 0) {
        error.kind = TransportErrorKind::kConnectFailed;
      }
#endif
      return TransportResult{std::nullopt, std::move(error)};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = status;
    exchange.response.timing = read_transfer_timing(curl);
    return TransportResult{std::move(exchange.response), std::nullopt};
  }

  TransportOptions options_;
  std::mutex mutex_;
  std::vector<CurlHandle> pool_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(const TransportOptions& options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace mlflow::internal
