// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// validate_setup() / doctor(): each check records what it found and, for a problem, the fix.
// Checks that need the store stop at the first failure that makes the next ones meaningless
// (no connectivity: nothing else can be asked; rejected credentials: nothing can be read).

#include "mlflow/setup_validation.hpp"

#include <curl/curl.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <utility>

#include "artifacts/artifact_path.hpp"
#include "artifacts/artifact_repository.hpp"
#include "client/client_access.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/url.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/version.hpp"
#include "rest/rest_client.hpp"
#include "tracing/otlp_collector.hpp"
#include "transport/retry.hpp"
#include "transport/transport_config.hpp"

extern char** environ;

namespace mlflow {
namespace {

using internal::HttpHeaders;
using internal::HttpRequest;
using internal::HttpResponse;
using internal::HttpTransport;

constexpr const char* kSecretWords[] = {"TOKEN", "PASSWORD", "SECRET",
                                        "KEY",   "HEADERS",  "CREDENTIAL"};

bool is_secret(const std::string& name) {
  for (const char* word : kSecretWords) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

bool is_server(const std::string& uri) {
  return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

std::string described(const MlflowException& e) {
  return std::string(e.what()) + " [" + error_code_name(e.error_code()) + "]";
}

class Checks {
 public:
  explicit Checks(ValidationResult& result) : result_(result) {}
  void passed(const std::string& name, std::string detail) {
    add(name, CheckStatus::kPassed, std::move(detail), "");
  }
  void warning(const std::string& name, std::string detail, std::string fix) {
    add(name, CheckStatus::kWarning, std::move(detail), std::move(fix));
  }
  void failed(const std::string& name, std::string detail, std::string fix) {
    add(name, CheckStatus::kFailed, std::move(detail), std::move(fix));
    result_.passed = false;
  }
  void skipped(const std::string& name, std::string why) {
    add(name, CheckStatus::kSkipped, std::move(why), "");
  }

 private:
  void add(const std::string& name, CheckStatus status, std::string detail, std::string fix) {
    result_.checks.push_back({name, status, std::move(detail), std::move(fix)});
  }
  ValidationResult& result_;
};

void collect_dependencies(ValidationResult& result) {
  result.dependencies["mlflow-cpp"] = kVersion;
  result.dependencies["mlflow (protocol and schema)"] = kPinnedMlflowVersion;
  result.dependencies["libcurl"] = curl_version_info(CURLVERSION_NOW)->version;
  const auto* curl = curl_version_info(CURLVERSION_NOW);
  if (curl->ssl_version != nullptr) result.dependencies["tls"] = curl->ssl_version;
  result.dependencies["sqlite"] = sqlite3_libversion();
  result.dependencies["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                         std::to_string(NLOHMANN_JSON_VERSION_PATCH);
#if defined(__VERSION__)
  result.dependencies["compiler"] = __VERSION__;
#endif
}

void collect_variables(ValidationResult& result, bool mask_all) {
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = text.substr(0, eq);
    if (name.rfind("MLFLOW_", 0) != 0 && name.rfind("OTEL_", 0) != 0 &&
        name.rfind("GENOPS_", 0) != 0) {
      continue;
    }
    result.configuration[name] = mask_all || is_secret(name) ? "***" : text.substr(eq + 1);
  }
}

// One request without retries: the response, or the transport's failure as an exception.
HttpResponse probe(HttpTransport& transport, HttpRequest request,
                   std::chrono::milliseconds timeout) {
  request.timeout = timeout;
  internal::RetryPolicy none;
  none.max_retries = 0;
  return internal::send_with_retry(transport, request, none, {},
                                   internal::Idempotency::kIdempotent);
}

std::string unreachable_fix(const std::string& uri, const MlflowException& e) {
  const std::string what = e.what();
  if (what.find("TLS") != std::string::npos || what.find("SSL") != std::string::npos ||
      what.find("certificate") != std::string::npos) {
    return "Fix TLS: set MLFLOW_TRACKING_SERVER_CERT_PATH to the CA bundle that signed the "
           "server's certificate (or use http:// if the server speaks plain HTTP).";
  }
  return "Start the MLflow server (e.g. `mlflow server --host 127.0.0.1 --port 5000`) or set "
         "MLFLOW_TRACKING_URI (ClientOptions::tracking_uri) to where it runs; now " +
         uri + ".";
}

void skip_after_connectivity(Checks& checks) {
  for (const char* name : {"authentication", "server_version", "workspace"}) {
    checks.skipped(name, "The server cannot be reached.");
  }
}

// Server checks: /health (no credentials needed), an authenticated read, /version, workspaces.
// Returns whether the store answers authenticated reads.
bool check_server(const ValidateSetupOptions& options, const internal::ResolvedConfig& config,
                  ValidationResult& result, Checks& checks) {
  const std::string uri = internal::strip_credentials(config.tracking_uri);
  auto transport = internal::make_curl_transport(internal::transport_options_for(config));
  const HttpHeaders identity = internal::identity_headers(config);

  const auto start = std::chrono::steady_clock::now();
  try {
    const HttpResponse health =
        probe(*transport, {"GET", config.tracking_uri + "/health", {}, {}, {}}, options.timeout);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    result.connectivity["latency_ms"] = std::to_string(static_cast<long long>(ms + 0.5));
    if (health.status != 200) {
      result.connectivity["reachable"] = "false";
      checks.failed("connectivity",
                    "GET " + uri + "/health answered HTTP " + std::to_string(health.status) +
                        ", not an MLflow server's OK.",
                    "Check MLFLOW_TRACKING_URI: it must be the MLflow server's address including "
                    "any path prefix (--static-prefix), e.g. http://host:5000.");
      skip_after_connectivity(checks);
      return false;
    }
  } catch (const MlflowException& e) {
    result.connectivity["reachable"] = "false";
    checks.failed("connectivity", "Cannot reach the MLflow server at " + uri + ": " + e.what(),
                  unreachable_fix(uri, e));
    skip_after_connectivity(checks);
    return false;
  }
  result.connectivity["reachable"] = "true";
  checks.passed("connectivity", "The MLflow server at " + uri + " answers /health (" +
                                    result.connectivity["latency_ms"] + " ms).");

  // An authenticated read: what every other call needs. Without the workspace header, which
  // the workspace check looks at on its own.
  internal::ResolvedConfig no_workspace = config;
  no_workspace.workspace.clear();
  ClientOptions plain = options.client;
  plain.max_retries = 0;
  plain.timeout = options.timeout;
  const bool has_credentials = !config.authorization.empty();
  try {
    const std::string url =
        config.tracking_uri + "/api/2.0/mlflow/experiments/search?max_results=1";
    const HttpResponse read =
        probe(*transport, {"GET", url, internal::identity_headers(no_workspace), {}, {}},
              options.timeout);
    if (read.status < 200 || read.status >= 300) internal::throw_http_error("GET", url, read);
    result.connectivity["authenticated"] = "true";
    checks.passed("authentication", has_credentials
                                        ? "The server accepted the configured credentials."
                                        : "The server needs no credentials for reads.");
  } catch (const MlflowException& e) {
    result.connectivity["authenticated"] = "false";
    if (e.error_code() == ErrorCode::kUnauthenticated || e.http_status() == 401) {
      checks.failed(
          "authentication",
          has_credentials
              ? "The server rejected the configured credentials (HTTP 401): " + described(e)
              : "The server requires authentication and no credentials are configured "
                "(HTTP 401).",
          "Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN, "
          "or ClientOptions::username/password/token, or ~/.mlflow/credentials) to a valid "
          "account of this server; an administrator can reset a password with "
          "`mlflow server`'s auth API (update-password).");
    } else if (e.error_code() == ErrorCode::kPermissionDenied || e.http_status() == 403) {
      checks.failed(
          "authentication",
          "Authenticated, but not allowed to read experiments (HTTP 403): " + described(e),
          "Ask an administrator of the server to grant this account READ (or more) "
          "on the experiments it uses, or use another account.");
    } else {
      checks.failed("authentication", "Reading from the server failed: " + described(e),
                    "See the server's log for this request; the message above says what it "
                    "refused.");
    }
    checks.skipped("server_version", "The server refused reads.");
    checks.skipped("workspace", "The server refused reads.");
    return false;
  }

  // The server's version (GET /version answers it as text).
  try {
    HttpRequest request{"GET", config.tracking_uri + "/version", identity, {}, {}};
    const HttpResponse version = probe(*transport, request, options.timeout);
    const std::string text = version.status == 200 ? version.body : std::string();
    if (text.empty()) {
      checks.warning("server_version",
                     "GET " + uri + "/version answered HTTP " + std::to_string(version.status) +
                         "; the server's version is unknown.",
                     std::string("Use an MLflow ") + kPinnedMlflowVersion +
                         " server, the version mlflow-cpp is tested against.");
    } else {
      result.connectivity["server_version"] = text;
      const std::string pinned = kPinnedMlflowVersion;
      const auto minor = [](const std::string& v) { return v.substr(0, v.rfind('.')); };
      if (minor(text) == minor(pinned)) {
        checks.passed("server_version", "MLflow " + text + " (mlflow-cpp speaks " + pinned + ").");
      } else {
        checks.warning(
            "server_version",
            "The server runs MLflow " + text + "; mlflow-cpp is tested against " + pinned + ".",
            "Run an MLflow " + pinned + " server (pip install mlflow==" + pinned +
                "), or expect differences in newer or older endpoints.");
      }
    }
  } catch (const MlflowException& e) {
    checks.warning("server_version", "Could not ask the server's version: " + described(e),
                   "Check the server's log.");
  }

  // Workspaces: whether the server has them, and whether a configured one can be used.
  bool enabled = true;
  try {
    MlflowClient client(plain);
    client.list_workspaces();
  } catch (const MlflowException& e) {
    if (e.error_code() != ErrorCode::kFeatureDisabled) {
      checks.warning("workspace",
                     "Could not ask whether the server has workspaces: " + described(e),
                     "Check that the server is MLflow >= 3.10.");
      return true;
    }
    enabled = false;
  }
  result.connectivity["workspaces_enabled"] = enabled ? "true" : "false";
  const std::string workspace = config.workspace;
  if (workspace.empty()) {
    checks.passed("workspace", enabled ? "The server has workspaces; none is selected, so the "
                                         "default workspace is used."
                                       : "The server runs without workspaces; none is selected.");
  } else if (!enabled) {
    checks.failed("workspace",
                  "Workspace '" + workspace + "' is selected but the server at " + uri +
                      " runs without workspaces: every call would be refused.",
                  "Unset MLFLOW_WORKSPACE (ClientOptions::workspace, mlflow::set_workspace), or "
                  "restart the server with `mlflow server --enable-workspaces` (SQL backend).");
  } else {
    try {
      MlflowClient client(plain);
      client.get_workspace(workspace);
      checks.passed("workspace", "Workspace '" + workspace + "' exists on the server.");
    } catch (const MlflowException& e) {
      checks.failed("workspace", "Workspace '" + workspace + "': " + described(e),
                    "Create it (MlflowClient::create_workspace, or the UI) or select an "
                    "existing one in MLFLOW_WORKSPACE.");
    }
  }
  return true;
}

bool check_embedded(const ValidateSetupOptions& options, const std::string& uri,
                    ValidationResult& result, Checks& checks) {
  try {
    ClientOptions client_options = options.client;
    client_options.tracking_uri = uri;
    MlflowClient client(client_options);
    SearchExperimentsOptions one;
    one.max_results = 1;
    client.search_experiments(one);
    result.connectivity["reachable"] = "true";
    checks.passed("connectivity", "The embedded store " + uri + " opens and answers.");
    checks.skipped("server_version",
                   "Embedded store: MLflow " + std::string(kPinnedMlflowVersion) + "'s schema.");
    checks.skipped("authentication", "Embedded store: no server to authenticate with.");
    checks.skipped("workspace", "Embedded store: workspaces live on servers.");
    return true;
  } catch (const MlflowException& e) {
    result.connectivity["reachable"] = "false";
    checks.failed("connectivity", "The embedded store " + uri + " cannot be used: " + described(e),
                  "Check that the SQLite file's directory exists and is writable, and that the "
                  "file is an MLflow database (or point MLFLOW_TRACKING_URI elsewhere).");
    return false;
  }
}

// The missing directories of a local artifact location (deepest first), removed on scope exit
// when they are empty again.
class CreatedDirectories {
 public:
  explicit CreatedDirectories(const std::string& location) {
    const bool local = location.rfind("file:", 0) == 0 || location.find(":/") == std::string::npos;
    if (!local) return;
    std::error_code ec;
    for (auto path = std::filesystem::absolute(internal::local_path_from_uri(location), ec);
         !ec && !path.empty() && !std::filesystem::exists(path, ec); path = path.parent_path()) {
      missing_.push_back(path);
      if (path == path.parent_path()) break;
    }
  }
  ~CreatedDirectories() {
    std::error_code ec;
    for (const auto& path : missing_) std::filesystem::remove(path, ec);  // only if empty
  }
  CreatedDirectories(const CreatedDirectories&) = delete;
  CreatedDirectories& operator=(const CreatedDirectories&) = delete;

 private:
  std::vector<std::filesystem::path> missing_;
};

void check_artifacts(const ValidateSetupOptions& options, const std::string& uri, Checks& checks) {
  ClientOptions client_options = options.client;
  client_options.tracking_uri = uri;
  client_options.max_retries = 0;
  client_options.timeout = options.timeout;
  std::string location;
  try {
    MlflowClient client(client_options);
    location = client.get_experiment("0").artifact_location;
    auto repository = internal::make_artifact_repository(
        location, MlflowClient::Access::impl(client)->artifact_context());
    if (!options.artifact_write) {
      repository->list_artifacts("");
      checks.passed("artifact_access", "Listed the Default experiment's artifacts at " +
                                           internal::strip_credentials(location) + ".");
      return;
    }
    // A directory of its own, removed again: nothing of the user's is touched. On a local
    // store the experiment's directory may not exist yet (./mlruns/0): what the probe creates
    // around it is removed too.
    const std::string dir = ".mlflow-cpp-validate-setup-" + internal::uuid4_hex();
    const CreatedDirectories created(location);
    internal::ScopedTempDir scratch("mlflow-cpp-validate-setup");
    const std::string content = "mlflow-cpp validate_setup " + dir + "\n";
    const auto file = scratch.path() / "probe.txt";
    std::ofstream(file, std::ios::binary) << content;
    repository->log_artifact(file.string(), dir);
    bool deleted = false;
    try {
      const auto down = scratch.path() / "down";
      std::filesystem::create_directories(down);
      const std::string local = repository->download_artifacts(dir + "/probe.txt", down);
      std::ifstream in(local, std::ios::binary);
      const std::string read((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      repository->delete_artifacts(dir);
      deleted = true;
      if (read != content) {
        checks.failed("artifact_access",
                      "The bytes read back from " + internal::strip_credentials(location) +
                          " differ from those written.",
                      "Check the artifact store (a proxy rewriting bodies, a full disk).");
        return;
      }
    } catch (...) {
      if (!deleted) {
        try {
          repository->delete_artifacts(dir);
        } catch (...) {
        }
      }
      throw;
    }
    checks.passed("artifact_access", "Wrote, read back and deleted a file under " +
                                         internal::strip_credentials(location) + ".");
  } catch (const MlflowException& e) {
    const std::string where = location.empty() ? std::string("the Default experiment")
                                               : internal::strip_credentials(location);
    checks.failed("artifact_access", "Artifact access to " + where + " failed: " + described(e),
                  "Check the server's --artifacts-destination (or the store's artifact root): "
                  "it must exist and be writable by the server, and artifact serving must be on "
                  "(`mlflow server` serves artifacts unless --no-serve-artifacts); for cloud "
                  "stores, this machine needs their credentials.");
  } catch (const std::exception& e) {
    checks.failed("artifact_access", std::string("Artifact access failed: ") + e.what(),
                  "Check that the temporary directory is writable (TMPDIR).");
  }
}

void check_otlp(const ValidateSetupOptions& options, ValidationResult& result, Checks& checks) {
  std::optional<internal::tracing::CollectorConfig> config;
  try {
    config = internal::tracing::collector_config_from(internal::process_env());
  } catch (const MlflowException& e) {
    checks.failed("otlp_export", std::string("OpenTelemetry export is misconfigured: ") + e.what(),
                  "Correct the variable named above (the message says how).");
    return;
  }
  if (!config) {
    checks.passed("otlp_export",
                  "No OpenTelemetry collector configured (OTEL_EXPORTER_OTLP_ENDPOINT unset): "
                  "traces go to the MLflow tracking store.");
    return;
  }
  result.configuration["otlp_endpoint"] = internal::strip_credentials(config->endpoint);
  result.configuration["otlp_protocol"] = config->protocol;
  result.configuration["otlp_dual_export"] = config->dual_export ? "true" : "false";
  internal::TransportOptions transport_options;
  transport_options.ca_bundle_path = config->ca_bundle_path;
  auto transport = internal::make_curl_transport(transport_options);
  HttpRequest request{"POST", config->endpoint, config->headers, {}, {}};
  const bool json = config->protocol == "http/json";
  internal::set_header(request.headers, "Content-Type",
                       json ? "application/json" : "application/x-protobuf");
  if (json) request.body = "{}";  // an empty ExportTraceServiceRequest in either encoding
  const std::string endpoint = internal::strip_credentials(config->endpoint);
  try {
    const HttpResponse response = probe(*transport, request, options.timeout);
    if (response.status >= 200 && response.status < 300) {
      checks.passed("otlp_export", "The OpenTelemetry collector at " + endpoint +
                                       " accepts OTLP/HTTP (" + config->protocol + ")" +
                                       (config->dual_export ? "; dual export to MLflow is on."
                                                            : "; MLflow gets no traces "
                                                              "(MLFLOW_TRACE_ENABLE_OTLP_DUAL_"
                                                              "EXPORT=true sends them to both)."));
    } else if (response.status == 401 || response.status == 403) {
      checks.failed("otlp_export",
                    "The collector at " + endpoint + " refused the request (HTTP " +
                        std::to_string(response.status) + ").",
                    "Set the collector's credentials in OTEL_EXPORTER_OTLP_HEADERS "
                    "(e.g. Authorization=Bearer%20<token>).");
    } else {
      checks.failed("otlp_export",
                    "The collector at " + endpoint + " answered HTTP " +
                        std::to_string(response.status) + " to an OTLP request.",
                    "Point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's OTLP/HTTP receiver "
                    "(usually port 4318; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT takes the full "
                    "URL ending in /v1/traces).");
    }
  } catch (const MlflowException& e) {
    checks.failed("otlp_export",
                  "Cannot reach the OpenTelemetry collector at " + endpoint + ": " + e.what(),
                  "Start the collector (e.g. Jaeger with its OTLP/HTTP receiver) or correct "
                  "OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.");
  }
}

// The GenOps seed's attribution variables: team and project are required, the rest optional.
void check_governance(Checks& checks) {
  const auto env = internal::process_env();
  const char* required[] = {"GENOPS_TEAM", "GENOPS_PROJECT"};
  const char* optional[] = {"GENOPS_CUSTOMER_ID", "GENOPS_ENVIRONMENT", "GENOPS_COST_CENTER",
                            "GENOPS_FEATURE"};
  std::string present;
  std::string missing_required;
  std::string missing_optional;
  const auto add = [](std::string& list, const char* name) {
    list += (list.empty() ? "" : ", ") + std::string(name);
  };
  for (const char* name : required) {
    const auto value = env(name);
    add(value && !value->empty() ? present : missing_required, name);
  }
  for (const char* name : optional) {
    const auto value = env(name);
    add(value && !value->empty() ? present : missing_optional, name);
  }
  std::string detail = "Attribution present: " + (present.empty() ? "none" : present) + ".";
  if (!missing_optional.empty()) detail += " Optional, missing: " + missing_optional + ".";
  if (missing_required.empty()) {
    checks.passed("governance", detail);
  } else {
    checks.warning("governance",
                   "Required attribution missing: " + missing_required + ". " + detail,
                   "Set the team and project every operation is attributed to: export "
                   "GENOPS_TEAM=<team> GENOPS_PROJECT=<project> (or set them in code); "
                   "GENOPS_CUSTOMER_ID, GENOPS_ENVIRONMENT and GENOPS_COST_CENTER refine it.");
  }
}

}  // namespace

const char* check_status_name(CheckStatus status) noexcept {
  switch (status) {
    case CheckStatus::kPassed:
      return "passed";
    case CheckStatus::kWarning:
      return "warning";
    case CheckStatus::kFailed:
      return "failed";
    case CheckStatus::kSkipped:
      return "skipped";
  }
  return "unknown";
}

std::vector<SetupCheck> ValidationResult::issues() const {
  std::vector<SetupCheck> out;
  for (const auto& c : checks) {
    if (c.status == CheckStatus::kFailed || c.status == CheckStatus::kWarning) out.push_back(c);
  }
  return out;
}

const SetupCheck* ValidationResult::check(const std::string& name) const noexcept {
  for (const auto& c : checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

JsonValue ValidationResult::to_json() const {
  const auto object_of = [](const std::map<std::string, std::string>& values) {
    JsonValue out = JsonValue::object();
    for (const auto& [key, value] : values) out.set(key, JsonValue(value));
    return out;
  };
  JsonValue list = JsonValue::array();
  for (const auto& c : checks) {
    list.push_back(JsonValue::object({{"name", c.name},
                                      {"status", check_status_name(c.status)},
                                      {"detail", c.detail},
                                      {"fix", c.fix.empty() ? JsonValue() : JsonValue(c.fix)}}));
  }
  return JsonValue::object({{"passed", passed},
                            {"checks", std::move(list)},
                            {"dependencies", object_of(dependencies)},
                            {"configuration", object_of(configuration)},
                            {"connectivity", object_of(connectivity)}});
}

namespace {

ValidationResult run(const ValidateSetupOptions& options, bool mask_all) {
  ValidationResult result;
  Checks checks(result);
  collect_dependencies(result);
  checks.passed("dependencies", std::string("mlflow-cpp ") + kVersion + " for MLflow " +
                                    kPinnedMlflowVersion + ", libcurl " +
                                    result.dependencies["libcurl"] + ", SQLite " +
                                    result.dependencies["sqlite"] + ".");
  collect_variables(result, mask_all);

  internal::ResolvedConfig config;
  try {
    config = internal::resolve_config(options.client, internal::process_env());
  } catch (const MlflowException& e) {
    checks.failed("configuration", std::string("The client configuration is invalid: ") + e.what(),
                  "Correct the option or environment variable the message names.");
  }
  if (result.passed) {
    const std::string uri = internal::strip_credentials(config.tracking_uri);
    result.configuration["tracking_uri"] = uri;
    result.configuration["registry_uri"] =
        internal::strip_credentials(options.client.registry_uri.value_or(
            internal::process_env()("MLFLOW_REGISTRY_URI").value_or(config.tracking_uri)));
    result.configuration["store"] = is_server(config.tracking_uri) ? "server" : "embedded";
    if (!config.workspace.empty()) result.configuration["workspace"] = config.workspace;
    checks.passed("configuration",
                  "Tracking URI " + uri + " (" + result.configuration["store"] + " store).");

    bool usable = false;
    if (!options.check_connectivity) {
      for (const char* name : {"connectivity", "authentication", "server_version", "workspace"})
        checks.skipped(name, "check_connectivity is off.");
    } else if (is_server(config.tracking_uri)) {
      usable = check_server(options, config, result, checks);
    } else {
      usable = check_embedded(options, config.tracking_uri, result, checks);
    }
    if (!options.check_artifacts || !options.check_connectivity) {
      checks.skipped("artifact_access", "Switched off.");
    } else if (!usable) {
      checks.skipped("artifact_access", "The store cannot be used (see above).");
    } else {
      check_artifacts(options, config.tracking_uri, checks);
    }
  }
  if (options.check_otlp) check_otlp(options, result, checks);
  if (options.check_governance) check_governance(checks);
  return result;
}

}  // namespace

ValidationResult validate_setup(const ValidateSetupOptions& options) { return run(options, false); }

ValidationResult doctor(bool mask_envs) { return doctor(std::cout, mask_envs); }

ValidationResult doctor(std::ostream& out, bool mask_envs) {
  ValidationResult result = run(ValidateSetupOptions{}, mask_envs);
  print_validation_result(result, out);
  return result;
}

void print_validation_result(const ValidationResult& result, std::ostream& out) {
  out << "mlflow-cpp setup: " << (result.passed ? "PASSED" : "FAILED") << "\n";
  for (const auto& [name, version] : result.dependencies)
    out << "  " << name << ": " << version << "\n";
  out << "Configuration:\n";
  for (const auto& [name, value] : result.configuration)
    out << "  " << name << ": " << value << "\n";
  out << "Checks:\n";
  for (const auto& c : result.checks) {
    out << "  [" << check_status_name(c.status) << "] " << c.name << ": " << c.detail << "\n";
  }
  const auto issues = result.issues();
  if (!issues.empty()) {
    out << "To fix:\n";
    for (const auto& c : issues) out << "  - " << c.name << ": " << c.fix << "\n";
  }
}

}  // namespace mlflow
