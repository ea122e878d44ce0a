// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/config.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base64.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

constexpr int kMaxRetriesLimit = 10;         // _MLFLOW_HTTP_REQUEST_MAX_RETRIES_LIMIT
constexpr double kMaxBackoffFactor = 120.0;  // _MLFLOW_HTTP_REQUEST_MAX_BACKOFF_FACTOR_LIMIT

[[noreturn]] void bad_env(const std::string& name, const std::string& value,
                          const std::string& expected) {
  throw_error(ErrorCode::kInvalidParameterValue, "Environment variable " + name + " must be " +
                                                     expected + ", but got '" + value +
                                                     "'. Fix or unset " + name + ".");
}

// Empty values count as unset for strings where MLflow tests truthiness (`if token:`).
std::optional<std::string> non_empty(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

template <typename T>
T first_of(const std::optional<T>& explicit_value, const std::optional<T>& env_value,
           T default_value) {
  if (explicit_value) return *explicit_value;
  if (env_value) return *env_value;
  return default_value;
}

// Explicit > environment > default. The variable is not even parsed when an explicit value is
// given, so a malformed variable cannot break a client that does not use it.
bool resolve_bool(const std::optional<bool>& explicit_value, const EnvLookup& env,
                  const std::string& name, bool default_value) {
  if (explicit_value) return *explicit_value;
  return env_bool(env, name).value_or(default_value);
}

struct FileCredentials {
  std::optional<std::string> username;
  std::optional<std::string> password;
};

// ~/.mlflow/credentials, read the way Python's configparser reads it: `[mlflow]` section,
// case-insensitive keys, `key = value` or `key: value`, `#`/`;` comment lines.
FileCredentials read_credentials_file(const std::string& home) {
  FileCredentials creds;
  if (home.empty()) return creds;
  std::ifstream in(std::filesystem::path(home) / ".mlflow" / "credentials");
  if (!in) return creds;
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      in_section = trim(t.substr(1, t.size() - 2)) == "mlflow";
      continue;
    }
    if (!in_section) continue;
    const std::size_t sep = t.find_first_of("=:");
    if (sep == std::string::npos) continue;
    const std::string key = to_lower(trim(t.substr(0, sep)));
    const std::string value = trim(t.substr(sep + 1));
    if (key == "mlflow_tracking_username") creds.username = value;
    if (key == "mlflow_tracking_password") creds.password = value;
  }
  return creds;
}

std::string normalise_tracking_uri(std::string uri) {
  // Strip trailing '/' (MLflow builds URLs as uri + "/api/..."), but never into the scheme's
  // "://" itself.
  const std::size_t scheme_end = uri.find("://");
  const std::size_t keep = scheme_end == std::string::npos ? 1 : scheme_end + 3;
  while (uri.size() > keep && uri.back() == '/') uri.pop_back();
  return uri;
}

}  // namespace

// Python's int(): surrounding whitespace allowed, optional sign, decimal digits only.
std::optional<long long> env_int(const EnvLookup& env, const std::string& name) {
  const auto raw = env(name);
  if (!raw) return std::nullopt;
  const std::string v = trim(*raw);
  if (v.empty()) bad_env(name, *raw, "an integer");
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0') bad_env(name, *raw, "an integer");
  return parsed;
}

std::optional<bool> env_bool(const EnvLookup& env, const std::string& name) {
  const auto raw = env(name);
  if (!raw) return std::nullopt;
  const std::string v = to_lower(*raw);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  bad_env(name, *raw, "one of 'true', 'false', '1', '0' (case-insensitive)");
}

