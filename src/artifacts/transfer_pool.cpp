// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "artifacts/transfer_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace mlflow::internal {

void run_bounded(std::size_t count, int max_parallel, const std::function<void(std::size_t)>& job) {
  const std::size_t workers =
      std::min<std::size_t>(count, static_cast<std::size_t>(std::clamp(max_parallel, 1, 64)));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  const auto work = [&] {
    while (!failed.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

TransferProgress::TransferProgress(std::function<void(const ArtifactProgress&)> callback,
                                   std::int64_t bytes_total, std::int64_t files_total)
    : callback_(std::move(callback)) {
  state_.bytes_total = bytes_total;
  state_.files_total = files_total;
}

void TransferProgress::add(std::int64_t delta, std::int64_t files) {
  if (!callback_ || (delta == 0 && files == 0)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  state_.bytes_done += delta;
  state_.files_done += files;
  callback_(state_);
}

void TransferProgress::track_file(std::int64_t size,
                                  const std::function<void(const ByteProgress&)>& transfer) {
  if (!callback_) {
    transfer(ByteProgress());
    return;
  }
  // The sink runs on the thread doing this file's transfer, so `reported` needs no lock.
  std::int64_t reported = 0;
  transfer([this, &reported](std::int64_t now) {
    add(now - reported, 0);
    reported = now;
  });
  add(size - reported, 1);
}

}  // namespace mlflow::internal
