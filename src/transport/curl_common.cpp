// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/curl_common.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "core/strings.hpp"
#include "mlflow/version.hpp"

namespace mlflow::internal {

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

void apply_common_options(CURL* curl, const std::string& url, const TransportOptions& options,
                          std::chrono::milliseconds timeout, TimeoutStyle style,
                          char* error_buffer) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in multithreaded programs
#if LIBCURL_VERSION_NUM >= 0x075500              // 7.85.0
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  const std::string agent =
      options.user_agent.empty() ? std::string("mlflow-cpp/") + kVersion : options.user_agent;
  curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());  // libcurl copies strings
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  // MLflow's defaults (MLFLOW_HTTP_TCP_KEEPALIVE_IDLE / _INTERVAL): find dead peers sooner.
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, 10L);

  const long timeout_ms = static_cast<long>(std::max<std::int64_t>(1, timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  if (style == TimeoutStyle::kWholeRequest) {
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  } else {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, timeout_ms / 1000));
  }

  // TLS: verification stays on unless explicitly disabled.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_bundle_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle_path.c_str());
  }
  if (!options.client_cert_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, options.client_cert_path.c_str());
  }
  if (!options.client_key_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLKEY, options.client_key_path.c_str());
  }

  if (options.follow_redirects) {
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 30L);  // requests' default limit
  }
}

CurlHeaderList build_header_list(const HttpHeaders& headers) {
  CurlHeaderList list;
  bool ok = true;
  const auto append = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) {
      ok = false;
      return;
    }
    (void)list.release();  // curl_slist_append returned the same list, now one longer
    list.reset(next);
  };
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "Origin")) continue;
    if (iequals(name, "Content-Type")) has_content_type = true;
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  append("Expect:");
  if (!has_content_type) append("Content-Type:");
  if (!ok) list.reset();
  return list;
}

long collect_header_line(const char* data, std::size_t size, HttpHeaders& headers) {
  if (size >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
    headers.clear();
    const char* space = static_cast<const char*>(std::memchr(data, ' ', size));
    const long status = space != nullptr ? std::strtol(space + 1, nullptr, 10) : 0;
    return status > 0 ? status : -1;
  }
  const char* colon = static_cast<const char*>(std::memchr(data, ':', size));
  if (colon == nullptr) return 0;  // the blank line that ends the block
  const std::size_t name_len = static_cast<std::size_t>(colon - data);
  headers.emplace_back(trim_header_text(data, name_len),
                       trim_header_text(colon + 1, size - name_len - 1));
  return 0;
}

std::string trim_header_text(const char* data, std::size_t size) {
  std::size_t b = 0;
  std::size_t e = size;
  while (b < e && (data[b] == ' ' || data[b] == '\t')) ++b;
  while (e > b && (data[e - 1] == '\r' || data[e - 1] == '\n' || data[e - 1] == ' ' ||
                   data[e - 1] == '\t')) {
    --e;
  }
  return std::string(data + b, e - b);
}

TransportErrorKind classify_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportErrorKind::kConnectFailed;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::kTimeout;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportErrorKind::kConnectionLost;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074D00  // 7.77.0
    case CURLE_SSL_CLIENTCERT:
#endif
      return TransportErrorKind::kTls;
    default:
      return TransportErrorKind::kOther;
  }
}

bool is_plain_http_answer_to_tls(const std::string& message) {
  // A plain-HTTP answer ("HTTP/1.1 400 ...") read as a TLS record has a nonsense version and
  // length. The wordings of OpenSSL 1.1-3.x, BoringSSL, GnuTLS and mbedTLS for that.
  static const char* const kSigns[] = {
      "wrong version number", "wrong_version_number",  "packet length too long",
      "record layer failure", "unexpected tls packet", "tls packet with unexpected length",
      "unknown protocol",
  };
  const std::string lower = to_lower(message);
  return std::any_of(std::begin(kSigns), std::end(kSigns),
                     [&](const char* sign) { return lower.find(sign) != std::string::npos; });
}

TransportError curl_transport_error(CURLcode code, const char* error_buffer) {
  TransportError error;
  error.kind = classify_curl_error(code);
  error.message = curl_easy_strerror(code);
  if (error_buffer != nullptr && error_buffer[0] != '\0') {
    error.message += std::string(": ") + error_buffer;
  }
  while (!error.message.empty() && (error.message.back() == '\n' || error.message.back() == '\r')) {
    error.message.pop_back();
  }
  error.plain_http_peer =
      error.kind == TransportErrorKind::kTls && is_plain_http_answer_to_tls(error.message);
  return error;
}

TransferTiming read_transfer_timing(CURL* curl) {
  TransferTiming t;
  curl_off_t v = 0;
  if (curl_easy_getinfo(curl, CURLINFO_PRETRANSFER_TIME_T, &v) == CURLE_OK) t.request_sent_us = v;
  if (curl_easy_getinfo(curl, CURLINFO_STARTTRANSFER_TIME_T, &v) == CURLE_OK) t.first_byte_us = v;
  if (curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK) t.total_us = v;
  long connects = 0;
  if (curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK) {
    t.reused_connection = connects == 0;
  }
  return t;
}

}  // namespace mlflow::internal
