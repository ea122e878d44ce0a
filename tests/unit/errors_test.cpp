// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/errors.hpp"

#include <gtest/gtest.h>

#include "mlflow/run_status.hpp"
#include "mlflow/view_type.hpp"

namespace mlflow {
namespace {

TEST(Errors, WireNamesRoundTrip) {
  for (ErrorCode c : {ErrorCode::kResourceDoesNotExist, ErrorCode::kInvalidParameterValue,
                      ErrorCode::kResourceAlreadyExists, ErrorCode::kTemporarilyUnavailable}) {
    EXPECT_EQ(error_code_from_name(error_code_name(c)), c);
  }
  EXPECT_EQ(error_code_from_name("3002"), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(error_code_from_name("SOMETHING_NEW"), ErrorCode::kUnknown);
}

TEST(Errors, HttpStatusesFollowTheServerMapping) {
  EXPECT_EQ(http_status_for(ErrorCode::kResourceAlreadyExists), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kResourceDoesNotExist), 404);
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidState), 500);
  EXPECT_EQ(http_status_for(ErrorCode::kTemporarilyUnavailable), 503);
}

template <typename T>
void expect_thrown_as(ErrorCode code) {
  try {
    throw_error(code, "msg", 123, error_code_name(code));
  } catch (const T& e) {
    EXPECT_EQ(e.error_code(), code);
    EXPECT_EQ(e.http_status(), 123);
    EXPECT_EQ(e.server_error_code(), error_code_name(code));
    EXPECT_STREQ(e.what(), "msg");
    return;
  } catch (...) {
  }
  ADD_FAILURE() << "wrong class for " << error_code_name(code);
}

TEST(Errors, ThrowErrorPicksTheSubclass) {
  expect_thrown_as<NotFound>(ErrorCode::kResourceDoesNotExist);
  expect_thrown_as<NotFound>(ErrorCode::kEndpointNotFound);
  expect_thrown_as<AlreadyExists>(ErrorCode::kResourceAlreadyExists);
  expect_thrown_as<InvalidArgument>(ErrorCode::kInvalidParameterValue);
  expect_thrown_as<InvalidArgument>(ErrorCode::kBadRequest);
  expect_thrown_as<PermissionDenied>(ErrorCode::kPermissionDenied);
  expect_thrown_as<Unauthenticated>(ErrorCode::kUnauthenticated);
  expect_thrown_as<Unavailable>(ErrorCode::kTemporarilyUnavailable);
  expect_thrown_as<DeadlineExceeded>(ErrorCode::kDeadlineExceeded);
  expect_thrown_as<MlflowException>(ErrorCode::kInternalError);
}

TEST(Errors, GoStyleHelpers) {
  const NotFound nf(ErrorCode::kResourceDoesNotExist, "x");
  EXPECT_TRUE(is_not_found(nf));
  EXPECT_FALSE(is_already_exists(nf));
  EXPECT_FALSE(is_not_found(std::runtime_error("x")));
}

TEST(Enums, WireNames) {
  EXPECT_STREQ(to_string(RunStatus::kKilled), "KILLED");
  EXPECT_EQ(run_status_from_string("FAILED"), RunStatus::kFailed);
  EXPECT_THROW(run_status_from_string("finished"), InvalidArgument);
  EXPECT_STREQ(to_string(ViewType::kDeletedOnly), "DELETED_ONLY");
  EXPECT_EQ(view_type_from_string("ALL"), ViewType::kAll);
  EXPECT_TRUE(is_terminated(RunStatus::kFinished));
  EXPECT_FALSE(is_terminated(RunStatus::kRunning));
}

// Python 3.18's ViewType.from_string takes "active_only", "deleted_only", "all" (only lower
// case); the proto and earlier mlflow-cpp use the upper-case names. Both are accepted.
TEST(Enums, ViewTypeNamesInBothCases) {
  EXPECT_EQ(view_type_from_string("active_only"), ViewType::kActiveOnly);
  EXPECT_EQ(view_type_from_string("deleted_only"), ViewType::kDeletedOnly);
  EXPECT_EQ(view_type_from_string("all"), ViewType::kAll);
  EXPECT_EQ(view_type_from_string("ACTIVE_ONLY"), ViewType::kActiveOnly);
  EXPECT_EQ(view_type_from_string("DELETED_ONLY"), ViewType::kDeletedOnly);
  for (const char* bad : {"Active_Only", "All", "active", "", " all"}) {
    EXPECT_THROW(view_type_from_string(bad), InvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace mlflow
