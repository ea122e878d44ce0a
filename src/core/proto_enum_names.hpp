// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The proto (wire) spellings of the enums whose Python names differ from them.
#pragma once

#include <string>

#include "mlflow/logged_model.hpp"
#include "mlflow/span_data.hpp"

namespace mlflow::internal {

// LOGGED_MODEL_READY for kReady (Python's READY), as the REST API takes it.
const char* logged_model_status_proto_name(LoggedModelStatus status) noexcept;

// STATUS_CODE_OK for kOk, as OpenTelemetry's span status spells it.
std::string otel_status_code_name(SpanStatusCode code);

}  // namespace mlflow::internal
