// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The governance cost model: what an MLflow operation costs, with GenOps' default prices
/// (tracking call $0.0001, registry call $0.0005, storage per GB-month by backend, prorated
/// daily, local storage free) or a user's pricing table. See docs/adr/0027-governance.md.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "mlflow/operation_hook.hpp"

namespace mlflow::governance {

/// Prices in USD. The defaults are GenOps'.
struct PricingTable {
  /// Per call of the program (depth 0) on experiments, runs, metrics, params, tags, logged
  /// models, traces and workspaces.
  double tracking_operation = 0.0001;
  /// Per call on registered models, model versions and prompts.
  double registry_operation = 0.0005;
  /// Per operation name, replacing the two prices above (e.g. {"log_batch", 0.0002}).
  std::map<std::string, double, std::less<>> operation_prices{};
  /// Storage per GB-month by backend ("local", "s3", "azure", "gcs", or a user's name).
  std::map<std::string, double, std::less<>> storage_per_gb_month{
      {"local", 0.0}, {"s3", 0.023}, {"azure", 0.020}, {"gcs", 0.020}};
  /// Days a GB-month is prorated over (GenOps: 30).
  double days_per_month = 30.0;
  /// The backend of artifact roots that do not name one: `mlflow-artifacts:` (proxied by the
  /// server) and unknown schemes.
  std::string default_storage_backend = "local";
};

/// Prices operations with a PricingTable. Thread-safe (immutable).
class CostModel {
 public:
  explicit CostModel(PricingTable pricing = {});

  /// One day of storage of `bytes` on `backend`: bytes / 1024^3 GB * price / days_per_month.
  /// 0 for a backend without a price.
  double storage_cost_per_day(std::uint64_t bytes, std::string_view backend) const;
  /// The per-call price of an operation (0 for nested calls, depth > 0, and for artifact
  /// transfers, which pay for storage instead).
  double call_cost(const Operation& operation) const;
  /// What `operation` costs: its call price plus, for an upload, one day of storage of its
  /// bytes on the backend of `artifact_uri` (the operation's own when empty).
  double operation_cost(const Operation& operation, std::string_view artifact_uri = {}) const;

  /// "s3" (s3://), "azure" (wasbs://, abfss://), "gcs" (gs://), "local" (file:, plain paths),
  /// else the table's default_storage_backend.
  std::string storage_backend_of(std::string_view artifact_uri) const;

  const PricingTable& pricing() const noexcept { return pricing_; }

 private:
  PricingTable pricing_;
};

}  // namespace mlflow::governance
