// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The HTTP seam. An HTTP answer of any status (4xx and 5xx included) is a *successful*
// transport result; only failures to get an answer (connect, TLS, timeout, reset) are
// TransportError. The retry loop and error mapping sit above this interface.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlflow::internal {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string url;     // absolute, query string included
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{120000};
};

/// Where the time of one exchange went, from libcurl's timers (microseconds from the start
/// of the transfer). `first_byte_us - request_sent_us` is the server's handling plus one
/// network trip; `total_us - first_byte_us` is how long the rest of the answer took after its
/// first byte (near zero for a small answer, unless something held the body back).
struct TransferTiming {
  std::int64_t request_sent_us = 0;  // CURLINFO_PRETRANSFER_TIME_T
  std::int64_t first_byte_us = 0;    // CURLINFO_STARTTRANSFER_TIME_T
  std::int64_t total_us = 0;         // CURLINFO_TOTAL_TIME_T
  bool reused_connection = false;    // no new connection was opened for it
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;  // names as received
  std::string body;
  /// Filled by the libcurl transports; zero for answers that did not cross a network.
  TransferTiming timing{};
  /// Case-insensitive header lookup.
  std::optional<std::string> header(const std::string& name) const;
};

enum class TransportErrorKind {
  kConnectFailed,   // never reached the server: safe to retry any request
  kTimeout,         // may have reached the server
  kConnectionLost,  // reset / empty reply after sending: may have reached the server
  kTls,             // certificate or handshake problem: not retried
  kOther,
};

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::kOther;
  std::string message;  // e.g. curl's error text; never contains header values
  /// A kTls failure whose handshake got a plain-HTTP answer: the URL says https:// to a
  /// server that speaks http://.
  bool plain_http_peer = false;
};

/// Either a response or an error.
struct TransportResult {
  std::optional<HttpResponse> response;
  std::optional<TransportError> error;
  bool ok() const noexcept { return response.has_value(); }
};

/// TLS and connection settings fixed for the lifetime of a transport.
struct TransportOptions {
  bool verify_tls = true;
  std::string ca_bundle_path;
  std::string client_cert_path;
  std::string client_key_path;
  bool follow_redirects = true;
  std::string user_agent;  // "mlflow-cpp/<version>"
  std::size_t max_pooled_connections = 10;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Thread-safe. Never throws for network failures (returns TransportError instead).
  virtual TransportResult send(const HttpRequest& request) = 0;
};

/// The libcurl transport: keep-alive pool shared by all threads of one client.
std::shared_ptr<HttpTransport> make_curl_transport(const TransportOptions& options);

}  // namespace mlflow::internal
