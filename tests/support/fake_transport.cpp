// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/fake_transport.hpp"

#include <utility>

namespace mlflow::testing {

using internal::HttpRequest;
using internal::HttpResponse;
using internal::TransportResult;

TransportResult FakeTransport::send(const HttpRequest& request) {
  requests.push_back(request);
  if (answers.empty()) {
    TransportResult result;
    result.response = HttpResponse{200, {{"Content-Type", "application/json"}}, "{}"};
    return result;
  }
  TransportResult result = std::move(answers.front());
  answers.pop_front();
  return result;
}

void FakeTransport::reply(long status, std::string body, std::string content_type) {
  TransportResult result;
  result.response =
      HttpResponse{status, {{"Content-Type", std::move(content_type)}}, std::move(body)};
  answers.push_back(std::move(result));
}

void FakeTransport::fail(internal::TransportErrorKind kind) {
  TransportResult result;
  result.error = internal::TransportError{kind, "simulated"};
  answers.push_back(std::move(result));
}

std::optional<std::string> request_header(const HttpRequest& request, const std::string& name) {
  // HttpResponse owns the one case-insensitive header lookup; borrow it for the request.
  HttpResponse holder;
  holder.headers = request.headers;
  return holder.header(name);
}

}  // namespace mlflow::testing