// MLflow reads the backoff factor as an int and the jitter as a float; a fractional factor is
// harmless, so both accept any finite number here.
std::optional<double> env_number(const EnvLookup& env, const std::string& name) {
  const auto raw = env(name);
  if (!raw) return std::nullopt;
  const std::string v = trim(*raw);
  char* end = nullptr;
  errno = 0;
  const double parsed = v.empty() ? 0.0 : std::strtod(v.c_str(), &end);
  if (v.empty() || errno != 0 || end == v.c_str() || *end != '\0' || !std::isfinite(parsed)) {
    bad_env(name, *raw, "a number");
  }
  return parsed;
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string default_tracking_uri() {
  std::error_code ec;
  const auto cwd = std::filesystem::current_path(ec);
  if (ec) {
    throw_error(ErrorCode::kIoError,
                "Cannot determine the working directory for the default tracking URI "
                "(sqlite:///mlflow.db): " +
                    ec.message() + ". Set MLFLOW_TRACKING_URI or ClientOptions::tracking_uri.");
  }
  return "sqlite:///" + (cwd / "mlflow.db").generic_string();
}

ResolvedConfig resolve_config(const ClientOptions& options, const EnvLookup& env,
                              const std::string& home) {
  ResolvedConfig config;

  // Tracking URI: an empty value means "not set", as in MLflow.
  auto uri = non_empty(options.tracking_uri);
  if (!uri) uri = non_empty(env("MLFLOW_TRACKING_URI"));
  config.tracking_uri = normalise_tracking_uri(uri ? *uri : default_tracking_uri());

  // Credentials: explicit > env > ~/.mlflow/credentials, per field. Basic needs both halves and
  // wins over a token (MLflow's http_request checks username and password first).
  const std::string home_dir = !home.empty() ? home : env("HOME").value_or("");
  const FileCredentials file = read_credentials_file(home_dir);
  auto username = non_empty(options.username);
  if (!username) username = non_empty(env("MLFLOW_TRACKING_USERNAME"));
  if (!username) username = non_empty(file.username);
  auto password = non_empty(options.password);
  if (!password) password = non_empty(env("MLFLOW_TRACKING_PASSWORD"));
  if (!password) password = non_empty(file.password);
  auto token = non_empty(options.token);
  if (!token) token = non_empty(env("MLFLOW_TRACKING_TOKEN"));
  if (username && password) {
    config.authorization = "Basic " + base64_encode(*username + ":" + *password);
  } else if (token) {
    config.authorization = "Bearer " + *token;
  }

  config.headers = options.headers;
  config.workspace =
      first_of(non_empty(options.workspace), non_empty(env("MLFLOW_WORKSPACE")), std::string());

  // TLS.
  const bool insecure =
      resolve_bool(options.insecure_tls, env, "MLFLOW_TRACKING_INSECURE_TLS", false);
  config.verify_tls = !insecure;
  config.server_cert_path =
      first_of(non_empty(options.server_cert_path),
               non_empty(env("MLFLOW_TRACKING_SERVER_CERT_PATH")), std::string());
  if (insecure && !config.server_cert_path.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Insecure TLS (MLFLOW_TRACKING_INSECURE_TLS / insecure_tls) and a CA bundle "
                "(MLFLOW_TRACKING_SERVER_CERT_PATH / server_cert_path) are both set; they "
                "contradict each other. Unset one of them.");
  }
  config.client_cert_path =
      first_of(non_empty(options.client_cert_path),
               non_empty(env("MLFLOW_TRACKING_CLIENT_CERT_PATH")), std::string());
  config.client_key_path = non_empty(options.client_key_path).value_or("");

  // Timeout.
  if (options.timeout) {
    if (options.timeout->count() <= 0) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "ClientOptions::timeout must be positive, got " +
                      std::to_string(options.timeout->count()) + " ms.");
    }
    config.timeout = *options.timeout;
  } else if (const auto seconds = env_number(env, "MLFLOW_HTTP_REQUEST_TIMEOUT")) {
    if (*seconds <= 0) {
      bad_env("MLFLOW_HTTP_REQUEST_TIMEOUT", *env("MLFLOW_HTTP_REQUEST_TIMEOUT"),
              "a positive number of seconds");
    }
    config.timeout =
        std::chrono::milliseconds(static_cast<long long>(std::llround(*seconds * 1000)));
  }

  // Retries.
  if (options.max_retries) {
    if (*options.max_retries < 0 || *options.max_retries > kMaxRetriesLimit) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "ClientOptions::max_retries must be between 0 and 10, got " +
                      std::to_string(*options.max_retries) + ".");
    }
    config.retry.max_retries = *options.max_retries;
  } else if (const auto n = env_int(env, "MLFLOW_HTTP_REQUEST_MAX_RETRIES")) {
    if (*n < 0 || *n > kMaxRetriesLimit) {
      bad_env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", *env("MLFLOW_HTTP_REQUEST_MAX_RETRIES"),
              "an integer between 0 and 10");
    }
    config.retry.max_retries = static_cast<int>(*n);
  }

  if (options.backoff_factor) {
    const double f = *options.backoff_factor;
    if (!std::isfinite(f) || f < 0 || f > kMaxBackoffFactor) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "ClientOptions::backoff_factor must be between 0 and 120, got " +
                      std::to_string(f) + ".");
    }
    config.retry.backoff_factor = f;
  } else if (const auto f = env_number(env, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR")) {
    if (*f < 0 || *f > kMaxBackoffFactor) {
      bad_env("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", *env("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"),
              "a number between 0 and 120");
    }
    config.retry.backoff_factor = *f;
  }

  if (options.backoff_jitter) {
    const double j = *options.backoff_jitter;
    if (!std::isfinite(j) || j < 0) {
      throw_error(ErrorCode::kInvalidParameterValue,
                  "ClientOptions::backoff_jitter must be a non-negative number, got " +
                      std::to_string(j) + ".");
    }
    config.retry.backoff_jitter = j;
  } else if (const auto j = env_number(env, "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER")) {
    if (*j < 0) {
      bad_env("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", *env("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"),
              "a non-negative number");
    }
    config.retry.backoff_jitter = *j;
  }

  config.retry.respect_retry_after = resolve_bool(options.respect_retry_after, env,
                                                  "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", true);
  config.allow_redirects =
      resolve_bool(options.allow_redirects, env, "MLFLOW_ALLOW_HTTP_REDIRECTS", true);
  config.async_logging =
      resolve_bool(options.async_logging, env, "MLFLOW_ENABLE_ASYNC_LOGGING", false);
  return config;
}

