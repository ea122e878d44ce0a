// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/version.hpp"
#include "support/fault_proxy.hpp"
#include "support/loopback.hpp"
#include "support/no_wait_hooks.hpp"
#include "transport/curl_common.hpp"
#include "transport/http_transport.hpp"
#include "transport/retry.hpp"

namespace mlflow::internal {
namespace {

using mlflow::testing::FaultAction;
using mlflow::testing::FaultProxy;
using std::chrono::milliseconds;

HttpRequest request(const std::string& method, const std::string& url, std::string body = {}) {
  HttpRequest r;
  r.method = method;
  r.url = url;
  r.body = std::move(body);
  r.timeout = milliseconds(10000);
  if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

std::shared_ptr<HttpTransport> transport() { return make_curl_transport(TransportOptions{}); }

TEST(HttpResponseTest, HeaderLookupIsCaseInsensitive) {
  HttpResponse r;
  r.headers = {
      {"Content-Type", "application/json"}, {"retry-after", "3"}, {"X-A", "1"}, {"x-a", "2"}};
  EXPECT_EQ(r.header("content-type"), std::optional<std::string>("application/json"));
  EXPECT_EQ(r.header("Retry-After"), std::optional<std::string>("3"));
  EXPECT_EQ(r.header("X-A"), std::optional<std::string>("1"));  // first wins
  EXPECT_EQ(r.header("missing"), std::nullopt);
  EXPECT_EQ(r.header("X-"), std::nullopt);
}

TEST(CurlTransportTest, MethodsBodiesAndHeaders) {
  FaultProxy server;
  for (const std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    server.script("/api/thing", FaultAction::respond(
                                    200, "{\"m\":\"" + method + "\"}",
                                    {{"Content-Type", "application/json"}, {"X-Answer", "yes"}}));
  }
  auto t = transport();
  for (const std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    const bool with_body = method != "GET";
    HttpRequest req = request(method, server.url() + "/api/thing?x=1",
                              with_body ? R"({"k":")" + method + "\"}" : "");
    req.headers.emplace_back("X-Custom", "c1");
    const TransportResult result = t->send(req);
    ASSERT_TRUE(result.ok()) << method << ": " << result.error->message;
    EXPECT_EQ(result.response->status, 200);
    EXPECT_EQ(result.response->body, "{\"m\":\"" + method + "\"}");
    EXPECT_EQ(result.response->header("x-answer"), std::optional<std::string>("yes"));
  }
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 5u);
  const std::vector<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const auto& r = seen[i];
    EXPECT_EQ(r.method, methods[i]);
    EXPECT_EQ(r.target, "/api/thing?x=1");
    EXPECT_EQ(r.header("X-Custom"), std::optional<std::string>("c1"));
    EXPECT_EQ(r.header("User-Agent"),
              std::optional<std::string>(std::string("mlflow-cpp/") + kVersion));
    EXPECT_EQ(r.header("Origin"), std::nullopt);
    EXPECT_EQ(r.header("Expect"), std::nullopt);
    const std::string encodings = r.header("Accept-Encoding").value_or("");
    EXPECT_NE(encodings.find("gzip"), std::string::npos) << encodings;
    if (methods[i] == "GET") {
      EXPECT_EQ(r.body, "");
    } else {
      EXPECT_EQ(r.body, R"({"k":")" + methods[i] + "\"}");
      EXPECT_EQ(r.header("Content-Type"), std::optional<std::string>("application/json"));
    }
  }
}

TEST(CurlTransportTest, NeverSendsOriginEvenIfAsked) {
  FaultProxy server;
  server.script("/x", FaultAction::respond(200, "{}"));
  HttpRequest req = request("POST", server.url() + "/x", "{}");
  req.headers.emplace_back("Origin", "http://evil.example");
  ASSERT_TRUE(transport()->send(req).ok());
  EXPECT_EQ(server.requests().at(0).header("Origin"), std::nullopt);
}

