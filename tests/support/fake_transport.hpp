// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The one fake HTTP transport of the unit tests: it records every request and answers from a
// queue, so a test can check the exact request shapes and script every kind of answer without
// a server.

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "transport/http_transport.hpp"

namespace mlflow::testing {

class FakeTransport : public internal::HttpTransport {
 public:
  /// Records the request; answers with the next queued answer, or 200 "{}" when none is left.
  internal::TransportResult send(const internal::HttpRequest& request) override;

  /// Queues a response with the given status, body and Content-Type.
  void reply(long status, std::string body, std::string content_type = "application/json");
  /// Queues a 200 JSON response.
  void reply_ok(std::string body) { reply(200, std::move(body)); }
  /// Queues a transport failure (no response) of the given kind.
  void fail(internal::TransportErrorKind kind);

  std::vector<internal::HttpRequest> requests;
  std::deque<internal::TransportResult> answers;
};

/// The value of a request header (case-insensitive name), as HttpResponse::header reads it.
std::optional<std::string> request_header(const internal::HttpRequest& request,
                                          const std::string& name);

}  // namespace mlflow::testing
