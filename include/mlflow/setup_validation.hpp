// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// validate_setup() and doctor(): is this process's MLflow setup usable, and if not, what to
/// change. Python's mlflow.doctor() prints versions, URIs and variables; the GenOps seed's
/// validate_setup() returns a machine-readable verdict with a fix for each problem. Both are
/// here: one result (struct and JSON) from checks of versions, configuration, connectivity,
/// server version, authentication, workspaces, artifact access, OpenTelemetry export and
/// governance attributes. Secrets (tokens, passwords, header values) never appear in it.

#include <chrono>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/client_options.hpp"
#include "mlflow/json_value.hpp"

namespace mlflow {

enum class CheckStatus {
  kPassed,
  /// Usable, but something is likely wrong or missing (e.g. no governance attributes).
  kWarning,
  /// Not usable as configured: the setup does not pass.
  kFailed,
  /// Not run (switched off, or an earlier check failed so that it could not run).
  kSkipped,
};
/// "passed", "warning", "failed", "skipped".
const char* check_status_name(CheckStatus status) noexcept;

/// The outcome of one check.
struct SetupCheck {
  /// "dependencies", "configuration", "connectivity", "server_version", "authentication",
  /// "workspace", "artifact_access", "otlp_export", "governance".
  std::string name{};
  CheckStatus status = CheckStatus::kPassed;
  /// What was found (for a problem: what is wrong, with the store's answer).
  std::string detail{};
  /// What to do about it; empty when passed.
  std::string fix{};
};

struct ValidateSetupOptions {
  /// The client settings to check (tracking URI, credentials, workspace, TLS...); unset
  /// fields come from the environment as for MlflowClient.
  ClientOptions client{};
  /// Reach the store: connectivity, server version, authentication, workspace.
  bool check_connectivity = true;
  /// Write, read back and delete a few bytes under the Default experiment's artifact
  /// location (in a directory of its own), or only list when `artifact_write` is false.
  bool check_artifacts = true;
  bool artifact_write = true;
  /// GENOPS_* attribution variables present or missing (the GenOps seed's names).
  bool check_governance = true;
  /// OpenTelemetry export configuration, and the collector reachable (an empty OTLP request).
  bool check_otlp = true;
  /// Per request; no retries, so that an unreachable store answers at once.
  std::chrono::milliseconds timeout{10000};
};

struct ValidationResult {
  /// No check failed.
  bool passed = true;
  std::vector<SetupCheck> checks{};
  /// mlflow-cpp, the MLflow protocol it speaks, libcurl, SQLite, nlohmann_json, the compiler.
  std::map<std::string, std::string> dependencies{};
  /// Tracking/registry URI, store kind, workspace, OTLP endpoint and the MLFLOW_*, OTEL_* and
  /// GENOPS_* variables set (secret ones as "***"; all of them with doctor's mask_envs).
  std::map<std::string, std::string> configuration{};
  /// reachable, latency_ms, server_version, workspaces_enabled, authenticated (as text).
  std::map<std::string, std::string> connectivity{};

  /// The failed and warning checks (the seed's `issues`).
  std::vector<SetupCheck> issues() const;
  /// The check of that name, or nullptr.
  const SetupCheck* check(const std::string& name) const noexcept;
  /// {"passed", "checks": [{"name","status","detail","fix"}], "dependencies",
  ///  "configuration", "connectivity"}.
  JsonValue to_json() const;
};

/// Runs the checks. Never throws for a setup problem (that is a failed check); throws only
/// for what the process itself cannot do (out of memory).
ValidationResult validate_setup(const ValidateSetupOptions& options = {});

/// Python's mlflow.doctor(mask_envs): validate_setup() with the defaults, printed as a report
/// (each check, then each problem with its fix) on `out`; returns the same result.
/// `mask_envs` masks every variable's value, not only the secret ones.
ValidationResult doctor(bool mask_envs = false);
ValidationResult doctor(std::ostream& out, bool mask_envs = false);
/// The report doctor() prints.
void print_validation_result(const ValidationResult& result, std::ostream& out);

}  // namespace mlflow