TEST(CurlTransportTest, PostWithoutContentTypeGetsNoFormContentType) {
  FaultProxy server;
  server.script("/x", FaultAction::respond(200, "{}"));
  HttpRequest req = request("POST", server.url() + "/x");
  req.body = "raw";
  ASSERT_TRUE(transport()->send(req).ok());
  EXPECT_EQ(server.requests().at(0).header("Content-Type"), std::nullopt);
  EXPECT_EQ(server.requests().at(0).body, "raw");
}

TEST(CurlTransportTest, LargeBodyRoundTrips) {
  FaultProxy server;
  const std::string big(3 * 1024 * 1024, 'x');
  server.script("/big", FaultAction::respond(200, big));
  const TransportResult result = transport()->send(request("POST", server.url() + "/big", big));
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.response->body.size(), big.size());
  EXPECT_EQ(server.requests().at(0).body.size(), big.size());
}

TEST(CurlTransportTest, ErrorStatusesAreResponsesNotErrors) {
  FaultProxy server;
  server.script("/x", FaultAction::respond(503, "busy", {{"Retry-After", "1"}}));
  const TransportResult result = transport()->send(request("GET", server.url() + "/x"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.response->status, 503);
  EXPECT_EQ(result.response->body, "busy");
  EXPECT_EQ(result.response->header("retry-after"), std::optional<std::string>("1"));
}

TEST(CurlTransportTest, GzipResponseIsDecoded) {
  // gzip.compress(b'{"hello": "gzip", "n": [1, 2, 3]}', mtime=0)
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab,
                              0x56, 0xca, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xb2, 0x52, 0x50, 0x4a,
                              0xaf, 0xca, 0x2c, 0x50, 0xd2, 0x51, 0x50, 0xca, 0x03, 0x72, 0xa2,
                              0x0d, 0x75, 0x14, 0x8c, 0x74, 0x14, 0x8c, 0x63, 0x6b, 0x01, 0x45,
                              0x5f, 0xb3, 0x16, 0x21, 0x00, 0x00, 0x00};
  FaultProxy server;
  server.script("/gz", FaultAction::respond(
                           200, std::string(reinterpret_cast<const char*>(gz), sizeof(gz)),
                           {{"Content-Encoding", "gzip"}, {"Content-Type", "application/json"}}));
  const TransportResult result = transport()->send(request("GET", server.url() + "/gz"));
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.response->body, R"({"hello": "gzip", "n": [1, 2, 3]})");
}

TEST(CurlTransportTest, KeepAliveReusesOneConnection) {
  FaultProxy server;
  server.set_default(FaultAction::respond(200, "{}"));
  auto t = transport();
  for (int i = 0; i < 5; ++i) {
    const TransportResult r =
        t->send(request(i % 2 == 0 ? "GET" : "POST", server.url() + "/k", i % 2 ? "{}" : ""));
    ASSERT_TRUE(r.ok()) << r.error->message;
  }
  EXPECT_EQ(server.count("/k"), 5);
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(CurlTransportTest, ConcurrentRequestsAreSafe) {
  FaultProxy server;
  server.set_default(FaultAction::respond(200, "{}"));
  auto t = transport();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 10; ++j) {
        if (t->send(request("POST", server.url() + "/c", "{}")).ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(server.count("/c"), 40);
  // Pooled handles keep their connections: no more connections than concurrent users.
  EXPECT_LE(server.connections_accepted(), 4);
}

TEST(CurlTransportTest, StallBeyondTimeoutIsTimeout) {
  FaultProxy server;
  server.script("/slow", FaultAction::stall(milliseconds(3000), FaultAction::respond(200, "{}")));
  HttpRequest req = request("GET", server.url() + "/slow");
  req.timeout = milliseconds(200);
  const TransportResult result = transport()->send(req);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, TransportErrorKind::kTimeout) << result.error->message;
}

// A listener that never accepts: TCP connects (the kernel queues it) but the TLS handshake
// never completes, so the request itself was never sent.
TEST(CurlTransportTest, TimeoutBeforeRequestWasSentIsConnectFailed) {
  int port = 0;
  const int fd = mlflow::testing::bind_loopback(port, /*backlog=*/8);
  ASSERT_GE(fd, 0);
  HttpRequest req = request("POST", "https://127.0.0.1:" + std::to_string(port) + "/x", "{}");
  req.timeout = milliseconds(300);
  const TransportResult result = transport()->send(req);
  ::close(fd);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, TransportErrorKind::kConnectFailed) << result.error->message;
}

