// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Retry schedules without waiting: the hooks a test gives a retrying component.

#include "core/clock.hpp"

namespace mlflow::testing {

/// Retry hooks that never sleep and always draw 0, so retry schedules run instantly.
internal::RetryHooks no_wait_retry_hooks();

}  // namespace mlflow::testing
