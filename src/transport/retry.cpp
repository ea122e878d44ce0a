// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "transport/retry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <thread>
#include <vector>

#include "core/deadline.hpp"
#include "core/enum_names.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/url.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

// urllib3 Retry.DEFAULT_RETRY_AFTER_MAX: a Retry-After beyond six hours is clamped.
constexpr std::int64_t kRetryAfterMaxSeconds = 21600;

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int month_index(const std::string& token) {
  static constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return -1;
  std::string prefix = token.substr(0, 3);
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (prefix == kMonths[i]) return static_cast<int>(i);
  }
  return -1;
}

// Parses the three HTTP date forms (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994") into Unix seconds.
// Tokens are classified by shape, much as Python's email.utils.parsedate_tz does.
std::optional<std::int64_t> parse_http_date(const std::string& value) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : value) {
    if (c == ' ' || c == ',' || c == '-' || c == '\t') {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) tokens.push_back(current);

  int day = -1;
  int month = -1;
  int year = -1;
  int hour = -1;
  int minute = -1;
  int second = -1;
  for (const std::string& t : tokens) {
    if (t.find(':') != std::string::npos) {
      int h = 0;
      int m = 0;
      int s = 0;
      char extra = 0;
      if (std::sscanf(t.c_str(), "%d:%d:%d%c", &h, &m, &s, &extra) != 3) return std::nullopt;
      hour = h;
      minute = m;
      second = s;
    } else if (is_digits(t)) {
      const int n = std::stoi(t.size() > 6 ? t.substr(0, 6) : t);
      if (day < 0 && t.size() <= 2) {
        if (n < 1 || n > 31) return std::nullopt;
        day = n;
      } else if (year < 0) {
        year = n;
        if (t.size() <= 2) year += n > 68 ? 1900 : 2000;
      } else {
        return std::nullopt;
      }
    } else if (month_index(t) >= 0 && month < 0 && t.size() <= 9) {
      month = month_index(t);
    }
    // Weekday names and the zone ("GMT", "UTC") carry no information we need: HTTP dates are
    // always in GMT.
  }
  if (day < 0 || month < 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool has_retry_after_semantics(long status) noexcept {
  // urllib3 Retry.RETRY_AFTER_STATUS_CODES: these are retried when they carry Retry-After,
  // even if not in the status list (413 is the only one that is not).
  return status == 413 || status == 429 || status == 503;
}

// The URL as it may appear in messages: no user-info, and secret query fields redacted.
std::string display_url_for_messages(const std::string& url) {
  return redact_secrets(strip_credentials(url));
}

std::string seconds_text(std::chrono::milliseconds ms) {
  std::ostringstream os;
  os.precision(3);
  os << std::fixed << static_cast<double>(ms.count()) / 1000.0 << " s";
  return os.str();
}

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

const char* failure_text(TransportErrorKind kind) {
  static constexpr EnumName<TransportErrorKind> kTexts[] = {
      {TransportErrorKind::kConnectFailed, "could not connect"},
      {TransportErrorKind::kTimeout, "timed out"},
      {TransportErrorKind::kConnectionLost, "connection lost before a complete answer"},
      {TransportErrorKind::kTls, "TLS failure"},
  };
  return name_in(kTexts, kind, "transport failure");
}

[[noreturn]] void throw_transport_failure(const HttpRequest& request, const TransportError& error,
                                          int attempts, bool gave_up_for_idempotency,
                                          const Deadline* stopped_by = nullptr) {
  const std::string what = "API request " + request.method + " " +
                           display_url_for_messages(request.url) + " failed after " +
                           attempts_text(attempts) + ": " + failure_text(error.kind) + " (" +
                           redact_secrets(error.message) + "). ";
  std::string advice;
  if (stopped_by != nullptr) {
    advice = "It was not retried further because " + stopped_by->purpose() + " came first. ";
  } else if (gave_up_for_idempotency) {
    advice =
        "It was not retried because the server may already have carried it out, and repeating "
        "a create could make a duplicate; check whether it took effect before trying again. ";
  }
  switch (error.kind) {
    case TransportErrorKind::kTimeout:
      throw_error(ErrorCode::kDeadlineExceeded,
                  what + advice + "The server did not answer within " +
                      seconds_text(request.timeout) +
                      ". Check that the MLflow server is running and not overloaded; to wait "
                      "longer set MLFLOW_HTTP_REQUEST_TIMEOUT (seconds), to retry more often "
                      "set MLFLOW_HTTP_REQUEST_MAX_RETRIES.");
    case TransportErrorKind::kConnectFailed:
    case TransportErrorKind::kConnectionLost:
      throw_error(ErrorCode::kTemporarilyUnavailable,
                  what + advice +
                      "Check that the MLflow server is running and reachable at this address "
                      "(tracking URI); to keep retrying longer raise "
                      "MLFLOW_HTTP_REQUEST_MAX_RETRIES or MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR.");
    case TransportErrorKind::kTls:
      if (error.plain_http_peer) {
        // Certificate advice would send the user the wrong way: nothing is wrong with any
        // certificate, the server does not speak TLS at all.
        throw_error(ErrorCode::kIoError,
                    what +
                        "The server answered in plain HTTP: this URL uses https:// but the "
                        "server does not speak TLS on that port. Use http:// in the tracking "
                        "URI (MLFLOW_TRACKING_URI) if the server is plain HTTP, or put it behind "
                        "a TLS endpoint.");
      }
      throw_error(ErrorCode::kIoError,
                  what +
                      "TLS errors are not retried. Check the server certificate: set "
                      "MLFLOW_TRACKING_SERVER_CERT_PATH to the CA bundle that signed it (and "
                      "MLFLOW_TRACKING_CLIENT_CERT_PATH if the server wants a client "
                      "certificate), or, for testing only, MLFLOW_TRACKING_INSECURE_TLS=true.");
    case TransportErrorKind::kOther:
      break;
  }
  throw_error(ErrorCode::kIoError,
              what +
                  "This failure is not retried; check the tracking URI and the network "
                  "settings.");
}

void log_debug(const std::string& message) {
  if (log_enabled(LogLevel::kDebug)) log(LogLevel::kDebug, message);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::int64_t now_ms) {
  const std::string v = trim(value);
  std::int64_t wait_ms = 0;
  if (is_digits(v)) {
    // Digits only; anything longer than the cap is the cap (and avoids overflow).
    const std::int64_t seconds = v.size() > 9
                                     ? kRetryAfterMaxSeconds
                                     : std::min<std::int64_t>(std::stoll(v), kRetryAfterMaxSeconds);
    wait_ms = seconds * 1000;
  } else {
    const auto date = parse_http_date(v);
    if (!date) return std::nullopt;
    wait_ms = std::max<std::int64_t>(0, *date * 1000 - now_ms);
    wait_ms = std::min<std::int64_t>(wait_ms, kRetryAfterMaxSeconds * 1000);
  }
  return std::chrono::milliseconds(wait_ms);
}

HttpResponse send_with_retry(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, const RetryHooks& hooks,
                             Idempotency idempotency) {
  const RetryHooks defaults = (hooks.sleep && hooks.random) ? RetryHooks{} : default_retry_hooks();
  const auto& sleep = hooks.sleep ? hooks.sleep : defaults.sleep;
  const auto& random = hooks.random ? hooks.random : defaults.random;
  const std::string url =
      log_enabled(LogLevel::kDebug) ? display_url_for_messages(request.url) : std::string();
  const int max_retries = std::max(0, policy.max_retries);
  // Under a deadline (an exit path, an async worker being shut down): no attempt outlasts it
  // and no retry is started when its back-off would reach it.
  const Deadline* const deadline = current_deadline();
  const auto out_of_time = [deadline](std::chrono::milliseconds wait) {
    return deadline != nullptr && deadline->remaining() <= wait;
  };

  for (int retries_done = 0;; ++retries_done) {
    const int attempt = retries_done + 1;
    log_debug("HTTP " + request.method + " " + url + " (attempt " + std::to_string(attempt) +
              " of " + std::to_string(max_retries + 1) + ")");
    const HttpRequest* attempt_request = &request;
    HttpRequest clamped;
    if (deadline != nullptr) {
      const std::chrono::milliseconds left = deadline->remaining();
      if (left.count() <= 0) {
        throw_error(ErrorCode::kDeadlineExceeded,
                    "API request " + request.method + " " + display_url_for_messages(request.url) +
                        " was not sent: " + deadline->purpose() + " had passed.");
      }
      if (left < request.timeout) {
        clamped = request;
        clamped.timeout = left;
        attempt_request = &clamped;
      }
    }
    TransportResult result = transport.send(*attempt_request);

    std::chrono::milliseconds wait{0};
    if (result.ok()) {
      HttpResponse& response = *result.response;
      const long status = response.status;
      const auto retry_after = response.header("Retry-After");
      const bool has_retry_after = retry_after && !retry_after->empty();
      // MLflow 3.18 (rest_utils._non_idempotent_write_retry_kwargs): a write that is not safe
      // to repeat is retried only on statuses that show the server did not process it (408,
      // 429), and never just because a Retry-After header came along: MLflow's own server can
      // answer 503 after it committed the write.
      const bool retryable =
          idempotency == Idempotency::kNonIdempotent
              ? (status == 408 || status == 429)
              : is_transient_status(status) || (policy.respect_retry_after && has_retry_after &&
                                                has_retry_after_semantics(status));
      if (!retryable || retries_done >= max_retries) {
        log_debug("HTTP " + request.method + " " + url + " -> " + std::to_string(status) +
                  (retryable ? " (retries exhausted)" : ""));
        return std::move(response);
      }
      // urllib3 sleep(response): a positive Retry-After replaces the backoff on any retried
      // status; zero, past dates and unparseable values fall back to the backoff.
      std::optional<std::chrono::milliseconds> server_wait;
      if (policy.respect_retry_after && has_retry_after) {
        server_wait = parse_retry_after(*retry_after, now_millis());
      }
      wait = (server_wait && server_wait->count() > 0)
                 ? *server_wait
                 : backoff_for_retry(policy, retries_done + 1, random());
      if (out_of_time(wait)) {
        log_debug("HTTP " + request.method + " " + url + " -> " + std::to_string(status) +
                  " (not retried: " + deadline->purpose() + " comes first)");
        return std::move(response);
      }
      log_debug("HTTP " + request.method + " " + url + " -> " + std::to_string(status) +
                ", retrying in " + seconds_text(wait));
    } else {
      const TransportError error = result.error.value_or(TransportError{});
      const bool may_have_reached_server = error.kind == TransportErrorKind::kTimeout ||
                                           error.kind == TransportErrorKind::kConnectionLost;
      const bool retry_kind =
          error.kind == TransportErrorKind::kConnectFailed || may_have_reached_server;
      const bool blocked_by_idempotency =
          idempotency == Idempotency::kNonIdempotent && may_have_reached_server;
      if (!retry_kind || blocked_by_idempotency || retries_done >= max_retries) {
        log_debug("HTTP " + request.method + " " + url + " failed: " + failure_text(error.kind) +
                  " (" + error.message + "), giving up");
        throw_transport_failure(*attempt_request, error, attempt,
                                blocked_by_idempotency && retries_done < max_retries);
      }
      wait = backoff_for_retry(policy, retries_done + 1, random());
      if (out_of_time(wait))
        throw_transport_failure(*attempt_request, error, attempt, false, deadline);
      log_debug("HTTP " + request.method + " " + url + " failed: " + failure_text(error.kind) +
                " (" + error.message + "), retrying in " + seconds_text(wait));
    }
    sleep(wait);
  }
}

}  // namespace mlflow::internal
