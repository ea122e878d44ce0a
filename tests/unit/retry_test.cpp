// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/retry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/deadline.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

using std::chrono::milliseconds;

// A transport that plays back a script of results and records what was sent.
class ScriptedTransport : public HttpTransport {
 public:
  void respond(long status, HttpHeaders headers = {}, std::string body = {}) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = std::move(body);
    script_.push_back(TransportResult{std::move(r), std::nullopt});
  }
  void fail(TransportErrorKind kind, std::string message = "simulated") {
    script_.push_back(TransportResult{std::nullopt, TransportError{kind, std::move(message)}});
  }
  TransportResult send(const HttpRequest& request) override {
    sent.push_back(request);
    if (script_.empty()) {
      ADD_FAILURE() << "unexpected extra attempt";
      return TransportResult{std::nullopt, TransportError{TransportErrorKind::kOther, "no script"}};
    }
    TransportResult r = std::move(script_.front());
    script_.pop_front();
    return r;
  }
  std::vector<HttpRequest> sent;

 private:
  std::deque<TransportResult> script_;
};

struct RecordingHooks {
  std::vector<milliseconds> sleeps;
  double random = 0.25;
  RetryHooks hooks() {
    RetryHooks h;
    h.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    h.random = [this] { return random; };
    return h;
  }
};

HttpRequest make_request(const std::string& url = "http://127.0.0.1:5000/api/2.0/mlflow/runs/get") {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.body = "{}";
  r.timeout = milliseconds(5000);
  return r;
}

TEST(RetryTest, BackoffScheduleMatchesUrllib3) {
  RetryPolicy p;  // factor 2, jitter 1, cap 120 s
  EXPECT_EQ(backoff_for_retry(p, 1, 0.5), milliseconds(0));
  EXPECT_EQ(backoff_for_retry(p, 2, 0.5), milliseconds(4500));
  EXPECT_EQ(backoff_for_retry(p, 3, 0.5), milliseconds(8500));
  EXPECT_EQ(backoff_for_retry(p, 4, 0.0), milliseconds(16000));
  EXPECT_EQ(backoff_for_retry(p, 5, 0.0), milliseconds(32000));
  EXPECT_EQ(backoff_for_retry(p, 6, 0.0), milliseconds(64000));
  EXPECT_EQ(backoff_for_retry(p, 7, 0.0), milliseconds(120000));  // 128 capped
  EXPECT_EQ(backoff_for_retry(p, 7, 0.999), milliseconds(120000));
  EXPECT_EQ(backoff_for_retry(p, 10, 0.5), milliseconds(120000));
  // Jitter is added before the cap: 64 + 0.5 stays below it.
  EXPECT_EQ(backoff_for_retry(p, 6, 0.5), milliseconds(64500));
  p.backoff_factor = 0;
  p.backoff_jitter = 0;
  EXPECT_EQ(backoff_for_retry(p, 5, 0.9), milliseconds(0));
}

TEST(RetryTest, RetryableStatuses) {
  for (long s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_transient_status(s)) << s;
  for (long s : {200, 201, 301, 400, 401, 403, 404, 409, 413, 501, 505}) {
    EXPECT_FALSE(is_transient_status(s)) << s;
  }
}

TEST(RetryTest, ParseRetryAfterSecondsAndDates) {
  const std::int64_t now = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("1", now), milliseconds(1000));
  EXPECT_EQ(parse_retry_after(" 120 ", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after("0", now), milliseconds(0));
  // Clamped at urllib3's six hours.
  EXPECT_EQ(parse_retry_after("999999999999", now), milliseconds(21600000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), milliseconds(10000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", now), milliseconds(60000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:40 1994", now), milliseconds(3000));
  // A date in the past means "now".
  EXPECT_EQ(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
}

TEST(RetryTest, SuccessNeedsNoRetry) {
  ScriptedTransport t;
  t.respond(200, {}, "{\"ok\":1}");
  RecordingHooks h;
  const HttpResponse r =
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"ok\":1}");
  EXPECT_EQ(t.sent.size(), 1u);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(RetryTest, NonRetryableStatusIsReturnedAtOnce) {
  ScriptedTransport t;
  t.respond(404);
  RecordingHooks h;
  EXPECT_EQ(
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent).status,
      404);
  EXPECT_EQ(t.sent.size(), 1u);
}

