// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/url.hpp"

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

}  // namespace mlflow::internal
