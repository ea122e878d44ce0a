// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "mlflow/governance.hpp"
#include "mlflow/governance_export.hpp"
#include "mlflow/json_value.hpp"
#include "tracing/otlp_collector.hpp"

namespace mlflow::governance {

std::function<void(const GovernanceSpan&)> otlp_span_exporter() {
  return [](const GovernanceSpan& span) {
    using std::chrono::duration_cast;
    using std::chrono::nanoseconds;
    const std::int64_t start =
        duration_cast<nanoseconds>(span.start_time.time_since_epoch()).count();
    const std::int64_t end = start + span.duration.count();
    JsonValue attributes = JsonValue::object();
    for (const auto& [key, value] : span.attributes) attributes[key] = value;
    if (!span.ok) attributes["genops.error"] = span.error_message;
    // Collector only: these spans are telemetry about MLflow calls, not traces of the user's
    // application, so they stay out of the experiment's trace list.
    internal::tracing::export_standalone_span(
        internal::tracing::make_standalone_span(span.name, start, end, std::move(attributes)),
        std::nullopt);
  };
}

}  // namespace mlflow::governance