TEST(CurlTransportTest, RefusedConnectionIsConnectFailed) {
  FaultProxy server;
  server.go_down();
  const TransportResult result = transport()->send(request("GET", server.url() + "/x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, TransportErrorKind::kConnectFailed) << result.error->message;
  EXPECT_EQ(server.total_requests(), 0);
  // And it comes back on the same port.
  server.come_back();
  server.script("/x", FaultAction::respond(200, "{}"));
  EXPECT_TRUE(transport()->send(request("GET", server.url() + "/x")).ok());
}

TEST(CurlTransportTest, ResetIsConnectionLost) {
  for (const FaultAction& action : {FaultAction::reset_before(), FaultAction::reset_after(),
                                    FaultAction::close_without_answer()}) {
    FaultProxy server;
    server.script("/r", action);
    const TransportResult result = transport()->send(request("POST", server.url() + "/r", "{}"));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind, TransportErrorKind::kConnectionLost) << result.error->message;
    EXPECT_EQ(server.count("/r"), 1);
  }
}

TEST(CurlTransportTest, RedirectsFollowedOnlyWhenEnabled) {
  FaultProxy server;
  server.script("/old", FaultAction::respond(302, "", {{"Location", "/new"}}), 2);
  server.script("/new", FaultAction::respond(200, "moved"));
  const TransportResult followed = transport()->send(request("GET", server.url() + "/old"));
  ASSERT_TRUE(followed.ok());
  EXPECT_EQ(followed.response->status, 200);
  EXPECT_EQ(followed.response->body, "moved");

  TransportOptions no_redirects;
  no_redirects.follow_redirects = false;
  const TransportResult stopped =
      make_curl_transport(no_redirects)->send(request("GET", server.url() + "/old"));
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped.response->status, 302);
  EXPECT_EQ(server.count("/new"), 1);
}

// Speaking TLS to a plain-HTTP server fails in the handshake. Issue 15: that used to advise
// certificate settings; the handshake's "wrong version number" marks the failure, and the
// message says to use http://.
TEST(CurlTransportTest, TlsFailureIsTls) {
  FaultProxy server;
  server.set_default(FaultAction::respond(200, "{}"));
  std::string url = server.url();
  url.replace(0, 4, "https");
  HttpRequest req = request("GET", url + "/x");
  req.timeout = milliseconds(5000);
  const TransportResult result = transport()->send(req);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, TransportErrorKind::kTls) << result.error->message;
  EXPECT_TRUE(result.error->plain_http_peer) << result.error->message;
  try {
    send_with_retry(*transport(), req, RetryPolicy{}, RetryHooks{}, Idempotency::kIdempotent);
    ADD_FAILURE() << "no exception";
  } catch (const MlflowException& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("plain HTTP"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Use http://"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("CERT_PATH"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("INSECURE_TLS"), std::string::npos) << msg;
  }
}

TEST(CurlTransportTest, PlainHttpAnswerWordingsOfTlsLibraries) {
  for (const char* text :
       {"SSL connect error: error:0A00010B:SSL routines::wrong version number",
        "SSL connect error: error:1408F10B:SSL routines:ssl3_get_record:wrong version number",
        "SSL connect error: error:0A0000C6:SSL routines::packet length too long",
        "SSL connect error: OpenSSL/3.2.1: error:0A000139:SSL routines::record layer failure",
        "SSL connect error: WRONG_VERSION_NUMBER",
        "SSL connect error: gnutls_handshake() failed: An unexpected TLS packet was received."}) {
    EXPECT_TRUE(is_plain_http_answer_to_tls(text)) << text;
  }
  for (const char* text : {"SSL certificate problem: self-signed certificate",
                           "SSL peer certificate or SSH remote key was not OK",
                           "SSL connect error: unable to get local issuer certificate"}) {
    EXPECT_FALSE(is_plain_http_answer_to_tls(text)) << text;
  }
  // Only TLS failures can carry the flag.
  EXPECT_TRUE(
      curl_transport_error(CURLE_SSL_CONNECT_ERROR, "wrong version number").plain_http_peer);
  EXPECT_FALSE(curl_transport_error(CURLE_RECV_ERROR, "wrong version number").plain_http_peer);
}

