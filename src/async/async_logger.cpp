// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The asynchronous logger (ADR 0012, ADR 0016): the worker thread, flush and shutdown with
// deadlines, and the process-wide list of loggers that the exit paths stop.
#include "async/async_logger.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <utility>

#include "async/hold.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/metric_point.hpp"
#include "core/terminate_handler.hpp"
#include "core/url.hpp"
#include "mlflow/errors.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {
namespace {

using Clock = AsyncLogger::Clock;

constexpr const char* kDeadlinePurpose =
    "the shutdown deadline of asynchronous logging (shutdown_async_logging's timeout, or at "
    "exit AsyncLoggingOptions::exit_timeout / MLFLOW_CPP_ASYNC_LOGGING_EXIT_TIMEOUT)";

std::string describe(const AsyncLoggingError& e) {
  return std::to_string(e.metrics) + " metrics, " + std::to_string(e.params) + " params and " +
         std::to_string(e.tags) + " tags" +
         (e.run_id.empty() ? std::string(" (of several runs)") : " of run '" + e.run_id + "'") +
         " (" + error_code_name(e.code) + ": " + e.reason + ")";
}

// The live loggers, for the fluent flush and the exit paths. Leaked: the exit paths may run
// while statics are destroyed.
struct Registry {
  std::mutex mutex;
  std::vector<std::weak_ptr<AsyncLogger>> loggers;
};

Registry& registry() {
  static Registry* r = new Registry();  // NOLINT(cppcoreguidelines-owning-memory)
  return *r;
}

std::vector<std::shared_ptr<AsyncLogger>> live_loggers() {
  Registry& r = registry();
  std::vector<std::shared_ptr<AsyncLogger>> out;
  std::lock_guard<std::mutex> lock(r.mutex);
  r.loggers.erase(std::remove_if(r.loggers.begin(), r.loggers.end(),
                                 [](const std::weak_ptr<AsyncLogger>& w) { return w.expired(); }),
                  r.loggers.end());
  for (const auto& w : r.loggers) {
    if (auto l = w.lock(); l && l->owned_by_this_process()) out.push_back(std::move(l));
  }
  return out;
}

Clock::time_point default_exit_deadline(Clock::time_point exit_began) {
  std::chrono::milliseconds timeout = kDefaultAsyncExitTimeout;
  try {
    timeout = *resolve_async_logging_options({}, process_env()).exit_timeout;
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: ") + e.what() + " Using the default of 30 s.");
  }
  return exit_began + timeout;
}

void stop_all_at_exit() noexcept { shutdown_all_async_loggers_for_exit(Clock::now()); }

// A queued param or tag.
AsyncEntry text_entry(AsyncEntry::Kind kind, std::string key, std::string text) {
  AsyncEntry entry;
  entry.kind = kind;
  entry.key = std::move(key);
  entry.text = std::move(text);
  return entry;
}

// A queued metric point; its rarely set fields go out of line only when one is set.
AsyncEntry metric_entry(const std::string& key, double value, std::int64_t timestamp,
                        std::int64_t step, const std::optional<std::string>& model_id,
                        const std::optional<std::string>& dataset_name,
                        const std::optional<std::string>& dataset_digest) {
  AsyncEntry entry;
  entry.key = key;
  entry.value = value;
  entry.timestamp = timestamp;
  entry.step = step;
  if (model_id || dataset_name || dataset_digest) {
    entry.extras =
        std::make_unique<MetricExtras>(MetricExtras{model_id, dataset_name, dataset_digest});
  }
  return entry;
}

}  // namespace

std::shared_ptr<AsyncLogger> AsyncLogger::start(std::shared_ptr<TrackingStore> store,
                                                const AsyncLoggingOptions& options,
                                                MetricCheck check, RetryHooks hooks,
                                                const std::string& tracking_uri) {
  auto logger = std::make_shared<AsyncLogger>(Private{}, std::move(store),
                                              resolve_async_logging_options(options, process_env()),
                                              check, std::move(hooks), tracking_uri);
  // The worker holds the logger: a worker abandoned at a deadline outlives its clients safely.
  logger->worker_ = std::thread([self = logger] { self->worker_loop(); });
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.loggers.push_back(logger);
  }
  // Registered after the registry's first use, so the hook runs before any later static
  // destructor; the terminate hook stores the queues when an exception ends the program.
  static std::once_flag hooks_once;
  std::call_once(hooks_once, [] {
    std::atexit(stop_all_at_exit);
    add_terminate_hook(stop_all_at_exit);
  });
  return logger;
}

