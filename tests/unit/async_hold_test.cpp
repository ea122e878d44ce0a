// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The async layer's hold through outages (async/hold.hpp), shared by asynchronous logging and
// the trace exporter: which failures are waited out, for how long, and the deadline.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "async/hold.hpp"
#include "support/no_wait_hooks.hpp"

namespace mlflow::internal {
namespace {

using std::chrono::milliseconds;

TEST(AsyncHold, TransientFailuresAreWaitedOutOnTheSharedSchedule) {
  RetryHooks hooks = testing::no_wait_retry_hooks();
  std::vector<milliseconds> pauses;
  hooks.sleep = [&](milliseconds pause) { pauses.push_back(pause); };
  Deadline deadline("test deadline");
  int calls = 0;
  int held = 0;
  const HoldResult result = hold_through_outage(
      [&] {
        if (++calls <= 3) throw MlflowException(ErrorCode::kTemporarilyUnavailable, "down");
      },
      milliseconds(60000), deadline, hooks,
      [&](const MlflowException& e, milliseconds) {
        EXPECT_EQ(e.error_code(), ErrorCode::kTemporarilyUnavailable);
        ++held;
      });
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kSent);
  EXPECT_FALSE(result.error);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(held, 3);
  // 100 ms doubling (no jitter with these hooks).
  EXPECT_EQ(pauses,
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)}));
}

TEST(AsyncHold, APermanentFailureEndsTheHoldAtOnce) {
  Deadline deadline("test deadline");
  int calls = 0;
  const HoldResult result = hold_through_outage(
      [&] {
        ++calls;
        throw MlflowException(ErrorCode::kInvalidParameterValue, "bad request", 400);
      },
      milliseconds(60000), deadline, testing::no_wait_retry_hooks());
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kFailed);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->error_code(), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(calls, 1);
}

TEST(AsyncHold, StillFailingAfterMaxOutageIsGivenUpWithTheLastError) {
  Deadline deadline("test deadline");
  const HoldResult result = hold_through_outage(
      [&] { throw MlflowException(ErrorCode::kTemporarilyUnavailable, "still down", 503); },
      milliseconds(0), deadline, testing::no_wait_retry_hooks());
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kFailed);
  ASSERT_TRUE(result.error);
  EXPECT_STREQ(result.error->what(), "still down");
}

TEST(AsyncHold, ADeadlineMovedDuringTheHoldEndsItWithTheLastAnswer) {
  Deadline deadline("the test's deadline");
  RetryHooks hooks = testing::no_wait_retry_hooks();
  int calls = 0;
  hooks.sleep = [&](milliseconds) {
    if (calls == 2) deadline.expire_at(std::chrono::steady_clock::now());
  };
  const HoldResult result = hold_through_outage(
      [&] {
        ++calls;
        throw MlflowException(ErrorCode::kTemporarilyUnavailable, "connection refused");
      },
      milliseconds(60000), deadline, hooks);
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kDeadline);
  ASSERT_TRUE(result.error);
  EXPECT_STREQ(result.error->what(), "connection refused");
  EXPECT_EQ(calls, 2);
}

TEST(AsyncHold, NothingIsSentOnceTheDeadlineHasPassed) {
  Deadline deadline("test deadline", std::chrono::steady_clock::now());
  int calls = 0;
  const HoldResult result = hold_through_outage([&] { ++calls; }, milliseconds(60000), deadline,
                                                testing::no_wait_retry_hooks());
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kDeadline);
  EXPECT_EQ(calls, 0);
}

TEST(AsyncHold, OtherExceptionsArePermanentInternalErrors) {
  Deadline deadline("test deadline");
  const HoldResult result =
      hold_through_outage([] { throw std::runtime_error("boom"); }, milliseconds(60000), deadline,
                          testing::no_wait_retry_hooks());
  EXPECT_EQ(result.outcome, HoldResult::Outcome::kFailed);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->error_code(), ErrorCode::kInternalError);
}

}  // namespace
}  // namespace mlflow::internal
