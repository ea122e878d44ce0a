// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// ClientOptions: how an MlflowClient reaches its store. Every field left unset falls back to
/// MLflow's environment variable, then to MLflow's default (explicit > environment > default).

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/operation_hook.hpp"

namespace mlflow {

/// Connection and retry settings. All optional; see the README's configuration table.
struct ClientOptions {
  /// `http(s)://host[:port][/prefix]` or `sqlite:///path.db`. Env: MLFLOW_TRACKING_URI.
  /// Default: `sqlite:///mlflow.db` in the working directory.
  std::optional<std::string> tracking_uri{};
  /// Where the model and prompt registry lives (same forms). Env: MLFLOW_REGISTRY_URI.
  /// Default: the tracking URI.
  std::optional<std::string> registry_uri{};

  /// Bearer token. Env: MLFLOW_TRACKING_TOKEN. Basic credentials win when both are set.
  std::optional<std::string> token{};
  /// Basic auth. Env: MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD, then
  /// ~/.mlflow/credentials ([mlflow] mlflow_tracking_username / mlflow_tracking_password).
  std::optional<std::string> username{};
  std::optional<std::string> password{};

  /// Extra headers sent on every request (e.g. routing or auth headers of a gateway).
  std::map<std::string, std::string> headers{};
  /// Workspace sent as `X-MLFLOW-WORKSPACE`. Env: MLFLOW_WORKSPACE.
  std::optional<std::string> workspace{};

  /// Skip TLS verification. Env: MLFLOW_TRACKING_INSECURE_TLS. Default false.
  std::optional<bool> insecure_tls{};
  /// CA bundle for verification. Env: MLFLOW_TRACKING_SERVER_CERT_PATH.
  std::optional<std::string> server_cert_path{};
  /// Client certificate (PEM; may hold the key too). Env: MLFLOW_TRACKING_CLIENT_CERT_PATH.
  std::optional<std::string> client_cert_path{};
  /// Client key, when not inside client_cert_path.
  std::optional<std::string> client_key_path{};

  /// Per-request timeout (connect and transfer). Env: MLFLOW_HTTP_REQUEST_TIMEOUT (s). 120 s.
  std::optional<std::chrono::milliseconds> timeout{};
  /// Env: MLFLOW_HTTP_REQUEST_MAX_RETRIES. Default 7, at most 10.
  std::optional<int> max_retries{};
  /// Env: MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR. Default 2, at most 120.
  std::optional<double> backoff_factor{};
  /// Env: MLFLOW_HTTP_REQUEST_BACKOFF_JITTER. Default 1.0.
  std::optional<double> backoff_jitter{};
  /// Env: MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER. Default true.
  std::optional<bool> respect_retry_after{};
  /// Env: MLFLOW_ALLOW_HTTP_REDIRECTS. Default true.
  std::optional<bool> allow_redirects{};
  /// Log asynchronously when a logging call does not say (its `synchronous` option unset);
  /// see mlflow/async_logging.hpp. Env: MLFLOW_ENABLE_ASYNC_LOGGING. Default false.
  std::optional<bool> async_logging{};
  /// Hooks called around every operation of this client and its copies, after the
  /// process-wide ones (mlflow::add_operation_hook). See mlflow/operation_hook.hpp.
  std::vector<std::shared_ptr<OperationHook>> operation_hooks{};
};

}  // namespace mlflow
