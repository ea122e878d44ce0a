// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/no_wait_hooks.hpp"

namespace mlflow::testing {

internal::RetryHooks no_wait_retry_hooks() {
  internal::RetryHooks hooks;
  hooks.sleep = [](std::chrono::milliseconds) {};
  hooks.random = [] { return 0.0; };
  return hooks;
}

}  // namespace mlflow::testing
