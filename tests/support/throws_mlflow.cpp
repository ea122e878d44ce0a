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

CaughtError expect_mlflow_error(const std::function<void()>& call, ErrorCode code) {
  try {
    call();
  } catch (const MlflowException& e) {
    EXPECT_EQ(e.error_code(), code) << e.what();
    return CaughtError{e.what(), e.http_status(), is_not_found(e), is_already_exists(e)};
  }
  ADD_FAILURE() << "expected an MlflowException with code " << error_code_name(code);
  return CaughtError{"no exception"};
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& e) {
    return std::string(error_code_name(e.error_code())) + ": " + e.what();
  }
  return "no error";
}

}  // namespace mlflow::testing
