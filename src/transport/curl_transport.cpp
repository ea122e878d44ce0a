// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/strings.hpp"
#include "mlflow/version.hpp"
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
  if (n >= 5 && std::string(data, 5) == "HTTP/") {
    // A new status line: an interim (100) or redirect response ended; keep only the last one's
    // headers.
    exchange->response.headers.clear();
    ++exchange->responses_started;
    return n;
  }
  const char* colon = static_cast<const char*>(std::memchr(data, ':', n));
  if (colon == nullptr) return n;  // the blank line that ends the block
  const std::size_t name_len = static_cast<std::size_t>(colon - data);
  exchange->response.headers.emplace_back(trim_header_text(data, name_len),
                                          trim_header_text(colon + 1, n - name_len - 1));
  return n;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {
    ensure_curl_initialised();
    if (options_.user_agent.empty()) options_.user_agent = std::string("mlflow-cpp/") + kVersion;
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

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in multithreaded programs
#if LIBCURL_VERSION_NUM >= 0x075500                // 7.85.0
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    // MLflow's defaults (MLFLOW_HTTP_TCP_KEEPALIVE_IDLE / _INTERVAL): find dead peers sooner.
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, 10L);

    const long timeout_ms = static_cast<long>(std::max<std::int64_t>(1, request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);

    // TLS: verification stays on unless explicitly disabled.
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
      curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 30L);  // requests' default limit
    }

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

    // Headers. Caller headers first; then suppress what curl would add on its own and we do
    // not want: `Expect: 100-continue` (an extra round trip that some proxies mishandle) and
    // a form Content-Type when the caller gave none.
    curl_slist* raw = nullptr;
    bool has_content_type = false;
    auto append = [&raw](const std::string& line) {
      curl_slist* next = curl_slist_append(raw, line.c_str());
      if (next != nullptr) raw = next;
      return next != nullptr;
    };
    bool headers_ok = true;
    for (const auto& [name, value] : request.headers) {
      // A browser-style Origin header makes MLflow's server refuse state-changing calls.
      if (iequals(name, "Origin")) continue;
      if (iequals(name, "Content-Type")) has_content_type = true;
      // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove it).
      headers_ok &= append(value.empty() ? name + ";" : name + ": " + value);
    }
    headers_ok &= append("Expect:");
    if (!has_content_type) headers_ok &= append("Content-Type:");
    CurlHeaderList headers(raw);
    if (!headers_ok) {
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
      std::string message = curl_easy_strerror(code);
      if (error_buffer[0] != '\0') message += std::string(": ") + error_buffer;
      while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
        message.pop_back();
      }
      TransportErrorKind kind = classify_curl_error(code);
#if LIBCURL_VERSION_NUM >= 0x075000
      // A timeout before the request was handed to the connection (TCP connect or TLS
      // handshake) means the server never saw it: as safe to retry as a refused connect.
      if (kind == TransportErrorKind::kTimeout && exchange.requests_started == 0) {
        kind = TransportErrorKind::kConnectFailed;
      }
#endif
      return TransportResult{std::nullopt, TransportError{kind, std::move(message)}};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = status;
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
