// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Governance spans to OpenTelemetry: the callback that hands each governed operation's span
// (GovernanceOptions::on_span) to the tracing exporter, which sends it over OTLP/HTTP to the
// collector named by OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (ADR 0028), batched and
// asynchronously, with the process's OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES.

#include <functional>

namespace mlflow::governance {

struct GovernanceSpan;

/// A callback for GovernanceOptions::on_span that queues each span for the OpenTelemetry
/// collector (never blocking; the queue's bound and flush are the tracing exporter's:
/// flush_trace_async_logging waits for them). A Governance made without on_span uses it by
/// itself when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
/// Each span is a one-span trace named "mlflow.<operation>" with its attributes as text.
/// Thread-safe.
std::function<void(const GovernanceSpan&)> otlp_span_exporter();

}  // namespace mlflow::governance
