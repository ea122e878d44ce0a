// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "rest/rest_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

constexpr const char* kApiV2 = "/api/2.0/mlflow/";
constexpr const char* kServerInfoEndpoint = "/api/3.0/mlflow/server-info";
constexpr const char* kWorkspaceHeader = "X-MLFLOW-WORKSPACE";

bool is_blank(const std::string& s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A readable one-line excerpt of a non-JSON body: HTML tags dropped, whitespace collapsed,
// at most ~200 characters.
std::string body_excerpt(const std::string& body) {
  constexpr std::size_t kMax = 200;
  std::string out;
  bool in_tag = false;
  bool pending_space = false;
  for (char c : body) {
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        pending_space = true;
      }
      continue;
    }
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    // Keep the excerpt printable: control bytes of binary bodies become '?'.
    out += std::iscntrl(static_cast<unsigned char>(c)) ? '?' : c;
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out.empty() ? "(empty body)" : "\"" + out + "\"";
}

ErrorCode code_for_status(long status) {
  struct StatusCode {
    long status;
    ErrorCode code;
  };
  static constexpr StatusCode kCodes[] = {
      {400, ErrorCode::kBadRequest},       {401, ErrorCode::kUnauthenticated},
      {403, ErrorCode::kPermissionDenied}, {404, ErrorCode::kEndpointNotFound},
      {405, ErrorCode::kEndpointNotFound}, {408, ErrorCode::kDeadlineExceeded},
      {409, ErrorCode::kResourceConflict}, {429, ErrorCode::kRequestLimitExceeded},
      {501, ErrorCode::kNotImplemented},   {503, ErrorCode::kTemporarilyUnavailable},
      {504, ErrorCode::kDeadlineExceeded},
  };
  for (const StatusCode& entry : kCodes) {
    if (entry.status == status) return entry.code;
  }
  if (status >= 500 && status < 600) return ErrorCode::kInternalError;
  if (status >= 400 && status < 500) return ErrorCode::kBadRequest;
  return ErrorCode::kUnknown;
}

std::string hint_for_status(long status) {
  switch (status) {
    case 401:
      return " Check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN.";
    case 403:
      return " Check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or "
             "MLFLOW_TRACKING_TOKEN; a plain-text 403 may also come from the server's "
             "Host/Origin check (see `mlflow server --allowed-hosts`).";
    case 404:
    case 405:
      return " Is the tracking URI right, including any path prefix? Is this an MLflow "
             "server?";
    case 429:
    case 503:
      return " The server is overloaded or unavailable; retry later or raise "
             "MLFLOW_HTTP_REQUEST_MAX_RETRIES.";
    case 504:
      return " A gateway timed out; retry later.";
    default:
      break;
  }
  if (status >= 300 && status < 400) {
    return " A redirect was not followed; use the final URL as the tracking URI or enable "
           "MLFLOW_ALLOW_HTTP_REDIRECTS.";
  }
  return "";
}

}  // namespace

