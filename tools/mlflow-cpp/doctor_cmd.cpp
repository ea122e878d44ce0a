// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp doctor` (mlflow::validate_setup(): is the setup usable, and what to fix) and
// `mlflow-cpp server-info` (what the store offers). Both probe once, without retries, so that
// an unreachable server answers at once (exit 7).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "mlflow/mlflow_client.hpp"
#include "mlflow/setup_validation.hpp"
#include "mlflow/version.hpp"
#include "output.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

mlflow::MlflowClient probe_client(const Context& context) {
  mlflow::ClientOptions options;
  if (!context.options.tracking_uri.empty()) options.tracking_uri = context.options.tracking_uri;
  options.max_retries = 0;
  options.timeout = std::chrono::seconds(10);
  return mlflow::MlflowClient(options);
}

std::string store_kind(const std::string& uri) {
  return uri.rfind("http", 0) == 0 ? "server" : "embedded";
}

struct Probe {
  bool reachable = false;
  double latency_ms = 0;
  std::string error;
  int exit_code = kExitOk;
};

Probe probe(mlflow::MlflowClient& client) {
  Probe result;
  const auto start = std::chrono::steady_clock::now();
  try {
    mlflow::SearchExperimentsOptions options;
    options.max_results = 1;
    client.search_experiments(options);
    result.reachable = true;
  } catch (const mlflow::MlflowException& e) {
    result.error = std::string(e.what()) + " [" + mlflow::error_code_name(e.error_code()) + "]";
    result.exit_code = exit_code_for(e.error_code());
  }
  result.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

// The library's validate_setup() (versions, configuration, connectivity, server version,
// authentication, workspace, artifact access, OTLP export, governance attributes), with the
// first failed check's class as the exit status.
void doctor(Context& context) {
  mlflow::ValidateSetupOptions options;
  if (!context.options.tracking_uri.empty()) {
    options.client.tracking_uri = context.options.tracking_uri;
  }
  const mlflow::ValidationResult result = mlflow::validate_setup(options);
  const auto value_of = [&](const std::map<std::string, std::string>& values,
                            const std::string& key) {
    const auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  };
  std::string error;
  int exit_code = kExitOk;
  for (const auto& check : result.checks) {
    if (check.status != mlflow::CheckStatus::kFailed || exit_code != kExitOk) continue;
    error = check.detail;
    exit_code = check.name == "connectivity"     ? kExitUnavailable
                : check.name == "authentication" ? kExitPermission
                : check.name == "workspace"      ? kExitNotImplemented
                                                 : kExitFailure;
  }
  const std::string latency = value_of(result.connectivity, "latency_ms");
  JsonValue environment = JsonValue::object();
  for (const auto& [name, value] : result.configuration) {
    if (name.rfind("MLFLOW_", 0) == 0) environment.set(name, value);
  }
  JsonValue json = result.to_json();
  json.set("version", mlflow::kVersion);
  json.set("mlflow_version", mlflow::kPinnedMlflowVersion);
  json.set("tracking_uri", value_of(result.configuration, "tracking_uri"));
  json.set("store", value_of(result.configuration, "store"));
  json.set("reachable", value_of(result.connectivity, "reachable") == "true");
  json.set("latency_ms", latency.empty() ? JsonValue() : JsonValue(std::stod(latency)));
  json.set("error", error.empty() ? JsonValue() : JsonValue(error));
  json.set("environment", std::move(environment));

  Table table({"Check", "Result"});
  for (const auto& [name, version] : result.dependencies) table.add({name, version});
  for (const auto& [name, value] : result.configuration) table.add({name, value});
  for (const auto& check : result.checks) {
    std::string text = std::string(mlflow::check_status_name(check.status)) + ": " + check.detail;
    if (!check.fix.empty()) text += " FIX: " + check.fix;
    table.add({check.name, text});
  }
  emit(context, json, table);
  command_exit_status() = exit_code;
}

void server_info(Context& context) {
  mlflow::MlflowClient client = probe_client(context);
  const Probe p = probe(client);
  if (!p.reachable) {
    command_exit_status() = p.exit_code;
    throw mlflow::Unavailable(mlflow::ErrorCode::kTemporarilyUnavailable, p.error);
  }
  bool workspaces = true;
  try {
    client.list_workspaces();
  } catch (const mlflow::MlflowException& e) {
    if (e.error_code() != mlflow::ErrorCode::kFeatureDisabled) throw;
    workspaces = false;
  }
  const JsonValue json = JsonValue::object({{"tracking_uri", client.tracking_uri()},
                                            {"store", store_kind(client.tracking_uri())},
                                            {"protocol_version", mlflow::kPinnedMlflowVersion},
                                            {"client_version", mlflow::kVersion},
                                            {"workspaces_enabled", workspaces},
                                            {"latency_ms", p.latency_ms}});
  emit(context, json, fields_table(json));
}

}  // namespace

void add_doctor_commands(CLI::App& app, Context& context) {
  auto* doctor_cmd =
      add_command(app, "doctor",
                  "Check the setup: versions, configuration, connectivity, authentication, "
                  "workspace, artifacts, OTLP export, governance attributes; each problem with "
                  "its fix",
                  "MLFLOW_TRACKING_URI=http://localhost:5000 mlflow-cpp doctor");
  doctor_cmd->callback([&context] { doctor(context); });

  auto* info = add_command(app, "server-info", "What the tracking store offers",
                           "mlflow-cpp --tracking-uri http://localhost:5000 server-info --json");
  info->callback([&context] { server_info(context); });
}

}  // namespace mlflow_cli
