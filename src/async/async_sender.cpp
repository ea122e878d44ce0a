// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "async/async_sender.hpp"

#include <exception>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "async/hold.hpp"
#include "core/log.hpp"
#include "core/mlflow_limits.hpp"
#include "mlflow/errors.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {
namespace {

// Entries of one run are collected into requests this many full requests at a time, so that a
// round of a million points is not turned into one huge copy before the first request.
constexpr std::size_t kWindowItems = 10 * kMaxEntitiesPerBatch;

}  // namespace

// One run's entries of a round, as request items: metrics, params and tags in logging order,
// a repeated tag key taking the later value (tags are last-write-wins), a repeated param key
// closing the window (one request must not name a param twice, and the later value must
// arrive later).
struct AsyncSender::RunWindow {
  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<RunTag> tags;
  std::vector<std::uint32_t> tag_absorbed;  // entries each tag replaced
  std::unordered_set<std::string> param_keys;
  std::unordered_map<std::string, std::size_t> tag_index;

  std::size_t items() const { return metrics.size() + params.size() + tags.size(); }
  void clear() {
    metrics.clear();
    params.clear();
    tags.clear();
    tag_absorbed.clear();
    param_keys.clear();
    tag_index.clear();
  }
};

AsyncSender::AsyncSender(std::shared_ptr<TrackingStore> store, RetryHooks hooks,
                         const Deadline& deadline, Report report)
    : store_(std::move(store)),
      hooks_(std::move(hooks)),
      deadline_(deadline),
      report_(std::move(report)) {
  const RetryHooks defaults = default_retry_hooks();
  if (!hooks_.sleep) hooks_.sleep = defaults.sleep;
  if (!hooks_.random) hooks_.random = defaults.random;
}

void AsyncSender::send_round(std::vector<AsyncBuffer>& buffers,
                             std::chrono::milliseconds max_outage) {
  // Group by run, keeping each thread's order; runs are few, so a linear scan is fine.
  struct RunWork {
    const std::string* run_id;
    std::vector<AsyncEntry*> entries;
  };
  std::vector<RunWork> work;
  for (AsyncBuffer& b : buffers) {
    std::size_t current = work.size();
    std::uint32_t current_run = UINT32_MAX;
    for (AsyncEntry& e : b.entries) {
      if (e.run != current_run) {
        current_run = e.run;
        const std::string& id = b.runs[e.run];
        current = work.size();
        for (std::size_t i = 0; i < work.size(); ++i) {
          if (*work[i].run_id == id) current = i;
        }
        if (current == work.size()) work.push_back(RunWork{&id, {}});
      }
      work[current].entries.push_back(&e);
    }
  }

  RunWindow window;
  for (RunWork& run : work) {
    const std::string& run_id = *run.run_id;
    for (AsyncEntry* e : run.entries) {
      if (deadline_.expired()) {
        // Nothing more goes out; what is left is only counted.
        EntryCounts left;
        left.add(e->kind);
        count_undelivered(run_id, left);
        continue;
      }
      switch (e->kind) {
        case AsyncEntry::Kind::kMetric: {
          Metric m;
          m.key = std::move(e->key);
          m.value = e->value;
          m.timestamp = e->timestamp;
          m.step = e->step;
          if (e->extras) {
            m.model_id = std::move(e->extras->model_id);
            m.dataset_name = std::move(e->extras->dataset_name);
            m.dataset_digest = std::move(e->extras->dataset_digest);
          }
          window.metrics.push_back(std::move(m));
          break;
        }
        case AsyncEntry::Kind::kParam:
          if (window.param_keys.count(e->key) != 0) send_window(run_id, window, max_outage);
          window.param_keys.insert(e->key);
          window.params.push_back(Param{std::move(e->key), std::move(e->text)});
          break;
        case AsyncEntry::Kind::kTag: {
          const auto it = window.tag_index.find(e->key);
          if (it != window.tag_index.end()) {
            window.tags[it->second].value = std::move(e->text);
            ++window.tag_absorbed[it->second];
            break;
          }
          window.tag_index.emplace(e->key, window.tags.size());
          window.tags.push_back(RunTag{std::move(e->key), std::move(e->text)});
          window.tag_absorbed.push_back(0);
          break;
        }
      }
      if (window.items() >= kWindowItems) send_window(run_id, window, max_outage);
    }
    send_window(run_id, window, max_outage);
  }
}

