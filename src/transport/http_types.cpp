// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/strings.hpp"
#include "transport/http_transport.hpp"

namespace mlflow::internal {

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  // HTTP field names are case-insensitive (RFC 9110 §5.1); the first occurrence wins.
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace mlflow::internal
