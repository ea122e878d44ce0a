// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// One MLflow REST call: URL building, headers, retry, and mapping of the answer to JSON or to
// the right MlflowException. Stores above it deal only in endpoint paths and JSON.

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/url.hpp"
#include "transport/http_transport.hpp"
#include "transport/retry.hpp"

namespace mlflow::internal {

/// Query parameters in order; a key may repeat (MLflow reads repeated fields that way).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// The retry class of each call in the REST stores' call lists: kSafe calls are repeated after
/// any failure, kUnsafe ones only when the server surely did not act. Each store says why its
/// calls fall in each class.
inline constexpr Idempotency kSafe = Idempotency::kIdempotent;
inline constexpr Idempotency kUnsafe = Idempotency::kNonIdempotent;

/// Percent-encodes everything except RFC 3986 unreserved characters (so '/', '+', '=' and
/// ' ' are all encoded, which every server decodes the same way).
std::string url_encode(const std::string& text);
/// "a=1&b=x%20y" (no leading '?'); empty for no parameters.
std::string build_query_string(const QueryParams& params);

/// Replaces a header of the same name (case-insensitive) or appends it.
void set_header(HttpHeaders& headers, const std::string& name, const std::string& value);
/// The headers every request to the server carries: Authorization (if configured), the
/// custom headers (which replace same-named ones) and X-MLFLOW-WORKSPACE. No Origin, no client
/// version header. Used by the REST store and the artifact repository alike.
HttpHeaders identity_headers(const ResolvedConfig& config);

/// True for the workspace administration endpoints (`.../mlflow/workspaces...`): they name the
/// workspace in their path, so they get no X-MLFLOW-WORKSPACE header (Python's rule).
bool is_workspace_admin_endpoint(const std::string& endpoint);

/// Maps a non-2xx HTTP answer to an exception (always throws). A JSON object with
/// `error_code` gives that code; anything else is classified by status, with a hint.
[[noreturn]] void throw_http_error(const std::string& method, const std::string& url,
                                   const HttpResponse& response);

/// The JSON text of a request body: "" for null (no body), else the compact dump. Throws
/// InvalidArgument (INVALID_PARAMETER_VALUE) when a string in it is not valid UTF-8: the server
/// could not decode it either.
std::string json_body(const nlohmann::json& value);

class RestClient {
 public:
  RestClient(ResolvedConfig config, std::shared_ptr<HttpTransport> transport, RetryHooks hooks);

  /// `<tracking_uri>/api/2.0/mlflow/<path>`.
  std::string endpoint_url(const std::string& path) const;

  /// One MLflow REST call, the only way a request leaves this class: builds the URL, the
  /// headers (identity, workspace, JSON content type), retries per `idempotency`, and maps the
  /// answer to its JSON object or to the matching MlflowException.
  /// `path` is below `/api/2.0/mlflow/` ("runs/get"), or a full endpoint path when it starts
  /// with '/' ("/api/3.0/mlflow/workspaces"). `body` is JSON text (json_body() of a value, or
  /// a json_writer body); empty means no body. `extra_headers` replace same-named ones; a
  /// Content-Type among them replaces the JSON one (OTLP's protobuf span bodies), and an empty
  /// answer is the empty object.
  nlohmann::json call(const std::string& method, const std::string& path, const QueryParams& query,
                      std::string body, Idempotency idempotency,
                      const HttpHeaders& extra_headers = {});

  /// The server's `workspaces_enabled` (GET /api/3.0/mlflow/server-info), asked once per client
  /// and remembered. Throws InvalidArgument when the server has no server-info endpoint.
  bool workspaces_enabled();

  const ResolvedConfig& config() const noexcept { return config_; }

 private:
  HttpHeaders base_headers() const;
  /// `<tracking_uri><endpoint>?<query>`.
  std::string url_of(const std::string& endpoint, const QueryParams& query) const;
  /// Sends with retries; returns the answer of any status.
  HttpResponse exchange(const std::string& method, const std::string& url, std::string body,
                        Idempotency idempotency, HttpHeaders headers);
  /// Throws FeatureDisabled before a workspace-scoped call when a workspace is configured but
  /// the server runs without workspaces (which would answer a retried HTTP 500).
  void require_workspace_support(const std::string& workspace);

  ResolvedConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  RetryHooks hooks_;
  /// 0 = not asked yet, 1 = enabled, 2 = disabled.
  std::atomic<int> workspace_support_{0};
};

}  // namespace mlflow::internal