AsyncLogger::AsyncLogger(Private, std::shared_ptr<TrackingStore> store, AsyncLoggingOptions options,
                         MetricCheck check, RetryHooks hooks, const std::string& tracking_uri)
    : pid_(::getpid()),
      deadline_(kDeadlinePurpose),
      check_(check),
      options_(std::move(options)),
      tracking_uri_(tracking_uri),
      hooks_(hooks),
      journal_(options_.journal->empty() ? nullptr
                                         : AsyncJournal::open(*options_.journal, &tracking_uri_)),
      queue_([this] { wake_worker(); }),
      sender_(std::move(store), std::move(hooks), deadline_,
              [this](AsyncLoggingError error) { report(std::move(error)); }) {
  queue_.set_capacity(options_.queue_capacity, options_.when_full == AsyncQueueFullPolicy::kDrop);
  queue_.set_journal(journal_.get());
}

AsyncLogger::~AsyncLogger() {
  // Stopped and joined by its holder or an exit path, except when the worker, abandoned at a
  // deadline and detached, dropped the last reference itself; or in a fork()ed child, which
  // has no worker to join.
  if (worker_.joinable()) worker_.detach();
}

bool AsyncLogger::owned_by_this_process() const noexcept { return ::getpid() == pid_; }

void AsyncLogger::set_options(AsyncLoggingOptions options) {
  options = resolve_async_logging_options(std::move(options), process_env());
  if (*options.journal != (journal_ ? journal_->path() : std::string())) {
    throw_error(ErrorCode::kInvalidState,
                "AsyncLoggingOptions::journal cannot change once the client's asynchronous "
                "logger is made (its first asynchronous call): set it before, or use another "
                "client.");
  }
  queue_.set_capacity(options.queue_capacity, options.when_full == AsyncQueueFullPolicy::kDrop);
  std::lock_guard<std::mutex> lock(options_mutex_);
  options_ = std::move(options);
}

Clock::time_point AsyncLogger::exit_deadline(Clock::time_point exit_began) const {
  std::lock_guard<std::mutex> lock(options_mutex_);
  return exit_began + *options_.exit_timeout;
}

void AsyncLogger::wake_worker() {
  has_work_.store(true);
  if (worker_sleeping_.load()) {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    worker_cv_.notify_one();
  }
}

// ---- Producers ------------------------------------------------------------------------------

bool AsyncLogger::log_metric(const std::string& run_id, const std::string& key, double value,
                             std::int64_t timestamp, const LogMetricOptions& options) {
  AsyncSlot& slot = queue_.slot_for_this_thread();
  if (slot.valid_run_id != run_id) {
    if (check_.run_id != nullptr) check_.run_id(run_id);
    slot.valid_run_id = run_id;
  }
  const bool extras = options.model_id || options.dataset_name || options.dataset_digest;
  // A key is checked once per thread; what depends on the call is checked on every call.
  if (timestamp < 0 || extras || slot.valid_metric_keys.count(key) == 0) {
    if (check_.metric != nullptr) check_.metric(metric_point(key, value, timestamp, options));
    slot.valid_metric_keys.insert(key);
  }
  return queue_.push(slot, run_id,
                     metric_entry(key, value, timestamp, options.step, options.model_id,
                                  options.dataset_name, options.dataset_digest));
}

bool AsyncLogger::log_param(const std::string& run_id, Param param) {
  return queue_.push(
      queue_.slot_for_this_thread(), run_id,
      text_entry(AsyncEntry::Kind::kParam, std::move(param.key), std::move(param.value)));
}

bool AsyncLogger::set_tag(const std::string& run_id, RunTag tag) {
  return queue_.push(queue_.slot_for_this_thread(), run_id,
                     text_entry(AsyncEntry::Kind::kTag, std::move(tag.key), std::move(tag.value)));
}

bool AsyncLogger::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                            const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  AsyncSlot& slot = queue_.slot_for_this_thread();
  for (const Param& p : params) {
    if (!queue_.push(slot, run_id, text_entry(AsyncEntry::Kind::kParam, p.key, p.value))) {
      return false;
    }
  }
  for (const RunTag& t : tags) {
    if (!queue_.push(slot, run_id, text_entry(AsyncEntry::Kind::kTag, t.key, t.value))) {
      return false;
    }
  }
  for (const Metric& m : metrics) {
    if (!queue_.push(slot, run_id,
                     metric_entry(m.key, m.value, m.timestamp, m.step, m.model_id, m.dataset_name,
                                  m.dataset_digest))) {
      return false;
    }
  }
  return true;
}

