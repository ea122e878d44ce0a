// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The active model (Python's ActiveModelContext): one per thread, defaulting to
// MLFLOW_ACTIVE_MODEL_ID (or the legacy _MLFLOW_ACTIVE_MODEL_ID); traces started anywhere in
// the process record the calling thread's, else the one every thread agrees on.

#include <optional>
#include <string>

namespace mlflow::internal {

std::optional<std::string> active_model_id_this_thread();
void set_active_model_id_this_thread(std::optional<std::string> model_id);
/// Remembers the model last created through the fluent API on this thread (Python's
/// _last_logged_model_id), for last_logged_model().
void set_last_logged_model_id(const std::string& model_id);
/// Python's _get_active_model_id_global.
std::optional<std::string> active_model_id_global();

}  // namespace mlflow::internal
