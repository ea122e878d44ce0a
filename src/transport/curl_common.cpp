// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/curl_common.hpp"

#include <mutex>
#include <stdexcept>

namespace mlflow::internal {

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
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

}  // namespace mlflow::internal
