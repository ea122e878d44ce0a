// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "support/throws_mlflow.hpp"

namespace mlflow::testing {

std::string refusal_message(const std::function<void()>& call) {
  try {
    call();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
    return e.what();
  }
  ADD_FAILURE() << "expected InvalidArgument, but the call was accepted";
  return "";
}

}  // namespace mlflow::testing
