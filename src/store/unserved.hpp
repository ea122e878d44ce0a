// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// What a store seam answers for a call its store does not serve. Every seam method has a
// default body that throws the store's Unserved error (google-cloud-cpp's "unimplemented"
// connection style), so a backend without a domain is the bare seam built with a reason, e.g.
// `std::make_shared<RegistryStore>(Unserved{code, "MLFLOW_REGISTRY_URI: ..."})`, instead of a
// class of failing overrides; and a store (or a test double) overrides only what it serves.

#include <string>
#include <utility>

#include "mlflow/errors.hpp"

namespace mlflow::internal {

class Unserved {
 public:
  Unserved(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  /// Throws MlflowException(code, "<operation>: <message>").
  [[noreturn]] void raise(const char* operation) const;

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace mlflow::internal
