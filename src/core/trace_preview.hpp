// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The request and response previews of a trace (TraceInfo.request_preview/response_preview),
// as Python MLflow 3.18 derives them from the root span's serialized inputs and outputs
// (mlflow/tracing/utils/truncation.py): for chat payloads the text of the last message of the
// role, otherwise the JSON text itself, NULs replaced, at most 1000 characters. Both the client
// (when a trace ends) and the SQL store (log_spans) compute them this way.

#include <optional>
#include <string>

namespace mlflow::internal {

/// MLflow OSS's limit (TRACE_REQUEST_RESPONSE_PREVIEW_MAX_LENGTH_OSS), in characters.
inline constexpr std::size_t kTracePreviewMaxLength = 1000;

/// Python's _get_truncated_preview(serialized, role) for a serialized (JSON text) value;
/// `role` is "user" for requests and "assistant" for responses.
std::string truncated_preview(const std::string& serialized, const std::string& role);

/// Python's _replace_nul: every NUL becomes U+FFFD (PostgreSQL text cannot hold NUL).
std::string replace_nul(const std::string& text);

}  // namespace mlflow::internal