AsyncLoggingOptions resolve_async_logging_options(AsyncLoggingOptions options,
                                                  const EnvLookup& env) {
  if (options.queue_capacity == 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "AsyncLoggingOptions::queue_capacity must be at least 1.");
  }
  const auto non_negative = [](const std::optional<std::chrono::milliseconds>& value,
                               const char* field) {
    if (value && value->count() < 0) {
      throw_error(ErrorCode::kInvalidParameterValue, std::string("AsyncLoggingOptions::") + field +
                                                         " must not be negative, got " +
                                                         std::to_string(value->count()) + " ms.");
    }
  };
  non_negative(options.exit_timeout, "exit_timeout");
  non_negative(options.buffering, "buffering");
  const auto seconds_from_env = [&](const char* name, bool whole) {
    const auto seconds = env_number(env, name);
    if (!seconds) return std::optional<std::chrono::milliseconds>();
    // Python reads MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS with int().
    if (*seconds < 0 || (whole && std::floor(*seconds) != *seconds)) {
      bad_env(
          name, *env(name),
          whole ? "a non-negative whole number of seconds" : "a non-negative number of seconds");
    }
    return std::optional<std::chrono::milliseconds>(
        static_cast<long long>(std::llround(*seconds * 1000)));
  };
  if (!options.exit_timeout) {
    options.exit_timeout = seconds_from_env("MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT", false)
                               .value_or(kDefaultAsyncExitTimeout);
  }
  if (!options.buffering) {
    options.buffering = seconds_from_env("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", true)
                            .value_or(std::chrono::milliseconds(0));
  }
  if (!options.journal) {
    const auto path = env("MLFLOW_CPP_ASYNC_JOURNAL");
    options.journal = path ? *path : std::string();
  }
  return options;
}

}  // namespace mlflow::internal
