// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Resolution of ClientOptions against MLflow's environment variables and defaults
// (explicit > environment > default; ADR 0002).

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "mlflow/async_logging.hpp"
#include "mlflow/client_options.hpp"

namespace mlflow::internal {

struct RetryPolicy {
  int max_retries = 7;
  double backoff_factor = 2.0;
  double backoff_jitter = 1.0;
  bool respect_retry_after = true;
  std::chrono::milliseconds max_backoff{120000};
};

struct ResolvedConfig {
  std::string tracking_uri;  // normalised, no trailing '/'
  /// Full value of the Authorization header, or empty. Never logged.
  std::string authorization;
  std::map<std::string, std::string> headers;
  std::string workspace;  // empty = none
  bool verify_tls = true;
  std::string server_cert_path;
  std::string client_cert_path;
  std::string client_key_path;
  std::chrono::milliseconds timeout{120000};
  bool allow_redirects = true;
  RetryPolicy retry;
  /// Log asynchronously when a call does not say (MLFLOW_ENABLE_ASYNC_LOGGING).
  bool async_logging = false;
};

/// Reads an environment variable; std::nullopt when unset (empty counts as set).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

/// MLflow's _BooleanEnvironmentVariable: true/false/1/0 in any case; anything else throws
/// InvalidArgument naming the variable. std::nullopt when unset.
std::optional<bool> env_bool(const EnvLookup& env, const std::string& name);
/// Python's int(): surrounding blanks, an optional sign and decimal digits; anything else throws
/// InvalidArgument naming the variable.
std::optional<long long> env_int(const EnvLookup& env, const std::string& name);
/// A finite number (surrounding blanks allowed); anything else throws InvalidArgument.
std::optional<double> env_number(const EnvLookup& env, const std::string& name);

/// Applies explicit > environment > default. Throws InvalidArgument for bad values (e.g.
/// MLFLOW_HTTP_REQUEST_MAX_RETRIES=11, both insecure TLS and a CA path). `home` locates
/// ~/.mlflow/credentials (empty = $HOME).
ResolvedConfig resolve_config(const ClientOptions& options, const EnvLookup& env,
                              const std::string& home = {});

/// AsyncLoggingOptions with its unset fields from the environment, else the defaults
/// (exit_timeout: MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT seconds, else 30 s; buffering:
/// MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS, else none). Throws InvalidArgument for bad values.
AsyncLoggingOptions resolve_async_logging_options(AsyncLoggingOptions options,
                                                  const EnvLookup& env);

/// The default tracking URI: sqlite:///<abs cwd>/mlflow.db.
std::string default_tracking_uri();

}  // namespace mlflow::internal
