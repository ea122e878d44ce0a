// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <cctype>

#include "transport/http_transport.hpp"

namespace mlflow::internal {

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  // HTTP field names are case-insensitive (RFC 9110 §5.1); the first occurrence wins.
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return std::nullopt;
}

}  // namespace mlflow::internal
