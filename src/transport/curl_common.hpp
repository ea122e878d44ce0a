// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// libcurl pieces shared by the pooled JSON transport (curl_transport.cpp) and the one-shot
// file transfer transport (file_transfer.cpp).

#include <curl/curl.h>

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

/// A header name or value as libcurl hands it over: without surrounding blanks and CR/LF.
std::string trim_header_text(const char* data, std::size_t size);

/// Whether a failed transfer may have reached the server (drives the retry decision).
TransportErrorKind classify_curl_error(CURLcode code);

}  // namespace mlflow::internal