void set_header(HttpHeaders& headers, const std::string& name, const std::string& value) {
  for (auto& h : headers) {
    if (iequals(h.first, name)) {
      h.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

HttpHeaders identity_headers(const ResolvedConfig& config) {
  HttpHeaders headers;
  if (!config.authorization.empty()) headers.emplace_back("Authorization", config.authorization);
  for (const auto& [name, value] : config.headers) set_header(headers, name, value);
  if (!config.workspace.empty()) set_header(headers, "X-MLFLOW-WORKSPACE", config.workspace);
  return headers;
}

bool is_workspace_admin_endpoint(const std::string& endpoint) {
  return endpoint.find("/mlflow/workspaces") != std::string::npos;
}

std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string build_query_string(const QueryParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

void throw_http_error(const std::string& method, const std::string& url,
                      const HttpResponse& response) {
  const int status = static_cast<int>(response.status);
  // MLflow's own errors: {"error_code": "...", "message": "...", ...}. Key on error_code;
  // everything else in the envelope is optional.
  const auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    const auto it = parsed.find("error_code");
    if (it != parsed.end() && (it->is_string() || it->is_number_integer())) {
      const std::string raw_code = it->is_string() ? it->get<std::string>() : it->dump();
      ErrorCode code = error_code_from_name(raw_code);
      // A code this release does not know still has a meaningful HTTP status.
      if (code == ErrorCode::kUnknown) code = code_for_status(status);
      std::string message;
      const auto msg = parsed.find("message");
      if (msg != parsed.end() && msg->is_string()) message = msg->get<std::string>();
      if (message.empty()) {
        message = raw_code + " from " + method + " " + strip_credentials(url) + " (HTTP " +
                  std::to_string(status) + ")";
      }
      throw_error(code, message, status, raw_code);
    }
  }
  const std::string where = method + " " + strip_credentials(url);
  throw_error(code_for_status(status),
              where + " failed with HTTP " + std::to_string(status) + ": " +
                  body_excerpt(response.body) + "." + hint_for_status(status),
              status);
}

RestClient::RestClient(ResolvedConfig config, std::shared_ptr<HttpTransport> transport,
                       RetryHooks hooks)
    : config_(std::move(config)), transport_(std::move(transport)), hooks_(std::move(hooks)) {
  // Tolerate a trailing '/' even though resolve_config normalises it away.
  while (!config_.tracking_uri.empty() && config_.tracking_uri.back() == '/') {
    config_.tracking_uri.pop_back();
  }
}

std::string RestClient::endpoint_url(const std::string& path) const {
  return config_.tracking_uri + kApiV2 + path;
}

// Headers of every request. Deliberately absent:
//  * X-MLflow-Client-Version: Python sends its mlflow version there; the server ignores it,
//    and a C++ client has no Python version to claim. We identify ourselves through the
//    transport's User-Agent (mlflow-cpp/<version>) instead.
//  * Origin: the server's CSRF check rejects state-changing requests from foreign origins;
//    a native client has no origin.
// Custom headers come after ours and replace same-named ones, so a gateway's own
// Authorization scheme can be configured explicitly.
HttpHeaders RestClient::base_headers() const {
  HttpHeaders headers{{"Accept", "application/json"}};
  for (const auto& [name, value] : identity_headers(config_)) set_header(headers, name, value);
  return headers;
}

namespace {

struct InvalidText {
  std::string path;  // JSON path, e.g. "tags[2].value"
  std::string text;
};

// The first string of `j` (object keys included) that is not valid UTF-8.
InvalidText find_invalid_text(const nlohmann::json& j, const std::string& path) {
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    if (!utf8::is_valid(text)) return {path, text};
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      InvalidText found = find_invalid_text(j[i], path + "[" + std::to_string(i) + "]");
      if (!found.text.empty()) return found;
    }
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string field = path.empty() ? it.key() : path + "." + it.key();
      if (!utf8::is_valid(it.key())) return {field, it.key()};
      InvalidText found = find_invalid_text(it.value(), field);
      if (!found.text.empty()) return found;
    }
  }
  return {};
}

}  // namespace

std::string json_body(const nlohmann::json& value) {
  if (value.is_null()) return {};
  try {
    return value.dump();
  } catch (const nlohmann::json::exception&) {
    // nlohmann refuses invalid UTF-8; the server could not decode it either. Name the field.
    const InvalidText bad = find_invalid_text(value, "");
    utf8::require_valid(bad.text, bad.path.empty() ? "request body" : bad.path);
    throw;
  }
}

bool RestClient::workspaces_enabled() {
  const int known = workspace_support_.load();
  if (known != 0) return known == 1;
  // server-info never resolves a workspace; leave the header off so that a disabled server
  // answers it too.
  HttpHeaders headers = base_headers();
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [](const auto& h) { return iequals(h.first, kWorkspaceHeader); }),
                headers.end());
  const std::string url = url_of(kServerInfoEndpoint, {});
  const HttpResponse response =
      exchange("GET", url, {}, Idempotency::kIdempotent, std::move(headers));
  if (response.status == 404) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Could not determine whether the MLflow server at " +
                    strip_credentials(config_.tracking_uri) + " supports workspaces: GET " +
                    kServerInfoEndpoint +
                    " answered HTTP 404. Check that the tracking URI points at an MLflow server "
                    "(>= 3.10), including any path prefix.");
  }
  if (response.status < 200 || response.status >= 300) throw_http_error("GET", url, response);
  const auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  bool enabled = false;
  if (parsed.is_object()) {
    const auto it = parsed.find("workspaces_enabled");
    enabled = it != parsed.end() && it->is_boolean() && it->get<bool>();
  }
  workspace_support_.store(enabled ? 1 : 2);
  return enabled;
}

