// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/url.hpp"

#include <cctype>

namespace mlflow::internal {

std::string strip_credentials(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto authority_begin = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority_begin);
  const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < authority_begin) return url;
  return url.substr(0, authority_begin) + url.substr(at + 1);
}

std::string uri_scheme(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0 ||
      !std::isalpha(static_cast<unsigned char>(uri[0]))) {
    return "";
  }
  std::string scheme;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(uri[i]);
    if (!(std::isalnum(c) || c == '+' || c == '-' || c == '.')) return "";
    scheme += static_cast<char>(std::tolower(c));
  }
  return scheme;
}

}  // namespace mlflow::internal
