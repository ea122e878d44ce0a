// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/logging.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/base64.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "mlflow/errors.hpp"
#include "support/log_capture.hpp"
#include "support/no_wait_hooks.hpp"
#include "transport/retry.hpp"

namespace mlflow::internal {
namespace {

using testing::LogCapture;

TEST(LoggingTest, SilentByDefaultAndLevelFiltering) {
  set_log_handler(nullptr);
  EXPECT_FALSE(log_enabled(LogLevel::kError));
  log(LogLevel::kError, "nobody hears this");  // must not crash
  {
    LogCapture capture(LogLevel::kInfo);
    EXPECT_FALSE(log_enabled(LogLevel::kDebug));
    EXPECT_TRUE(log_enabled(LogLevel::kInfo));
    EXPECT_TRUE(log_enabled(LogLevel::kError));
    EXPECT_FALSE(log_enabled(LogLevel::kOff));
    log(LogLevel::kDebug, "dropped");
    log(LogLevel::kWarning, "kept");
    EXPECT_EQ(capture.text_with_levels(), "WARNING kept\n");
  }
  EXPECT_FALSE(log_enabled(LogLevel::kError));
}

TEST(LoggingTest, HandlerExceptionsAreSwallowed) {
  set_log_handler([](LogLevel, const std::string&) { throw std::runtime_error("bad handler"); },
                  LogLevel::kTrace);
  EXPECT_NO_THROW(log(LogLevel::kInfo, "hello"));
  set_log_handler(nullptr);
}

TEST(LoggingTest, HandlerReceivesRedactedText) {
  LogCapture capture;
  log(LogLevel::kInfo, "Authorization: Bearer sekrit-token-123");
  EXPECT_EQ(capture.text_with_levels().find("sekrit"), std::string::npos)
      << capture.text_with_levels();
  EXPECT_NE(capture.text_with_levels().find("Authorization: [REDACTED]"), std::string::npos)
      << capture.text_with_levels();
}

TEST(RedactTest, HeaderValues) {
  EXPECT_EQ(redact_secrets("Authorization: Basic YWxpY2U6aHVudGVyMg=="),
            "Authorization: [REDACTED]");
  EXPECT_EQ(redact_secrets("authorization:Bearer abc.def"), "authorization:[REDACTED]");
  EXPECT_EQ(redact_secrets("Proxy-Authorization: Basic Zm9vOmJhcg==\r\nAccept: */*"),
            "Proxy-Authorization: [REDACTED]\r\nAccept: */*");
  EXPECT_EQ(redact_secrets("Cookie: session=abc; other=def\nHost: x"),
            "Cookie: [REDACTED]\nHost: x");
  EXPECT_EQ(redact_secrets("Set-Cookie: id=1; HttpOnly"), "Set-Cookie: [REDACTED]");
  EXPECT_EQ(redact_secrets("X-Api-Key: k123"), "X-Api-Key: [REDACTED]");
}

TEST(RedactTest, CredentialSchemesAnywhere) {
  EXPECT_EQ(redact_secrets("sent Bearer eyJhbGciOi.payload.sig to server"),
            "sent Bearer [REDACTED] to server");
  EXPECT_EQ(redact_secrets("creds=[Basic YWxpY2U6aHVudGVyMg==]"), "creds=[Basic [REDACTED]]");
}

TEST(RedactTest, QueryAndJsonFields) {
  EXPECT_EQ(redact_secrets("http://h/x?token=abc&run_id=1&password=p%40ss#frag"),
            "http://h/x?token=[REDACTED]&run_id=1&password=[REDACTED]#frag");
  EXPECT_EQ(redact_secrets("?api_key=k1&secret=s1"), "?api_key=[REDACTED]&secret=[REDACTED]");
  EXPECT_EQ(redact_secrets(R"({"password": "hunter2", "name": "x"})"),
            R"({"password": "[REDACTED]", "name": "x"})");
  EXPECT_EQ(redact_secrets(R"({"token":"a\"b", "n": 1})"), R"({"token":"[REDACTED]", "n": 1})");
  EXPECT_EQ(redact_secrets(R"({'api_key': 'k'})"), R"({'api_key': '[REDACTED]'})");
  EXPECT_EQ(redact_secrets(R"("body": "{\"password\": \"hunter2\"}")"),
            R"("body": "{\"password\": \"[REDACTED]\"}")");
  EXPECT_EQ(redact_secrets("mlflow_tracking_password = hunter2"),
            "mlflow_tracking_password = [REDACTED]");
  EXPECT_EQ(redact_secrets(R"({"Authorization": "Bearer t0k"})"),
            R"({"Authorization": "[REDACTED]"})");
}

TEST(RedactTest, LeavesHarmlessTextAlone) {
  const std::string harmless =
      R"(GET http://127.0.0.1:5000/api/2.0/mlflow/runs/search?page_token=abc&max_results=10 -> 200 {"next_page_token": "xyz", "tokens_used": 3})";
  EXPECT_EQ(redact_secrets(harmless), harmless);
  EXPECT_EQ(redact_secrets("the token expired"), "the token expired");
  EXPECT_EQ(redact_secrets(""), "");
}

TEST(RedactTest, UrlUserInfo) {
  EXPECT_EQ(redact_secrets("http://alice:hunter2@host:5000/api"),
            "http://[REDACTED]@host:5000/api");
  EXPECT_EQ(redact_secrets("connect to https://tok@example.com and http://plain/x"),
            "connect to https://[REDACTED]@example.com and http://plain/x");
  EXPECT_EQ(redact_secrets("mail me: a@b.c"), "mail me: a@b.c");
}

// A transport that answers 503 once then 200, to drive the retry loop's debug logging.
class FlakyTransport : public HttpTransport {
 public:
  TransportResult send(const HttpRequest&) override {
    HttpResponse r;
    r.status = calls_++ == 0 ? 503 : 200;
    r.headers = {{"Set-Cookie", "session=server-cookie-value"}};
    return TransportResult{r, std::nullopt};
  }

 private:
  int calls_ = 0;
};

TEST(LoggingTest, DebugCaptureOfRequestNeverContainsSecrets) {
  const std::string token = "tok-SHOULD-NOT-LEAK-1";
  const std::string password = "pw-SHOULD-NOT-LEAK-2";
  // Resolve real credentials the way a client would: Basic wins, but both are configured.
  ClientOptions options;
  options.tracking_uri = "http://127.0.0.1:5000";
  options.token = token;
  options.username = "alice";
  options.password = password;
  const ResolvedConfig config = resolve_config(
      options, [](const std::string&) { return std::nullopt; }, "/nonexistent-home");
  ASSERT_EQ(config.authorization, "Basic " + base64_encode("alice:" + password));

  LogCapture capture(LogLevel::kTrace);
  HttpRequest request;
  request.method = "POST";
  request.url =
      "http://alice:" + password + "@127.0.0.1:5000/api/2.0/mlflow/runs/create?token=" + token;
  request.headers = {{"Authorization", config.authorization}, {"X-Token", token}};
  request.body = R"({"password": ")" + password + R"("})";
  const RetryHooks hooks = testing::no_wait_retry_hooks();
  FlakyTransport transport;
  EXPECT_EQ(
      send_with_retry(transport, request, config.retry, hooks, Idempotency::kIdempotent).status,
      200);
  // Code elsewhere may dump whole requests at trace level: that must be redacted too.
  log(LogLevel::kTrace, "request " + request.method + " " + request.url +
                            "\nAuthorization: " + config.authorization + "\nbody " + request.body);

  const std::string text = capture.text_with_levels();
  ASSERT_GT(capture.size(), 2u);
  EXPECT_NE(text.find("503"), std::string::npos) << text;
  EXPECT_NE(text.find("/api/2.0/mlflow/runs/create"), std::string::npos) << text;
  EXPECT_EQ(text.find(token), std::string::npos) << text;
  EXPECT_EQ(text.find(password), std::string::npos) << text;
  EXPECT_EQ(text.find(base64_encode("alice:" + password)), std::string::npos) << text;
}

}  // namespace
}  // namespace mlflow::internal
