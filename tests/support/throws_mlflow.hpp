// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Checks of the typed errors the SDK throws: a gMock matcher for "throws this MLflow error
// code", and the message of an expected refusal for tests that check its wording.

#include <gmock/gmock.h>

#include <functional>
#include <string>

#include "mlflow/errors.hpp"

namespace mlflow::testing {

/// Matches a callable that throws an MlflowException whose error_code() is `code`:
///   EXPECT_THAT([&] { client.get_run(id); }, ThrowsMlflow(ErrorCode::kResourceDoesNotExist));
inline auto ThrowsMlflow(ErrorCode code) {
  return ::testing::Throws<MlflowException>(
      ::testing::ResultOf([](const MlflowException& e) { return e.error_code(); }, code));
}

/// The same, and the exception is an E (NotFound, Unavailable, ...): the class callers catch.
template <typename E>
auto ThrowsMlflowAs(ErrorCode code) {
  return ::testing::Throws<E>(::testing::ResultOf([](const E& e) { return e.error_code(); }, code));
}

/// The same, with a matcher of what() as well, e.g. HasSubstr("Expected one of").
template <typename MessageMatcher>
auto ThrowsMlflow(ErrorCode code, MessageMatcher message) {
  return ::testing::Throws<MlflowException>(::testing::AllOf(
      ::testing::ResultOf([](const MlflowException& e) { return e.error_code(); }, code),
      ::testing::ResultOf([](const MlflowException& e) { return std::string(e.what()); },
                          message)));
}

/// What a failing call threw, as values: a copy of the exception would lose its class, which
/// is_not_found / is_already_exists read.
struct CaughtError {
  std::string message;
  int http_status = 0;
  bool not_found = false;
  bool already_exists = false;
  const char* what() const { return message.c_str(); }
};

/// Runs `call`, expects an MlflowException whose error_code() is `code`, and returns what it
/// threw. When nothing is thrown, the test fails and the message is "no exception".
CaughtError expect_mlflow_error(const std::function<void()>& call, ErrorCode code);

/// Runs `call`, which must refuse its input the way Python's MLflow does (InvalidArgument with
/// INVALID_PARAMETER_VALUE), and returns the message for checks of its wording. When it throws
/// nothing, the test fails and "" is returned.
std::string refusal_message(const std::function<void()>& call);

/// What `call` threw, as "ERROR_CODE_NAME: message", or "no error": for tables of refusals
/// whose code and wording are checked together.
std::string error_of(const std::function<void()>& call);

}  // namespace mlflow::testing