void AsyncSender::send_window(const std::string& run_id, RunWindow& window,
                              std::chrono::milliseconds max_outage) {
  if (window.items() == 0) return;
  for (const BatchChunk& chunk : split_batch(window.metrics, window.params, window.tags)) {
    // Tags that a later value replaced within the window share the fate of the one sent.
    EntryCounts counts;
    counts.metrics = chunk.metrics.size();
    counts.params = chunk.params.size();
    counts.tags = chunk.tags.size();
    const std::size_t first_tag =
        chunk.tags.empty() ? 0 : static_cast<std::size_t>(chunk.tags.begin() - window.tags.data());
    for (std::size_t i = 0; i < chunk.tags.size(); ++i) {
      counts.tags += window.tag_absorbed[first_tag + i];
    }
    send_chunk(run_id, chunk, counts, max_outage);
  }
  window.clear();
}

bool AsyncSender::send_chunk(const std::string& run_id, const BatchChunk& chunk,
                             const EntryCounts& counts, std::chrono::milliseconds max_outage) {
  // Held, not dropped: log_batch is safe to repeat (MLflow ignores a point it already has), so
  // a request that reached the server before the failure duplicates nothing.
  const HoldResult result = hold_through_outage(
      [&] {
        requests_.fetch_add(1, std::memory_order_relaxed);
        store_->log_batch(run_id, chunk.metrics, chunk.params, chunk.tags);
      },
      max_outage, deadline_, hooks_,
      [&](const MlflowException& e, std::chrono::milliseconds pause) {
        last_failure_ = e.what();
        resends_.fetch_add(1, std::memory_order_relaxed);
        if (log_enabled(LogLevel::kWarning)) {
          log(LogLevel::kWarning, "Asynchronous logging: holding " +
                                      std::to_string(counts.total()) + " entries of run " + run_id +
                                      " and retrying in " + std::to_string(pause.count()) +
                                      " ms: " + e.what());
        }
      });
  switch (result.outcome) {
    case HoldResult::Outcome::kSent:
      count_sent(counts);
      return true;
    case HoldResult::Outcome::kDeadline:
      if (result.error) last_failure_ = result.error->what();
      count_undelivered(run_id, counts);
      return false;
    case HoldResult::Outcome::kFailed:
      break;
  }
  fail(run_id, counts, result.error->error_code(), result.error->what());
  return false;
}

void AsyncSender::count_sent(const EntryCounts& counts) {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  if (!abandoned_) sent_ += counts;
}

void AsyncSender::fail(const std::string& run_id, const EntryCounts& counts, ErrorCode code,
                       std::string reason) {
  {
    std::lock_guard<std::mutex> lock(counts_mutex_);
    if (abandoned_) return;  // already counted and reported by whoever abandoned the logger
    failed_ += counts;
  }
  AsyncLoggingError error;
  error.run_id = run_id;
  error.metrics = counts.metrics;
  error.params = counts.params;
  error.tags = counts.tags;
  error.code = code;
  error.reason = std::move(reason);
  report_(std::move(error));
}

void AsyncSender::count_undelivered(const std::string& run_id, const EntryCounts& counts) {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  if (abandoned_) return;
  failed_ += counts;
  undelivered_[run_id] += counts;
}

void AsyncSender::report_undelivered() {
  std::map<std::string, EntryCounts> undelivered;
  {
    std::lock_guard<std::mutex> lock(counts_mutex_);
    undelivered.swap(undelivered_);
    if (abandoned_) return;
  }
  for (const auto& [run_id, counts] : undelivered) {
    AsyncLoggingError error;
    error.run_id = run_id;
    error.metrics = counts.metrics;
    error.params = counts.params;
    error.tags = counts.tags;
    error.code = ErrorCode::kDeadlineExceeded;
    error.reason = "not stored before " + deadline_.purpose() + " passed";
    if (!last_failure_.empty()) error.reason += "; the store's last answer: " + last_failure_;
    report_(std::move(error));
  }
}

EntryCounts AsyncSender::abandon(const EntryCounts& enqueued) {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  if (abandoned_) return {};
  abandoned_ = true;
  EntryCounts left = enqueued;
  left -= sent_;
  left -= failed_;
  failed_ += left;
  return left;
}

EntryCounts AsyncSender::sent() const {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  return sent_;
}

EntryCounts AsyncSender::failed() const {
  std::lock_guard<std::mutex> lock(counts_mutex_);
  return failed_;
}

}  // namespace mlflow::internal
