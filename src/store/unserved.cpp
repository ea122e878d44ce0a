// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "store/unserved.hpp"

namespace mlflow::internal {

void Unserved::raise(const char* operation) const {
  throw_error(code_, std::string(operation) + ": " + message_);
}

}  // namespace mlflow::internal