// ---- Worker ---------------------------------------------------------------------------------

void AsyncLogger::worker_loop() {
  // The store's transport and the hold's sleeps honour the shutdown deadline.
  ScopedDeadline scope(deadline_);
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    worker_id_ = std::this_thread::get_id();
  }
  if (journal_) replay_journal();
  std::vector<AsyncBuffer> buffers;
  for (;;) {
    std::uint64_t ticket = 0;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(worker_mutex_);
      ticket = flush_requested_;
      stopping = stopping_;
    }
    std::chrono::milliseconds max_outage;
    std::chrono::milliseconds buffering;
    {
      std::lock_guard<std::mutex> lock(options_mutex_);
      max_outage = options_.max_outage;
      buffering = *options_.buffering;
    }
    has_work_.store(false);
    // When stopping, the queue is closed under every slot's lock by this last collection
    // (producers then log synchronously), so nothing can be left behind in it.
    queue_.collect(buffers, stopping);
    if (!buffers.empty()) {
      // Journaled entries reach the disk once per round (ADR 0026's fsync policy).
      if (journal_) journal_->sync();
      const std::uint64_t failed_before = sender_.failed().total();
      sender_.send_round(buffers, max_outage);
      if (journal_) mark_round(buffers, failed_before);
      queue_.recycle(buffers);
    }
    // What a shutdown deadline left unsent is reported once, per run, on the way out.
    if (stopping) sender_.report_undelivered();
    std::unique_lock<std::mutex> lock(worker_mutex_);
    // Everything queued before `ticket` was requested has been taken by this round and sent.
    if (ticket > flush_done_) {
      flush_done_ = ticket;
      flushed_cv_.notify_all();
    }
    if (stopping) {
      worker_exited_ = true;
      flushed_cv_.notify_all();
      return;
    }
    const auto more = [&] { return flush_requested_ > flush_done_ || stopping_; };
    if (has_work_.load() || more()) continue;
    worker_sleeping_.store(true);
    // Re-checked after announcing the sleep: a producer that set has_work_ before seeing
    // worker_sleeping_ is caught here; one that saw it notifies under worker_mutex_.
    if (!has_work_.load()) {
      worker_cv_.wait_for(lock, std::chrono::milliseconds(200),
                          [&] { return has_work_.load() || more(); });
    }
    worker_sleeping_.store(false);
    // Python's MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS: let more arrive before the next round
    // (a flush or a shutdown does not wait for it).
    if (buffering.count() > 0 && has_work_.load() && !more()) {
      worker_cv_.wait_for(lock, buffering, more);
    }
  }
}

void AsyncLogger::mark_round(const std::vector<AsyncBuffer>& buffers,
                             std::uint64_t failed_before) noexcept {
  // A round with any loss stays unmarked as a whole: what of it was stored is only sent again
  // by a replay, and MLflow stores it once.
  if (sender_.failed().total() != failed_before || deadline_.expired()) return;
  for (const AsyncBuffer& b : buffers) {
    if (b.last_seq != 0) journal_->mark_delivered(b.lane, b.first_seq, b.last_seq);
  }
}

void AsyncLogger::replay_journal() noexcept {
  try {
    const std::string uri = strip_credentials(tracking_uri_);
    const std::string own = journal_->session();
    std::shared_ptr<TrackingStore> store = sender_.store();
    std::chrono::milliseconds max_outage;
    {
      std::lock_guard<std::mutex> lock(options_mutex_);
      max_outage = options_.max_outage;
    }
    const JournalReplayTotals totals = replay_async_journal_file(
        journal_->path(),
        [&](const JournalSession& s) {
          // A live process still sends its own; another URI's entries are not ours to send.
          return s.id == own || s.live || s.tracking_uri != uri ? nullptr : store;
        },
        max_outage, deadline_, hooks_);
    if (totals.delivered.total() != 0) {
      log(LogLevel::kInfo,
          "mlflow: asynchronous logging delivered " + std::to_string(totals.delivered.total()) +
              " entries that an earlier process had journaled in '" + journal_->path() + "'");
    }
    for (const AsyncLoggingError& e : totals.errors) {
      log(LogLevel::kWarning, "mlflow: replaying the asynchronous logging journal '" +
                                  journal_->path() + "' failed for " + describe(e));
    }
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: the asynchronous logging journal was not "
                                        "replayed: ") +
                                e.what());
  }
}

