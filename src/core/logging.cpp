// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <utility>

#include "core/log.hpp"

namespace mlflow {
namespace {

struct LogState {
  std::mutex mutex;
  std::shared_ptr<const LogHandler> handler;  // null = silent
  // Read without the mutex on every log_enabled() check; kOff while no handler is installed.
  std::atomic<int> min_level{static_cast<int>(LogLevel::kOff)};
};

LogState& state() {
  // Leaked on purpose: logging may happen from static destructors of other translation units.
  static LogState* s = new LogState();  // NOLINT(cppcoreguidelines-owning-memory)
  return *s;
}

}  // namespace

void set_log_handler(LogHandler handler, LogLevel min_level) {
  auto& s = state();
  std::shared_ptr<const LogHandler> next;
  if (handler) next = std::make_shared<const LogHandler>(std::move(handler));
  std::lock_guard<std::mutex> lock(s.mutex);
  const int level = static_cast<int>(next ? min_level : LogLevel::kOff);
  s.min_level.store(level);
  s.handler = std::move(next);
}

namespace internal {
namespace {

constexpr const char* kRedacted = "[REDACTED]";

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Case-insensitive match of `word` (given in lower case) at `pos`.
bool matches_at(const std::string& text, std::size_t pos, const char* word) {
  std::size_t i = 0;
  for (; word[i] != '\0'; ++i) {
    if (pos + i >= text.size() || lower(text[pos + i]) != word[i]) return false;
  }
  return true;
}

std::size_t length_of(const char* word) { return std::char_traits<char>::length(word); }

// Names whose value is a whole header value (may contain spaces): the value runs to the end
// of the line.
constexpr const char* kHeaderNames[] = {
    "proxy-authorization", "authorization", "set-cookie", "cookie", "x-api-key", "x-auth-token",
};
// Names of fields (query string, form, JSON, INI) whose value is a secret. Matched as whole
// words, so that e.g. `page_token` (not a secret) is left alone.
constexpr const char* kFieldNames[] = {
    "mlflow_tracking_password",
    "mlflow_tracking_token",
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
    "auth_token",
    "private_key",
    "password",
    "passwd",
    "secret",
    "api_key",
    "api-key",
    "apikey",
    "token",
};

// If a secret-bearing name starts at `pos` and is followed by a separator and a value, appends
// the redacted form to `out`, and returns the position after the value; otherwise returns 0.
std::size_t redact_named_value(const std::string& text, std::size_t pos, std::string& out) {
  if (pos > 0 && (is_word_char(text[pos - 1]) || text[pos - 1] == '-')) return 0;
  const char* name = nullptr;
  bool header = false;
  for (const char* candidate : kHeaderNames) {
    if (matches_at(text, pos, candidate)) {
      name = candidate;
      header = true;
      break;
    }
  }
  if (name == nullptr) {
    for (const char* candidate : kFieldNames) {
      if (matches_at(text, pos, candidate)) {
        name = candidate;
        break;
      }
    }
  }
  if (name == nullptr) return 0;
  std::size_t i = pos + length_of(name);
  if (i < text.size() && (is_word_char(text[i]) || text[i] == '-')) return 0;
  // Optional closing quote of a JSON / dict key (possibly escaped inside a JSON string).
  if (i + 1 < text.size() && text[i] == '\\' && text[i + 1] == '"') {
    i += 2;
  } else if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
    ++i;
  }
  while (i < text.size() && is_space(text[i])) ++i;
  if (i >= text.size() || (text[i] != ':' && text[i] != '=')) return 0;
  ++i;
  while (i < text.size() && is_space(text[i])) ++i;