TEST(RetryTest, ExhaustedRetriesReturnLastResponseWithDefaultSchedule) {
  ScriptedTransport t;
  for (int i = 0; i < 7; ++i) t.respond(503, {}, "busy " + std::to_string(i));
  t.respond(502, {}, "last");
  RecordingHooks h;
  h.random = 0.5;
  const HttpResponse r =
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.body, "last");
  EXPECT_EQ(t.sent.size(), 8u);  // 1 + max_retries (7)
  const std::vector<milliseconds> expected = {
      milliseconds(0),     milliseconds(4500),  milliseconds(8500),  milliseconds(16500),
      milliseconds(32500), milliseconds(64500), milliseconds(120000)};
  EXPECT_EQ(h.sleeps, expected);
}

TEST(RetryTest, RecoversAfterTransientFailures) {
  ScriptedTransport t;
  t.fail(TransportErrorKind::kConnectFailed);
  t.respond(500);
  t.fail(TransportErrorKind::kTimeout);
  t.respond(200, {}, "ok");
  RecordingHooks h;
  h.random = 0.0;
  const HttpResponse r =
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(t.sent.size(), 4u);
  EXPECT_EQ(h.sleeps,
            (std::vector<milliseconds>{milliseconds(0), milliseconds(4000), milliseconds(8000)}));
}

TEST(RetryTest, MaxRetriesZeroMeansOneAttempt) {
  ScriptedTransport t;
  t.respond(503);
  RetryPolicy p;
  p.max_retries = 0;
  RecordingHooks h;
  EXPECT_EQ(send_with_retry(t, make_request(), p, h.hooks(), Idempotency::kIdempotent).status, 503);
  EXPECT_EQ(t.sent.size(), 1u);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(RetryTest, RetryAfterSecondsOverridesBackoff) {
  ScriptedTransport t;
  t.respond(503, {{"retry-after", "7"}});
  t.respond(429, {{"Retry-After", "3"}});
  t.respond(200);
  RecordingHooks h;
  EXPECT_EQ(
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent).status,
      200);
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(7000), milliseconds(3000)}));
}

TEST(RetryTest, RetryAfterDateOverridesBackoff) {
  ScriptedTransport t;
  // A date far in the future is clamped to six hours; one in the past falls back to backoff.
  t.respond(503, {{"Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT"}});
  t.respond(503, {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}});
  t.respond(200);
  RecordingHooks h;
  h.random = 0.0;
  send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(21600000), milliseconds(4000)}));
}

TEST(RetryTest, RetryAfterIgnoredWhenDisabledAndZeroOrJunkFallsBack) {
  ScriptedTransport t;
  t.respond(503, {{"Retry-After", "30"}});
  t.respond(503, {{"Retry-After", "30"}});
  t.respond(200);
  RetryPolicy p;
  p.respect_retry_after = false;
  RecordingHooks h;
  h.random = 0.0;
  send_with_retry(t, make_request(), p, h.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(0), milliseconds(4000)}));

  ScriptedTransport t2;
  t2.respond(503, {{"Retry-After", "0"}});
  t2.respond(503, {{"Retry-After", "later"}});
  t2.respond(200);
  RecordingHooks h2;
  h2.random = 0.0;
  send_with_retry(t2, make_request(), RetryPolicy{}, h2.hooks(), Idempotency::kIdempotent);
  EXPECT_EQ(h2.sleeps, (std::vector<milliseconds>{milliseconds(0), milliseconds(4000)}));
}

TEST(RetryTest, Status413IsRetriedOnlyWithRetryAfter) {
  ScriptedTransport t;
  t.respond(413, {{"Retry-After", "2"}});
  t.respond(413);
  RecordingHooks h;
  EXPECT_EQ(
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent).status,
      413);
  EXPECT_EQ(t.sent.size(), 2u);
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(2000)}));

  ScriptedTransport t2;
  t2.respond(413, {{"Retry-After", "2"}});
  RetryPolicy p;
  p.respect_retry_after = false;
  EXPECT_EQ(send_with_retry(t2, make_request(), p, h.hooks(), Idempotency::kIdempotent).status,
            413);
  EXPECT_EQ(t2.sent.size(), 1u);
}

TEST(RetryTest, NonIdempotentRetriesOnlyUnprocessedStatusesAndConnectFailures) {
  // MLflow 3.18: 408 and 429 show the server did not process the write; connect failures
  // never reached it. Those are retried.
  ScriptedTransport t;
  t.fail(TransportErrorKind::kConnectFailed);
  t.respond(429);
  t.respond(408);
  t.respond(201);
  RecordingHooks h;
  EXPECT_EQ(
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kNonIdempotent)
          .status,
      201);
  EXPECT_EQ(t.sent.size(), 4u);
}

