// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// libcurl pieces shared by the pooled JSON transport (curl_transport.cpp) and the streaming
// file transfer transport (file_transfer.cpp): one set of connection, TLS and timeout options
// for every handle, one header parser, one failure classification, one timing read-out.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "transport/http_transport.hpp"

namespace mlflow::internal {

/// curl_global_init once per process, before any handle exists (it is not thread-safe). Never
/// paired with curl_global_cleanup: other libraries in the process may use libcurl too.
void ensure_curl_initialised();

struct CurlHandleDeleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using CurlHandle = std::unique_ptr<CURL, CurlHandleDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlHeaderList = std::unique_ptr<curl_slist, CurlSlistDeleter>;

/// How a transport bounds the time of one request.
enum class TimeoutStyle {
  /// `timeout` caps connect and the whole exchange (small JSON calls).
  kWholeRequest,
  /// `timeout` caps connect, and a transfer is aborted only when no byte moves for that long
  /// (a read timeout, as Python's requests has): a large file may need any total time.
  kReadTimeout,
};

/// The options every libcurl handle of the library gets, whatever it carries: the URL, an
/// error buffer (CURL_ERROR_SIZE bytes, alive until the transfer ends), no signals, protocols
/// limited to http/https (libcurl >= 7.85), the User-Agent, TCP keep-alive probes at MLflow's
/// intervals, TLS verification with the configured CA bundle and client certificate, the
/// redirect policy and the timeouts. Proxies come from libcurl's environment variables
/// (`http_proxy`, `https_proxy`, `no_proxy`), as with Python's requests; nothing overrides them.
void apply_common_options(CURL* curl, const std::string& url, const TransportOptions& options,
                          std::chrono::milliseconds timeout, TimeoutStyle style,
                          char* error_buffer);

/// The request's header list for CURLOPT_HTTPHEADER: the caller's headers (an empty value as
/// curl's "Name;", since "Name:" would remove it), never `Origin` (MLflow's server refuses
/// state-changing calls from a foreign origin; a native client has none), and two headers
/// switched off: `Expect:` (no `100-continue` round trip before a larger body) and, when the
/// caller set no Content-Type, the form type libcurl would add to a POST body. Empty (null)
/// when memory ran out.
CurlHeaderList build_header_list(const HttpHeaders& headers);

/// One header line as libcurl hands it to a header callback. A status line ("HTTP/1.1 200
/// OK") starts a new response: `headers` is cleared (interim 100 answers and followed
/// redirects leave nothing behind) and its status is returned (-1 if unreadable). A "Name:
/// value" line is added to `headers` trimmed and returns 0, as does the blank line that ends
/// the block.
long collect_header_line(const char* data, std::size_t size, HttpHeaders& headers);

/// A header name or value as libcurl hands it over: without surrounding blanks and CR/LF.
std::string trim_header_text(const char* data, std::size_t size);

/// Whether a failed transfer may have reached the server (drives the retry decision).
TransportErrorKind classify_curl_error(CURLcode code);

/// The TransportError of a failed transfer: its kind, curl's text and error buffer on one
/// line, and whether a TLS handshake met a plain-HTTP server.
TransportError curl_transport_error(CURLcode code, const char* error_buffer);

/// Whether a TLS library's handshake error says the peer answered in plain text, the sign of
/// an `https://` URL pointing at a plain-HTTP server (OpenSSL's "wrong version number" and its
/// other wordings, GnuTLS's "unexpected TLS packet").
bool is_plain_http_answer_to_tls(const std::string& message);

/// The finished transfer's timing breakdown (CURLINFO_*_TIME_T) and connection reuse.
TransferTiming read_transfer_timing(CURL* curl);

}  // namespace mlflow::internal