void RestClient::require_workspace_support(const std::string& workspace) {
  if (workspaces_enabled()) return;
  throw_error(ErrorCode::kFeatureDisabled,
              "Active workspace '" + workspace + "' cannot be used because the MLflow server at " +
                  strip_credentials(config_.tracking_uri) +
                  " runs without workspaces. Restart it with `mlflow server "
                  "--enable-workspaces` (SQL backend required), or unset the workspace "
                  "(MLFLOW_WORKSPACE / ClientOptions::workspace / mlflow::set_workspace).");
}

std::string RestClient::url_of(const std::string& endpoint, const QueryParams& query) const {
  const std::string qs = build_query_string(query);
  return config_.tracking_uri + endpoint + (qs.empty() ? "" : "?" + qs);
}

HttpResponse RestClient::exchange(const std::string& method, const std::string& url,
                                  std::string body, Idempotency idempotency, HttpHeaders headers) {
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  if (!body.empty()) {
    // The server insists on this content type for POST/PUT JSON endpoints; a caller sending
    // another format (OTLP protobuf) has named its own.
    const bool typed = std::any_of(request.headers.begin(), request.headers.end(),
                                   [](const auto& h) { return iequals(h.first, "Content-Type"); });
    if (!typed) set_header(request.headers, "Content-Type", "application/json");
    request.body = std::move(body);
  }
  request.timeout = config_.timeout;
  HttpResponse response = send_with_retry(*transport_, request, config_.retry, hooks_, idempotency);
  // One line per call (the retry loop logs each attempt), with where the time went. Headers
  // are never logged: they may carry Authorization or gateway secrets.
  if (log_enabled(LogLevel::kDebug)) {
    const TransferTiming& t = response.timing;
    char timing[96];
    std::snprintf(timing, sizeof timing, "%.1f ms, first byte after %.1f ms%s",
                  static_cast<double>(t.total_us) / 1000.0,
                  static_cast<double>(t.first_byte_us) / 1000.0,
                  t.reused_connection ? ", reused connection" : "");
    log(LogLevel::kDebug, "mlflow REST " + method + " " + strip_credentials(request.url) + " (" +
                              std::to_string(request.body.size()) + " bytes sent) -> HTTP " +
                              std::to_string(response.status) + " (" +
                              std::to_string(response.body.size()) + " bytes, " + timing + ")");
  }
  return response;
}

nlohmann::json RestClient::call(const std::string& method, const std::string& path,
                                const QueryParams& query, std::string body, Idempotency idempotency,
                                const HttpHeaders& extra_headers) {
  const std::string endpoint = !path.empty() && path[0] == '/' ? path : kApiV2 + path;
  HttpHeaders headers = base_headers();
  for (const auto& [name, value] : extra_headers) set_header(headers, name, value);
  // The workspace header (configured, or among the custom headers): off on the admin
  // endpoints; elsewhere, first make sure the server can honour it.
  const auto ws = std::find_if(headers.begin(), headers.end(),
                               [](const auto& h) { return iequals(h.first, kWorkspaceHeader); });
  if (ws != headers.end()) {
    if (is_workspace_admin_endpoint(endpoint)) {
      headers.erase(ws);
    } else if (!is_blank(ws->second)) {
      require_workspace_support(ws->second);
    }
  }
  const std::string url = url_of(endpoint, query);
  const HttpResponse response =
      exchange(method, url, std::move(body), idempotency, std::move(headers));
  if (response.status < 200 || response.status >= 300) {
    throw_http_error(method, url, response);
  }
  if (is_blank(response.body)) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                method + " " + strip_credentials(url) + " answered HTTP " +
                    std::to_string(response.status) +
                    " with a body that is not a JSON object: " + body_excerpt(response.body) +
                    ". Is the tracking URI right, including any path prefix? Is this an MLflow "
                    "server (and not a login page or proxy)?",
                static_cast<int>(response.status));
  }
  return parsed;
}

}  // namespace mlflow::internal
