// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The governance cost model (GenOps' formulas: per call, per GB-month prorated daily).
#include <cmath>

#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/governance_cost.hpp"

namespace mlflow::governance {
namespace {

constexpr double kBytesPerGigabyte = 1024.0 * 1024.0 * 1024.0;

void require_price(double price, const std::string& what) {
  if (!std::isfinite(price) || price < 0) {
    throw_error(ErrorCode::kInvalidParameterValue, "Governance pricing: " + what +
                                                       " must be a finite price >= 0 (USD), got " +
                                                       std::to_string(price) + ".");
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && internal::iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

CostModel::CostModel(PricingTable pricing) : pricing_(std::move(pricing)) {
  require_price(pricing_.tracking_operation, "tracking_operation");
  require_price(pricing_.registry_operation, "registry_operation");
  for (const auto& [name, price] : pricing_.operation_prices) {
    require_price(price, "operation_prices['" + name + "']");
  }
  for (const auto& [backend, price] : pricing_.storage_per_gb_month) {
    require_price(price, "storage_per_gb_month['" + backend + "']");
  }
  if (!std::isfinite(pricing_.days_per_month) || pricing_.days_per_month <= 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Governance pricing: days_per_month must be a number > 0 (GenOps uses 30).");
  }
}

double CostModel::storage_cost_per_day(std::uint64_t bytes, std::string_view backend) const {
  const auto price = pricing_.storage_per_gb_month.find(backend);
  if (price == pricing_.storage_per_gb_month.end()) return 0.0;
  return static_cast<double>(bytes) / kBytesPerGigabyte * price->second / pricing_.days_per_month;
}

double CostModel::call_cost(const Operation& operation) const {
  if (operation.depth != 0) return 0.0;
  const auto named = pricing_.operation_prices.find(operation.name);
  if (named != pricing_.operation_prices.end()) return named->second;
  switch (operation.kind) {
    case OperationKind::kRegistry:
    case OperationKind::kPrompt:
      return pricing_.registry_operation;
    case OperationKind::kArtifactUpload:
    case OperationKind::kArtifactDownload:
      return 0.0;
    default:
      return pricing_.tracking_operation;
  }
}

double CostModel::operation_cost(const Operation& operation, std::string_view artifact_uri) const {
  double cost = call_cost(operation);
  if (operation.kind == OperationKind::kArtifactUpload && operation.bytes > 0) {
    const std::string_view uri =
        artifact_uri.empty() ? std::string_view(operation.target.artifact_uri) : artifact_uri;
    cost += storage_cost_per_day(operation.bytes, storage_backend_of(uri));
  }
  return cost;
}

std::string CostModel::storage_backend_of(std::string_view artifact_uri) const {
  if (starts_with(artifact_uri, "s3://") || starts_with(artifact_uri, "s3a://")) return "s3";
  if (starts_with(artifact_uri, "wasbs://") || starts_with(artifact_uri, "wasb://") ||
      starts_with(artifact_uri, "abfss://")) {
    return "azure";
  }
  if (starts_with(artifact_uri, "gs://")) return "gcs";
  if (starts_with(artifact_uri, "file:") || starts_with(artifact_uri, "/")) return "local";
  return pricing_.default_storage_backend;
}

}  // namespace mlflow::governance
