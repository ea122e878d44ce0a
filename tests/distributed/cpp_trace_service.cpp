// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// A C++ service in the middle of a distributed trace (tests/integration/
// distributed_tracing_test.cpp): a one-thread HTTP/1.1 server on 127.0.0.1 (POSIX sockets)
// that continues the caller's trace from its `traceparent` header, records its own spans
// ("cpp-service-handle" (CHAIN) -> "cpp-service-model" (LLM, token usage)), exports them to
// the tracking server of MLFLOW_TRACKING_URI / MLFLOW_EXPERIMENT_ID before it answers, and
// answers {"trace_id": ..., "span_id": <its handle span>}. A request without a traceparent is
// answered 400 with the SDK's message.
//   cpp_trace_service         prints "port <n>" on stdout, then serves until killed.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

#include "mlflow/mlflow.hpp"
#include "support/loopback.hpp"

namespace {

struct Request {
  std::map<std::string, std::string> headers;
  std::string body;
};

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  const auto end = s.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

// Reads one request (headers up to the blank line, then Content-Length bytes of body).
bool read_request(int fd, Request& request) {
  std::string data;
  char buffer[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  std::size_t content_length = 0;
  std::size_t line_start = data.find("\r\n") + 2;  // past the request line
  while (line_start < header_end) {
    const std::size_t line_end = data.find("\r\n", line_start);
    const std::string line = data.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      // Header names as the client wrote them: the SDK matches "traceparent" itself.
      const std::string name = line.substr(0, colon);
      request.headers[name] = trim(line.substr(colon + 1));
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "content-length") content_length = std::stoul(request.headers[name]);
    }
    line_start = line_end + 2;
  }
  request.body = data.substr(header_end + 4);
  while (request.body.size() < content_length) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    request.body.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

void respond(int fd, int status, const std::string& body) {
  const std::string reason = status == 200 ? "OK" : "Bad Request";
  const std::string message =
      "HTTP/1.1 " + std::to_string(status) + " " + reason +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < message.size()) {
    const ssize_t n = ::write(fd, message.data() + sent, message.size() - sent);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// The traced work: what a model-serving handler of an LLM service does.
std::string handle(const Request& request) {
  const auto context = mlflow::set_tracing_context_from_http_request_headers(request.headers);
  auto span = mlflow::start_span("cpp-service-handle", mlflow::SpanType::kChain);
  span.set_inputs({{"request", request.body}});
  {
    auto model = mlflow::start_span("cpp-service-model", mlflow::SpanType::kLlm);
    model.set_inputs({{"prompt", request.body}});
    model.set_token_usage({7, 3});
    model.set_outputs("42");
  }
  span.set_outputs({{"answer", "42"}});
  const mlflow::JsonValue reply{{"trace_id", span.trace_id()}, {"span_id", span.span_id()}};
  return reply.dump();
}

}  // namespace

int main() {
  int port = 0;
  const int listener = mlflow::testing::bind_loopback(port, /*backlog=*/16);
  if (listener < 0) {
    std::perror("cpp_trace_service: cannot listen on 127.0.0.1");
    return 1;
  }
  std::printf("port %d\n", port);
  std::fflush(stdout);
  while (true) {
    const int connection = ::accept(listener, nullptr, nullptr);
    if (connection < 0) continue;
    Request request;
    if (read_request(connection, request)) {
      try {
        const std::string reply = handle(request);
        // Stored before the caller hears back, so that its trace is complete when it ends.
        if (!mlflow::flush_trace_async_logging(std::chrono::seconds(60))) {
          throw std::runtime_error("the service's spans were not stored within 60 s");
        }
        respond(connection, 200, reply);
      } catch (const std::exception& e) {
        respond(connection, 400, mlflow::JsonValue{{"error", e.what()}}.dump());
      }
    }
    ::close(connection);
  }
}