TEST(RetryTest, NonIdempotentIsNotRetriedOn5xxEvenWithRetryAfter) {
  // The server can answer 503 after committing a write: resending could duplicate a run.
  for (long status : {500L, 502L, 503L, 504L}) {
    ScriptedTransport t;
    t.respond(status, {{"Retry-After", "1"}});
    t.respond(201);
    RecordingHooks h;
    EXPECT_EQ(
        send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kNonIdempotent)
            .status,
        status);
    EXPECT_EQ(t.sent.size(), 1u) << status;
    EXPECT_TRUE(h.sleeps.empty());
  }
}

TEST(RetryTest, NonIdempotentIsNotRetriedAfterTimeoutOrLostConnection) {
  for (auto kind : {TransportErrorKind::kTimeout, TransportErrorKind::kConnectionLost}) {
    ScriptedTransport t;
    t.fail(kind, "boom");
    RecordingHooks h;
    try {
      send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kNonIdempotent);
      ADD_FAILURE() << "no exception";
    } catch (const MlflowException& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("1 attempt"), std::string::npos) << msg;
      EXPECT_NE(msg.find("not retried"), std::string::npos) << msg;
      if (kind == TransportErrorKind::kTimeout) {
        EXPECT_TRUE(is_deadline_exceeded(e)) << msg;
      } else {
        EXPECT_TRUE(is_unavailable(e)) << msg;
      }
    }
    EXPECT_EQ(t.sent.size(), 1u);
    EXPECT_TRUE(h.sleeps.empty());
  }
}