// The retry loop on top of the real transport: a 503 with Retry-After is retried after the
// server's delay (recorded, not slept), then succeeds; the counts prove the attempts.
TEST(CurlTransportTest, RetryLoopOverRealTransport) {
  FaultProxy server;
  server.script("/api/2.0/mlflow/runs/get",
                FaultAction::respond(503, "busy", {{"Retry-After", "1"}}));
  server.script("/api/2.0/mlflow/runs/get", FaultAction::reset_before());
  server.script("/api/2.0/mlflow/runs/get", FaultAction::respond(200, "{\"run\":{}}"));
  std::vector<milliseconds> sleeps;
  RetryHooks hooks;
  hooks.sleep = [&](milliseconds d) { sleeps.push_back(d); };
  hooks.random = [] { return 0.0; };
  auto t = transport();
  const HttpResponse r =
      send_with_retry(*t, request("GET", server.url() + "/api/2.0/mlflow/runs/get?run_id=1"),
                      RetryPolicy{}, hooks, Idempotency::kIdempotent);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(server.count("/api/2.0/mlflow/runs/get"), 3);
  EXPECT_EQ(sleeps, (std::vector<milliseconds>{milliseconds(1000), milliseconds(4000)}));
}

TEST(CurlTransportTest, NonIdempotentNotRepeatedAfterServerActed) {
  FaultProxy server;
  server.script("/api/2.0/mlflow/runs/create", FaultAction::reset_after());
  server.set_default(FaultAction::respond(200, "{}"));
  const RetryHooks hooks = testing::no_wait_retry_hooks();
  auto t = transport();
  EXPECT_THROW(
      send_with_retry(*t, request("POST", server.url() + "/api/2.0/mlflow/runs/create", "{}"),
                      RetryPolicy{}, hooks, Idempotency::kNonIdempotent),
      Unavailable);
  EXPECT_EQ(server.count("/api/2.0/mlflow/runs/create"), 1);
}

// libcurl would silently resend a request whose reused connection died before any answer
// byte; the transport refuses that, so the server sees the request exactly once.
TEST(CurlTransportTest, NoHiddenResendOnReusedConnection) {
  FaultProxy server;
  server.script("/warm", FaultAction::respond(200, "{}"));
  server.script("/create", FaultAction::reset_after());
  server.set_default(FaultAction::respond(200, "{}"));
  auto t = transport();
  ASSERT_TRUE(t->send(request("GET", server.url() + "/warm")).ok());
  const TransportResult result = t->send(request("POST", server.url() + "/create", "{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, TransportErrorKind::kConnectionLost) << result.error->message;
  EXPECT_EQ(server.count("/create"), 1);
  EXPECT_EQ(server.total_requests(), 2);
  // The pool recovers: the next request opens a fresh connection.
  EXPECT_TRUE(t->send(request("GET", server.url() + "/after")).ok());
}

TEST(CurlTransportTest, NonIdempotentNotRepeatedOnReusedConnection) {
  FaultProxy server;
  server.script("/api/2.0/mlflow/experiments/get", FaultAction::respond(200, "{}"));
  server.script("/api/2.0/mlflow/runs/create", FaultAction::reset_after());
  server.set_default(FaultAction::respond(200, "{}"));
  const RetryHooks hooks = testing::no_wait_retry_hooks();
  auto t = transport();
  send_with_retry(*t, request("GET", server.url() + "/api/2.0/mlflow/experiments/get"),
                  RetryPolicy{}, hooks, Idempotency::kIdempotent);
  EXPECT_THROW(
      send_with_retry(*t, request("POST", server.url() + "/api/2.0/mlflow/runs/create", "{}"),
                      RetryPolicy{}, hooks, Idempotency::kNonIdempotent),
      Unavailable);
  EXPECT_EQ(server.count("/api/2.0/mlflow/runs/create"), 1);
}

}  // namespace
}  // namespace mlflow::internal