void AsyncLogger::report(AsyncLoggingError error) {
  // Never silent: the log handler always hears of it, the callback too when there is one.
  log(LogLevel::kError, "Asynchronous logging lost " + describe(error));
  std::function<void(const AsyncLoggingError&)> callback;
  {
    std::lock_guard<std::mutex> lock(options_mutex_);
    callback = options_.on_error;
  }
  if (callback) {
    try {
      callback(error);
    } catch (...) {
      log(LogLevel::kError, "Asynchronous logging: the on_error callback threw; ignored.");
    }
  }
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors_.push_back(std::move(error));
}

std::vector<AsyncLoggingError> AsyncLogger::take_errors() {
  std::vector<AsyncLoggingError> errors;
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors.swap(errors_);
  return errors;
}

// ---- Flush and shutdown ---------------------------------------------------------------------

bool AsyncLogger::wait_for_round(const Clock::time_point* at) {
  std::unique_lock<std::mutex> lock(worker_mutex_);
  if (worker_exited_ || abandoned_) return true;
  const std::uint64_t ticket = ++flush_requested_;
  worker_cv_.notify_one();
  // An abandoned worker may stay in its store call for long: nothing is waited for then.
  const auto done = [&] { return flush_done_ >= ticket || worker_exited_ || abandoned_; };
  if (at == nullptr || *at == Clock::time_point::max()) {
    flushed_cv_.wait(lock, done);
    return true;
  }
  return flushed_cv_.wait_until(lock, *at, done);
}

void AsyncLogger::drain() noexcept {
  if (!owned_by_this_process()) return;
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    if (std::this_thread::get_id() == worker_id_) return;
  }
  const Deadline* deadline = current_deadline();
  const Clock::time_point at = deadline != nullptr ? deadline->at() : Clock::time_point::max();
  wait_for_round(&at);
}

void AsyncLogger::flush() {
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    if (std::this_thread::get_id() == worker_id_) {
      throw_error(ErrorCode::kInvalidState,
                  "flush_async_logging was called from the asynchronous logging worker (an "
                  "on_error callback); it would wait for itself. Flush from another thread.");
    }
  }
  if (owned_by_this_process()) wait_for_round(nullptr);
  const std::vector<AsyncLoggingError> errors = take_errors();
  if (errors.empty()) return;
  std::string message = "Asynchronous logging lost " + describe(errors.front());
  if (errors.size() > 1) {
    message += "; and " + std::to_string(errors.size() - 1) + " more failed batch(es)";
  }
  message += ". The data was not stored; fix the cause and log it again.";
  throw_error(errors.front().code, message);
}

bool AsyncLogger::flush(std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    if (std::this_thread::get_id() == worker_id_) {
      throw_error(ErrorCode::kInvalidState,
                  "flush_async_logging was called from the asynchronous logging worker (an "
                  "on_error callback); it would wait for itself. Flush from another thread.");
    }
  }
  const Clock::time_point at = Clock::now() + timeout;
  const bool done = owned_by_this_process() && wait_for_round(&at);
  return take_errors().empty() && done;
}

bool AsyncLogger::shutdown(std::chrono::milliseconds timeout) noexcept {
  const Clock::time_point at = Clock::now() + timeout;
  begin_shutdown(at);
  return finish_shutdown(at);
}

void AsyncLogger::begin_shutdown(Clock::time_point deadline) noexcept {
  if (!owned_by_this_process()) return;
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    stopping_ = true;
    worker_cv_.notify_one();
  }
  // The worker stops sending a little before its caller gives up on it, to report what it
  // could not send and exit in time.
  deadline_.expire_at(worker_stop_time(deadline));
}

bool AsyncLogger::finish_shutdown(Clock::time_point deadline) noexcept {
  std::lock_guard<std::mutex> guard(shutdown_mutex_);
  if (finished_) return delivered_;
  if (!owned_by_this_process() || !worker_.joinable() ||
      worker_.get_id() == std::this_thread::get_id()) {
    return false;
  }
  bool exited = false;
  {
    std::unique_lock<std::mutex> lock(worker_mutex_);
    const auto done = [&] { return worker_exited_; };
    if (deadline == Clock::time_point::max()) {
      flushed_cv_.wait(lock, done);
      exited = true;
    } else {
      exited = flushed_cv_.wait_until(lock, deadline, done);
    }
  }
  if (exited) {
    worker_.join();
  } else {
    abandon();
    worker_.detach();
  }
  finished_ = true;
  delivered_ = take_errors().empty() && exited;
  return delivered_;
}

