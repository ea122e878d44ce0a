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

class RestClient {
 public:
  RestClient(ResolvedConfig config, std::shared_ptr<HttpTransport> transport, RetryHooks hooks);

  /// `<tracking_uri>/api/2.0/mlflow/<path>`.
  std::string endpoint_url(const std::string& path) const;

  /// GET with the fields in the query string.
  nlohmann::json get(const std::string& path, const QueryParams& query,
                     Idempotency idempotency = Idempotency::kIdempotent);
  /// POST with a JSON body.
  nlohmann::json post(const std::string& path, const nlohmann::json& body, Idempotency idempotency);
  /// POST with an already serialised JSON body (the log-batch fast path).
  nlohmann::json post_serialized(const std::string& path, std::string body,
                                 Idempotency idempotency);
  /// Any method; `body` is sent as JSON unless it is null.
  nlohmann::json call(const std::string& method, const std::string& path, const QueryParams& query,
                      const nlohmann::json& body, Idempotency idempotency);
  /// Like call() for a full endpoint path below the tracking URI, e.g.
  /// "/api/3.0/mlflow/workspaces/team-a".
  nlohmann::json call_endpoint(const std::string& method, const std::string& endpoint,
                               const QueryParams& query, const nlohmann::json& body,
                               Idempotency idempotency);

  /// Sends a body that is not JSON (OTLP protobuf) to `<tracking_uri><endpoint>` with the
  /// identity headers plus `extra` (which replace same-named ones); maps a non-2xx answer like
  /// the JSON calls and returns the answer otherwise.
  HttpResponse send_raw(const std::string& method, const std::string& endpoint,
                        const HttpHeaders& extra, std::string body, Idempotency idempotency);

  const std::shared_ptr<HttpTransport>& transport() const noexcept { return transport_; }
  const RetryHooks& hooks() const noexcept { return hooks_; }

  /// The server's `workspaces_enabled` (GET /api/3.0/mlflow/server-info), asked once per client
  /// and remembered. Throws InvalidArgument when the server has no server-info endpoint.
  bool workspaces_enabled();

  const ResolvedConfig& config() const noexcept { return config_; }

 private:
  HttpHeaders base_headers() const;
  /// The request of every call: URL, identity headers, workspace header rules, timeout.
  HttpRequest make_request(const std::string& method, const std::string& endpoint,
                           const QueryParams& query);
  /// Sends to `<tracking_uri><endpoint>` and maps the answer; `body` empty = no body.
  nlohmann::json send(const std::string& method, const std::string& endpoint,
                      const QueryParams& query, std::string body, Idempotency idempotency);
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
