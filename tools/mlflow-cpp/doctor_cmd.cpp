// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// `mlflow-cpp doctor` (is the setup usable: URI, environment, store reachable) and
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
#include "mlflow/version.hpp"
#include "output.hpp"

extern char** environ;

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

bool is_secret(const std::string& name) {
  for (const char* word : {"TOKEN", "PASSWORD", "SECRET", "KEY"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

// MLflow's variables as set, secrets masked: they never reach the output.
JsonValue mlflow_environment() {
  JsonValue env = JsonValue::object();
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto eq = text.find('=');
    const std::string name = text.substr(0, eq);
    if (name.rfind("MLFLOW_", 0) != 0) continue;
    env.set(name, is_secret(name) ? std::string("***") : text.substr(eq + 1));
  }
  return env;
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

void doctor(Context& context) {
  mlflow::MlflowClient client = probe_client(context);
  const Probe p = probe(client);
  const JsonValue env = mlflow_environment();
  JsonValue json = JsonValue::object({{"version", mlflow::kVersion},
                                      {"mlflow_version", mlflow::kPinnedMlflowVersion},
                                      {"tracking_uri", client.tracking_uri()},
                                      {"store", store_kind(client.tracking_uri())},
                                      {"reachable", p.reachable},
                                      {"latency_ms", p.latency_ms},
                                      {"error", p.error.empty() ? JsonValue() : JsonValue(p.error)},
                                      {"environment", env}});
  Table table({"Check", "Result"});
  table.add({"mlflow-cpp", std::string(mlflow::kVersion) + " (MLflow " +
                               mlflow::kPinnedMlflowVersion + " protocol and schema)"});
  table.add(
      {"tracking URI", client.tracking_uri() + " (" + store_kind(client.tracking_uri()) + ")"});
  table.add({"store reachable",
             p.reachable ? "yes (" + format_number(p.latency_ms) + " ms)" : "NO: " + p.error});
  for (const auto& [name, value] : env.as_object()) table.add({name, value.as_string()});
  emit(context, json, table);
  command_exit_status() = p.exit_code;
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
      add_command(app, "doctor", "Check the setup: tracking URI, MLflow variables, store reachable",
                  "MLFLOW_TRACKING_URI=http://localhost:5000 mlflow-cpp doctor");
  doctor_cmd->callback([&context] { doctor(context); });

  auto* info = add_command(app, "server-info", "What the tracking store offers",
                           "mlflow-cpp --tracking-uri http://localhost:5000 server-info --json");
  info->callback([&context] { server_info(context); });
}

}  // namespace mlflow_cli
