// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.

#include "mlflow/active_run.hpp"

#include <exception>
#include <utility>

#include "core/log.hpp"
#include "fluent/state.hpp"
#include "mlflow/fluent.hpp"

namespace mlflow {

ActiveRun make_active_run(Run run, unsigned long long token) {
  return ActiveRun(std::move(run), token);
}

ActiveRun::ActiveRun(Run run, unsigned long long token) noexcept
    : run_(std::move(run)), token_(token), uncaught_at_start_(std::uncaught_exceptions()) {}

// The moved-to object may live in another scope: it compares against the exceptions in flight
// where it was constructed.
ActiveRun::ActiveRun(ActiveRun&& other) noexcept
    : run_(std::move(other.run_)),
      token_(std::exchange(other.token_, 0)),
      uncaught_at_start_(std::uncaught_exceptions()) {}

ActiveRun& ActiveRun::operator=(ActiveRun&& other) noexcept {
  if (this != &other) {
    end_quietly();
    run_ = std::move(other.run_);
    token_ = std::exchange(other.token_, 0);
    uncaught_at_start_ = std::uncaught_exceptions();
  }
  return *this;
}

ActiveRun::~ActiveRun() { end_quietly(); }

void ActiveRun::end_quietly() noexcept {
  if (token_ == 0) return;
  const RunStatus status =
      std::uncaught_exceptions() > uncaught_at_start_ ? RunStatus::kFailed : RunStatus::kFinished;
  try {
    end(status);
  } catch (const std::exception& e) {
    internal::log(LogLevel::kError, "mlflow: could not end run " + run_.info.run_id + " as " +
                                        to_string(status) + ": " + e.what());
  } catch (...) {
    internal::log(LogLevel::kError, "mlflow: could not end run " + run_.info.run_id);
  }
}

void ActiveRun::end(RunStatus status) {
  const auto token = std::exchange(token_, 0);
  if (token == 0) return;
  auto client = internal::deactivate(token, run_.info.run_id);
  if (!client) return;
  SetTerminatedOptions options;
  options.status = status;
  client->set_terminated(run_.info.run_id, options);
}

void ActiveRun::detach() noexcept { token_ = 0; }

bool ActiveRun::owns_run() const {
  if (token_ == 0) return false;
  for (const auto& [token, id] : internal::all_active_runs()) {
    if (token == token_) return true;
  }
  return false;
}

}  // namespace mlflow