void AsyncLogger::abandon() noexcept {
  // The worker is stuck in a store call (an unresponsive server, a database locked by another
  // process) past the deadline. Whatever it still holds, and whatever is queued, is counted
  // as undelivered here; the worker, when its call returns, counts and reports nothing more.
  try {
    {
      std::lock_guard<std::mutex> lock(worker_mutex_);
      abandoned_ = true;
    }
    flushed_cv_.notify_all();
    queue_.close();
    const EntryCounts left = sender_.abandon(queue_.stats().enqueued);
    if (left.total() == 0) return;
    AsyncLoggingError error;
    error.metrics = left.metrics;
    error.params = left.params;
    error.tags = left.tags;
    error.code = ErrorCode::kDeadlineExceeded;
    error.reason = std::string("not stored before ") + kDeadlinePurpose +
                   " passed: the worker was still waiting for the store";
    report(std::move(error));
  } catch (...) {
  }
}

AsyncLoggingStats AsyncLogger::stats() const {
  AsyncLoggingStats s;
  const QueueStats q = queue_.stats();
  s.enqueued = q.enqueued.total();
  s.dropped = q.dropped;
  s.blocked = q.blocked;
  s.sent = sender_.sent().total();
  s.failed = sender_.failed().total();
  s.requests = sender_.requests();
  s.resends = sender_.resends();
  return s;
}

// ---- Every logger of the process ------------------------------------------------------------

void flush_all_async_loggers() {
  std::vector<std::string> failures;
  ErrorCode code = ErrorCode::kUnknown;
  for (const auto& l : live_loggers()) {
    try {
      l->flush();
    } catch (const MlflowException& e) {
      if (failures.empty()) code = e.error_code();
      failures.emplace_back(e.what());
    }
  }
  if (failures.empty()) return;
  std::string message = failures.front();
  for (std::size_t i = 1; i < failures.size(); ++i) message += " | " + failures[i];
  throw_error(code, message);
}

bool flush_all_async_loggers(std::chrono::milliseconds timeout) {
  const Clock::time_point at = Clock::now() + timeout;
  bool all = true;
  for (const auto& l : live_loggers()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(Clock::duration::zero(), at - Clock::now()));
    all = l->flush(left) && all;
  }
  return all;
}

bool shutdown_all_async_loggers(std::chrono::milliseconds timeout) noexcept {
  const Clock::time_point at = Clock::now() + timeout;
  std::vector<std::shared_ptr<AsyncLogger>> loggers;
  try {
    loggers = live_loggers();
  } catch (...) {
    return false;
  }
  for (const auto& l : loggers) l->begin_shutdown(at);
  bool all = true;
  for (const auto& l : loggers) all = l->finish_shutdown(at) && all;
  return all;
}

Clock::time_point shutdown_all_async_loggers_for_exit(Clock::time_point exit_began) noexcept {
  // One exit, one deadline: every exit path after the first (the async and the fluent at-exit
  // hooks both come here) counts from when the first one began.
  static std::atomic<Clock::rep> first_exit{0};
  Clock::rep expected = 0;
  if (!first_exit.compare_exchange_strong(expected, exit_began.time_since_epoch().count())) {
    exit_began = Clock::time_point(Clock::duration(expected));
  }
  Clock::time_point latest = exit_began;
  try {
    latest = default_exit_deadline(exit_began);
    const std::vector<std::shared_ptr<AsyncLogger>> loggers = live_loggers();
    std::vector<Clock::time_point> deadlines;
    for (const auto& l : loggers) {
      deadlines.push_back(l->exit_deadline(exit_began));
      l->begin_shutdown(deadlines.back());
    }
    for (std::size_t i = 0; i < loggers.size(); ++i) {
      loggers[i]->finish_shutdown(deadlines[i]);
      latest = i == 0 ? deadlines[i] : std::max(latest, deadlines[i]);
    }
  } catch (...) {
  }
  return latest;
}

// ---- Holder -----------------------------------------------------------------------------------

AsyncLogHolder::~AsyncLogHolder() {
  if (!logger) return;
  const auto at = logger->exit_deadline(AsyncLogger::Clock::now());
  logger->begin_shutdown(at);
  logger->finish_shutdown(at);
}

AsyncLogger& AsyncLogHolder::get(const std::shared_ptr<TrackingStore>& store) {
  if (AsyncLogger* l = logger_ptr.load(std::memory_order_acquire)) return *l;
  std::lock_guard<std::mutex> lock(mutex);
  if (!logger) {
    logger = AsyncLogger::start(store, options, check, {}, tracking_uri);
    logger_ptr.store(logger.get(), std::memory_order_release);
  }
  return *logger;
}

}  // namespace mlflow::internal