  const std::size_t value_start = i;
  std::size_t value_end = i;
  std::size_t resume = i;
  if (i + 1 < text.size() && text[i] == '\\' && text[i + 1] == '"') {
    // Escaped quotes: JSON text embedded in a JSON string. The value ends at the next \".
    const std::size_t close = text.find("\\\"", i + 2);
    value_end = close == std::string::npos ? text.size() : close;
    out.append(text, pos, i + 2 - pos);
    out += kRedacted;
    return value_end;
  }
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
    const char quote = text[i];
    std::size_t j = i + 1;
    while (j < text.size() && text[j] != quote) j += (text[j] == '\\') ? 2 : 1;
    value_end = j > text.size() ? text.size() : j;
    out.append(text, pos, i + 1 - pos);
    out += kRedacted;
    return value_end;  // the closing quote is copied by the caller
  }
  if (header) {
    while (value_end < text.size() && text[value_end] != '\r' && text[value_end] != '\n' &&
           text[value_end] != '"') {
      ++value_end;
    }
  } else {
    static constexpr const char* kStops = "&#,;}]\"') \t\r\n";
    while (value_end < text.size() &&
           std::char_traits<char>::find(kStops, length_of(kStops), text[value_end]) == nullptr) {
      ++value_end;
    }
  }
  resume = value_end;
  out.append(text, pos, value_start - pos);
  out += kRedacted;
  return resume;
}

// Copies `text`, letting `redact_at(text, i, out)` replace what starts at i: it appends up to
// and including the redaction and returns where to go on, or returns 0 where nothing starts.
template <typename RedactAt>
std::string redact_each(const std::string& text, RedactAt redact_at) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t next = redact_at(text, i, out);
    if (next != 0) {
      i = next;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

// Pass 1: `name: value` / `name=value` / `"name": "value"` for secret-bearing names.
std::string redact_named_values(const std::string& text) {
  return redact_each(text, redact_named_value);
}

bool is_credential_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '~' ||
         c == '+' || c == '/' || c == '=' || c == '-' || c == ':';
}

// `Basic <credentials>` or `Bearer <token>` starting at `i` (a word start): appends the scheme
// and the marker and returns the end of the credentials, else 0.
std::size_t redact_auth_scheme_at(const std::string& text, std::size_t i, std::string& out) {
  const char* scheme = nullptr;
  if (i == 0 || !is_word_char(text[i - 1])) {
    if (matches_at(text, i, "basic")) scheme = "basic";
    if (matches_at(text, i, "bearer")) scheme = "bearer";
  }
  if (scheme == nullptr) return 0;
  const std::size_t j = i + length_of(scheme);
  std::size_t k = j;
  while (k < text.size() && is_space(text[k])) ++k;
  std::size_t end = k;
  while (end < text.size() && is_credential_char(text[end])) ++end;
  if (k == j || end == k) return 0;
  out.append(text, i, k - i);
  out += kRedacted;
  return end;
}

// Pass 2: `Basic <credentials>` and `Bearer <token>` wherever they appear.
std::string redact_auth_schemes(const std::string& text) {
  return redact_each(text, redact_auth_scheme_at);
}

// Pass 3: the user-info part of URLs (`scheme://user:password@host`).
std::string redact_url_userinfo(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t sep = text.find("://", i);
    if (sep == std::string::npos) break;
    const std::size_t authority = sep + 3;
    std::size_t end = authority;
    std::size_t at = std::string::npos;
    while (end < text.size()) {
      const char c = text[end];
      if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' ||
          std::isspace(static_cast<unsigned char>(c)) != 0) {
        break;
      }
      if (c == '@') at = end;
      ++end;
    }
    out.append(text, i, authority - i);
    if (at != std::string::npos) {
      out += kRedacted;
      out.append(text, at, end - at);
    } else {
      out.append(text, authority, end - authority);
    }
    i = end;
  }
  if (i < text.size()) out.append(text, i, std::string::npos);
  return out;
}

}  // namespace

bool log_enabled(LogLevel level) noexcept {
  const int min = state().min_level.load(std::memory_order_relaxed);
  return level != LogLevel::kOff && static_cast<int>(level) >= min;
}

void log(LogLevel level, const std::string& message) noexcept {
  if (!log_enabled(level)) return;
  try {
    std::shared_ptr<const LogHandler> handler;
    {
      std::lock_guard<std::mutex> lock(state().mutex);
      handler = state().handler;
    }
    if (!handler) return;
    // The handler runs outside the lock so that it may log or replace the handler itself.
    (*handler)(level, redact_secrets(message));
  } catch (...) {
    // A failing handler (or an allocation failure) must never break the SDK call that logged.
  }
}

std::string redact_secrets(const std::string& text) {
  return redact_url_userinfo(redact_auth_schemes(redact_named_values(text)));
}

}  // namespace internal
}  // namespace mlflow