TEST(RetryTest, ConnectFailureExhaustedThrowsUnavailableWithAdvice) {
  ScriptedTransport t;
  for (int i = 0; i < 3; ++i) t.fail(TransportErrorKind::kConnectFailed, "Connection refused");
  RetryPolicy p;
  p.max_retries = 2;
  RecordingHooks h;
  try {
    send_with_retry(t, make_request("http://alice:hunter2@127.0.0.1:5000/api/2.0/x?token=abc"), p,
                    h.hooks(), Idempotency::kIdempotent);
    FAIL() << "no exception";
  } catch (const Unavailable& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("http://127.0.0.1:5000/api/2.0/x"), std::string::npos) << msg;
    EXPECT_NE(msg.find("3 attempts"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Connection refused"), std::string::npos) << msg;
    EXPECT_NE(msg.find("running"), std::string::npos) << msg;
    EXPECT_NE(msg.find("MLFLOW_HTTP_REQUEST_MAX_RETRIES"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("alice"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("abc"), std::string::npos) << msg;
    EXPECT_EQ(e.http_status(), 0);
  }
  EXPECT_EQ(t.sent.size(), 3u);
  EXPECT_EQ(h.sleeps.size(), 2u);
}

TEST(RetryTest, TimeoutExhaustedThrowsDeadlineExceededNamingTheVariable) {
  ScriptedTransport t;
  t.fail(TransportErrorKind::kTimeout, "Operation timed out");
  t.fail(TransportErrorKind::kTimeout, "Operation timed out");
  RetryPolicy p;
  p.max_retries = 1;
  RecordingHooks h;
  try {
    send_with_retry(t, make_request(), p, h.hooks(), Idempotency::kIdempotent);
    FAIL() << "no exception";
  } catch (const DeadlineExceeded& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("2 attempts"), std::string::npos) << msg;
    EXPECT_NE(msg.find("MLFLOW_HTTP_REQUEST_TIMEOUT"), std::string::npos) << msg;
    EXPECT_NE(msg.find("http://127.0.0.1:5000/api/2.0/mlflow/runs/get"), std::string::npos);
  }
}

TEST(RetryTest, TlsErrorsAreNotRetried) {
  ScriptedTransport t;
  t.fail(TransportErrorKind::kTls, "SSL certificate problem: self-signed certificate");
  RecordingHooks h;
  try {
    send_with_retry(t, make_request("https://host/api"), RetryPolicy{}, h.hooks(),
                    Idempotency::kIdempotent);
    FAIL() << "no exception";
  } catch (const MlflowException& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("MLFLOW_TRACKING_SERVER_CERT_PATH"), std::string::npos) << msg;
    EXPECT_NE(msg.find("MLFLOW_TRACKING_INSECURE_TLS"), std::string::npos) << msg;
    EXPECT_NE(msg.find("self-signed"), std::string::npos) << msg;
  }
  EXPECT_EQ(t.sent.size(), 1u);
}

TEST(RetryTest, RequestIsSentUnchangedOnEveryAttempt) {
  ScriptedTransport t;
  t.respond(500);
  t.respond(200);
  HttpRequest req = make_request();
  req.headers = {{"Authorization", "Bearer tok"}, {"Content-Type", "application/json"}};
  req.body = R"({"a":1})";
  RecordingHooks h;
  send_with_retry(t, req, RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
  ASSERT_EQ(t.sent.size(), 2u);
  for (const auto& sent : t.sent) {
    EXPECT_EQ(sent.method, req.method);
    EXPECT_EQ(sent.url, req.url);
    EXPECT_EQ(sent.headers, req.headers);
    EXPECT_EQ(sent.body, req.body);
  }
}

TEST(RetryTest, EmptyHooksFallBackToRealOnes) {
  ScriptedTransport t;
  t.respond(503);
  t.respond(200);
  // The first retry waits 0 s, so the real sleep costs nothing here.
  EXPECT_EQ(
      send_with_retry(t, make_request(), RetryPolicy{}, RetryHooks{}, Idempotency::kIdempotent)
          .status,
      200);
}

// ---- The calling thread's deadline (core/deadline.hpp) ----------------------------------------

TEST(RetryTest, ThreadDeadlineStopsRetriesAndBoundsEachAttempt) {
  ScriptedTransport t;
  t.fail(TransportErrorKind::kConnectFailed, "Connection refused");
  t.fail(TransportErrorKind::kConnectFailed, "Connection refused");
  RetryPolicy p;  // 7 retries; the second one would wait 4 s and more
  RecordingHooks h;
  Deadline deadline("the test's deadline",
                    std::chrono::steady_clock::now() + std::chrono::seconds(3));
  ScopedDeadline scope(deadline);
  try {
    send_with_retry(t, make_request(), p, h.hooks(), Idempotency::kIdempotent);
    FAIL() << "no exception";
  } catch (const Unavailable& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("2 attempts"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not retried further because the test's deadline came first"),
              std::string::npos)
        << msg;
  }
  ASSERT_EQ(t.sent.size(), 2u);
  EXPECT_LE(t.sent[0].timeout, milliseconds(3000));  // 120 s unless a deadline is nearer
  EXPECT_EQ(h.sleeps, std::vector<milliseconds>{milliseconds(0)});
}

TEST(RetryTest, NoAttemptOnceTheThreadDeadlineHasPassed) {
  ScriptedTransport t;
  RecordingHooks h;
  Deadline deadline("the test's deadline", std::chrono::steady_clock::now());
  ScopedDeadline scope(deadline);
  try {
    send_with_retry(t, make_request(), RetryPolicy{}, h.hooks(), Idempotency::kIdempotent);
    FAIL() << "no exception";
  } catch (const DeadlineExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("was not sent: the test's deadline had passed"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(t.sent.empty());
}

TEST(DeadlineTest, ASleeperWakesWhenAnotherThreadMovesTheDeadline) {
  Deadline deadline("the test's deadline");
  std::thread mover([&] {
    std::this_thread::sleep_for(milliseconds(50));
    deadline.expire_at(std::chrono::steady_clock::now());
  });
  EXPECT_FALSE(deadline.sleep_for(std::chrono::hours(1)));
  mover.join();
  EXPECT_TRUE(deadline.expired());
  EXPECT_EQ(deadline.remaining(), milliseconds(0));
  // A later deadline does not move it back.
  deadline.expire_at(std::chrono::steady_clock::now() + std::chrono::hours(1));
  EXPECT_TRUE(deadline.expired());
}

TEST(DeadlineTest, TheDefaultRetrySleepHonoursTheThreadsDeadline) {
  EXPECT_EQ(current_deadline(), nullptr);
  Deadline deadline("the test's deadline", std::chrono::steady_clock::now() + milliseconds(20));
  {
    ScopedDeadline scope(deadline);
    EXPECT_EQ(current_deadline(), &deadline);
    default_retry_hooks().sleep(std::chrono::hours(1));  // returns at the deadline
  }
  EXPECT_TRUE(deadline.expired());
  EXPECT_EQ(current_deadline(), nullptr);
}

}  // namespace
}  // namespace mlflow::internal
