// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The asynchronous logger (ADR 0012): per-thread buffers, one worker, log_batch merging within
// MLflow's limits, holding data through outages.
#include "async/async_logger.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "client/validation.hpp"
#include "core/log.hpp"
#include "mlflow/errors.hpp"
#include "store/tracking_store.hpp"

namespace mlflow::internal {

// MLflow's log_batch limits (Python's _MAX_ITEMS_PER_BATCH and friends).
constexpr std::size_t kMaxItemsPerBatch = 1000;
constexpr std::size_t kMaxParamsPerBatch = 100;
constexpr std::size_t kMaxTagsPerBatch = 100;

/// The metric fields that are rarely set, kept out of line so that a plain point stays small.
struct MetricExtras {
  std::optional<std::string> model_id;
  std::optional<std::string> dataset_name;
  std::optional<std::string> dataset_digest;
};

struct AsyncEntry {
  enum class Kind : std::uint8_t { kMetric, kParam, kTag };
  Kind kind = Kind::kMetric;
  /// Index into the buffer's run ids (a run id is copied once per buffer, not per entry).
  std::uint32_t run = 0;
  std::string key{};
  std::string text{};  // param / tag value
  double value = 0.0;
  std::int64_t timestamp = 0;
  std::int64_t step = 0;
  std::unique_ptr<MetricExtras> extras{};
};

struct AsyncBuffer {
  std::vector<AsyncEntry> entries;
  std::vector<std::string> runs;
};

/// One producing thread's queue. `mutex` is taken by that thread for each append and by the
/// worker once per round to swap the buffer out.
struct AsyncSlot {
  std::mutex mutex;
  std::condition_variable space;
  AsyncBuffer buffer;  // guarded by mutex
  std::uint64_t enqueued = 0;
  std::uint64_t dropped = 0;
  std::uint64_t blocked = 0;
  // Touched only by the owning thread: what was already validated.
  std::unordered_set<std::string> valid_metric_keys;
  std::string valid_run_id;
};

namespace {

std::atomic<std::uint64_t> next_logger_id{1};

// The live loggers, for the at-exit drain. Trivially destructible (a mutex and a pointer) so
// that a logger destroyed by a static destructor after exit handlers can still unlink itself.
std::mutex registry_mutex;
AsyncLogger* registry_head = nullptr;
std::once_flag at_exit_once;

struct ThreadSlots {
  std::uint64_t last_id = 0;
  AsyncSlot* last = nullptr;
  std::vector<std::pair<std::uint64_t, std::shared_ptr<AsyncSlot>>> all;
};
thread_local ThreadSlots thread_slots;

bool is_transient(const MlflowException& e) {
  switch (e.error_code()) {
    case ErrorCode::kTemporarilyUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kServiceUnderMaintenance:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kRequestLimitExceeded:
    case ErrorCode::kCouldNotAcquireLock:
    case ErrorCode::kAborted:
      return true;
    default:
      break;
  }
  const int status = e.http_status();
  // No HTTP answer at all (connection refused/reset) comes as Unavailable above; 5xx, 408 and
  // 429 that outlived the transport's retries are still worth holding on to.
  return status == 408 || status == 429 || status >= 500;
}

std::string describe(const AsyncLoggingError& e) {
  return std::to_string(e.metrics) + " metrics, " + std::to_string(e.params) + " params and " +
         std::to_string(e.tags) + " tags of run '" + e.run_id + "' (" + error_code_name(e.code) +
         ": " + e.reason + ")";
}

}  // namespace

void drain_all_at_exit() noexcept {
  // Drained one by one outside the registry lock would race with destruction; drain() takes
  // no registry lock, so holding it here only delays a concurrent destructor.
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (AsyncLogger* l = registry_head; l != nullptr; l = l->next_) l->shutdown();
}

AsyncLogger::AsyncLogger(std::shared_ptr<TrackingStore> store, AsyncLoggingOptions options)
    : id_(next_logger_id.fetch_add(1)), store_(std::move(store)) {
  set_options(std::move(options));
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    next_ = registry_head;
    if (registry_head != nullptr) registry_head->prev_ = this;
    registry_head = this;
  }
  // Registered after the registry's first use, so it runs before any later static destructor.
  std::call_once(at_exit_once, [] { std::atexit(drain_all_at_exit); });
  worker_ = std::thread([this] { worker_loop(); });
}

AsyncLogger::~AsyncLogger() {
  shutdown();
  std::lock_guard<std::mutex> lock(registry_mutex);
  if (prev_ != nullptr) prev_->next_ = next_;
  if (next_ != nullptr) next_->prev_ = prev_;
  if (registry_head == this) registry_head = next_;
}

void AsyncLogger::set_options(AsyncLoggingOptions options) {
  if (options.queue_capacity == 0) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "AsyncLoggingOptions::queue_capacity must be at least 1.");
  }
  capacity_.store(options.queue_capacity);
  drop_when_full_.store(options.when_full == AsyncQueueFullPolicy::kDrop);
  std::lock_guard<std::mutex> lock(options_mutex_);
  options_ = std::move(options);
}

AsyncSlot& AsyncLogger::slot_for_this_thread() {
  ThreadSlots& ts = thread_slots;
  if (ts.last_id == id_) return *ts.last;
  for (auto& [id, slot] : ts.all) {
    if (id == id_) {
      ts.last_id = id_;
      ts.last = slot.get();
      return *slot;
    }
  }
  // Forget the slots of loggers that are gone (only this thread still holds them).
  ts.all.erase(std::remove_if(ts.all.begin(), ts.all.end(),
                              [](const auto& p) { return p.second.use_count() == 1; }),
               ts.all.end());
  auto slot = std::make_shared<AsyncSlot>();
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    slots_.push_back(slot);
  }
  ts.all.emplace_back(id_, slot);
  ts.last_id = id_;
  ts.last = slot.get();
  return *slot;
}

bool AsyncLogger::push(AsyncSlot& slot, const std::string& run_id, AsyncEntry&& entry) {
  bool first = false;
  {
    std::unique_lock<std::mutex> lock(slot.mutex);
    if (stopped_.load(std::memory_order_relaxed)) return false;
    AsyncBuffer& buf = slot.buffer;
    if (buf.entries.size() >= capacity_.load(std::memory_order_relaxed)) {
      if (drop_when_full_.load(std::memory_order_relaxed)) {
        ++slot.dropped;
        return true;
      }
      ++slot.blocked;
      wake_worker();
      slot.space.wait(lock, [&] {
        return slot.buffer.entries.size() < capacity_.load(std::memory_order_relaxed) ||
               stopped_.load();
      });
      if (stopped_.load()) return false;
    }
    if (buf.runs.empty() || buf.runs.back() != run_id) buf.runs.push_back(run_id);
    entry.run = static_cast<std::uint32_t>(buf.runs.size() - 1);
    first = buf.entries.empty();
    buf.entries.push_back(std::move(entry));
    ++slot.enqueued;
  }
  // Only the first entry of an empty buffer wakes the worker: later ones are picked up by the
  // round that this wake-up starts, so the hot path stays free of shared writes.
  if (first) wake_worker();
  return true;
}

void AsyncLogger::wake_worker() {
  has_work_.store(true);
  if (worker_sleeping_.load()) {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    worker_cv_.notify_one();
  }
}

bool AsyncLogger::log_metric(const std::string& run_id, const std::string& key, double value,
                             std::int64_t timestamp, const LogMetricOptions& options) {
  AsyncSlot& slot = slot_for_this_thread();
  if (slot.valid_run_id != run_id) {
    validate_run_id(run_id);
    slot.valid_run_id = run_id;
  }
  if (timestamp < 0 || slot.valid_metric_keys.count(key) == 0) {
    Metric m;
    m.key = key;
    m.value = value;
    m.timestamp = timestamp;
    validate_metric(m);
    slot.valid_metric_keys.insert(key);
  }
  AsyncEntry entry;
  entry.key = key;
  entry.value = value;
  entry.timestamp = timestamp;
  entry.step = options.step;
  if (options.model_id || options.dataset_name || options.dataset_digest) {
    entry.extras = std::make_unique<MetricExtras>(
        MetricExtras{options.model_id, options.dataset_name, options.dataset_digest});
  }
  return push(slot, run_id, std::move(entry));
}

bool AsyncLogger::log_param(const std::string& run_id, const std::string& key,
                            const std::string& value) {
  validate_run_id(run_id);
  Param p = validate_param(Param{key, value});
  AsyncEntry entry;
  entry.kind = AsyncEntry::Kind::kParam;
  entry.key = std::move(p.key);
  entry.text = std::move(p.value);
  return push(slot_for_this_thread(), run_id, std::move(entry));
}

bool AsyncLogger::set_tag(const std::string& run_id, const std::string& key,
                          const std::string& value) {
  validate_run_id(run_id);
  RunTag t = validate_tag(RunTag{key, value});
  AsyncEntry entry;
  entry.kind = AsyncEntry::Kind::kTag;
  entry.key = std::move(t.key);
  entry.text = std::move(t.value);
  return push(slot_for_this_thread(), run_id, std::move(entry));
}

bool AsyncLogger::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                            const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  AsyncSlot& slot = slot_for_this_thread();
  for (const Param& p : params) {
    AsyncEntry entry;
    entry.kind = AsyncEntry::Kind::kParam;
    entry.key = p.key;
    entry.text = p.value;
    if (!push(slot, run_id, std::move(entry))) return false;
  }
  for (const RunTag& t : tags) {
    AsyncEntry entry;
    entry.kind = AsyncEntry::Kind::kTag;
    entry.key = t.key;
    entry.text = t.value;
    if (!push(slot, run_id, std::move(entry))) return false;
  }
  for (const Metric& m : metrics) {
    AsyncEntry entry;
    entry.key = m.key;
    entry.value = m.value;
    entry.timestamp = m.timestamp;
    entry.step = m.step;
    if (m.model_id || m.dataset_name || m.dataset_digest) {
      entry.extras = std::make_unique<MetricExtras>(
          MetricExtras{m.model_id, m.dataset_name, m.dataset_digest});
    }
    if (!push(slot, run_id, std::move(entry))) return false;
  }
  return true;
}

void AsyncLogger::worker_loop() {
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    worker_id_ = std::this_thread::get_id();
  }
  std::vector<std::shared_ptr<AsyncSlot>> slots;
  std::vector<AsyncBuffer> buffers;
  std::vector<AsyncBuffer> spares;
  for (;;) {
    std::uint64_t ticket = 0;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(worker_mutex_);
      ticket = flush_requested_;
      stopping = stopping_;
    }
    has_work_.store(false);
    // Before the slot list is read, so that a slot registered after it sees stopped_.
    if (stopping) stopped_.store(true);
    slots.clear();
    {
      std::lock_guard<std::mutex> lock(slots_mutex_);
      // Forget the emptied slots of threads that have exited (only the list still holds them),
      // so that short-lived threads do not pile up.
      slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                                  [this](const std::shared_ptr<AsyncSlot>& slot) {
                                    if (slot.use_count() != 1) return false;
                                    std::lock_guard<std::mutex> slot_lock(slot->mutex);
                                    if (!slot->buffer.entries.empty()) return false;
                                    retired_enqueued_ += slot->enqueued;
                                    retired_dropped_ += slot->dropped;
                                    retired_blocked_ += slot->blocked;
                                    return true;
                                  }),
                   slots_.end());
      slots = slots_;
    }
    // Swap every non-empty buffer for an empty one that keeps its capacity: producers never
    // allocate in the steady state, and the slot lock is held only for the swap. When stopping,
    // stopped_ is set under each slot's lock first, so nothing can be appended after this
    // last collection (later calls log synchronously).
    for (const auto& slot : slots) {
      {
        std::lock_guard<std::mutex> lock(slot->mutex);
        if (stopping) stopped_.store(true);
        if (!slot->buffer.entries.empty()) {
          if (spares.empty()) spares.emplace_back();
          buffers.push_back(std::move(spares.back()));
          spares.pop_back();
          std::swap(buffers.back(), slot->buffer);
        }
      }
      slot->space.notify_all();
    }
    if (!buffers.empty()) {
      send_round(buffers);
      for (AsyncBuffer& b : buffers) {
        b.entries.clear();
        b.runs.clear();
        spares.push_back(std::move(b));
      }
      buffers.clear();
      // A spare per producer is enough to alternate with it; more only hold memory.
      if (spares.size() > 1 + slots.size()) spares.resize(1 + slots.size());
    }
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
    if (has_work_.load() || flush_requested_ > flush_done_ || stopping_) continue;
    worker_sleeping_.store(true);
    // Re-checked after announcing the sleep: a producer that set has_work_ before seeing
    // worker_sleeping_ is caught here; one that saw it notifies under worker_mutex_.
    if (!has_work_.load()) {
      worker_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] {
        return has_work_.load() || flush_requested_ > flush_done_ || stopping_;
      });
    }
    worker_sleeping_.store(false);
  }
}

void AsyncLogger::send_round(std::vector<AsyncBuffer>& buffers) {
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

  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<RunTag> tags;
  std::unordered_set<std::string> param_keys;
  std::unordered_map<std::string, std::size_t> tag_index;
  std::size_t absorbed = 0;  // entries replaced by a later one in the same request
  for (RunWork& run : work) {
    auto emit = [&] {
      if (metrics.empty() && params.empty() && tags.empty()) return;
      send_with_hold(*run.run_id, metrics, params, tags, absorbed);
      absorbed = 0;
      metrics.clear();
      params.clear();
      tags.clear();
      param_keys.clear();
      tag_index.clear();
    };
    for (AsyncEntry* e : run.entries) {
      const std::size_t items = metrics.size() + params.size() + tags.size();
      switch (e->kind) {
        case AsyncEntry::Kind::kMetric: {
          if (items >= kMaxItemsPerBatch) emit();
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
          metrics.push_back(std::move(m));
          break;
        }
        case AsyncEntry::Kind::kParam:
          // A repeated key starts a new request: one request must not name a key twice, and
          // the later value must arrive later.
          if (items >= kMaxItemsPerBatch || params.size() >= kMaxParamsPerBatch ||
              param_keys.count(e->key) != 0) {
            emit();
          }
          param_keys.insert(e->key);
          params.push_back(Param{std::move(e->key), std::move(e->text)});
          break;
        case AsyncEntry::Kind::kTag: {
          // Tags are last-write-wins: a repeated key in the same request just takes the
          // later value (one request must not name a key twice).
          const auto it = tag_index.find(e->key);
          if (it != tag_index.end()) {
            tags[it->second].value = std::move(e->text);
            ++absorbed;
            break;
          }
          if (items >= kMaxItemsPerBatch || tags.size() >= kMaxTagsPerBatch) emit();
          tag_index.emplace(e->key, tags.size());
          tags.push_back(RunTag{std::move(e->key), std::move(e->text)});
          break;
        }
      }
    }
    emit();
  }
}

bool AsyncLogger::send_with_hold(const std::string& run_id, const std::vector<Metric>& metrics,
                                 const std::vector<Param>& params, const std::vector<RunTag>& tags,
                                 std::size_t absorbed) {
  // Entries superseded within the request share its fate in the counters.
  const std::size_t n = metrics.size() + params.size() + tags.size() + absorbed;
  const auto start = std::chrono::steady_clock::now();
  std::chrono::milliseconds pause{100};
  for (;;) {
    AsyncLoggingError error;
    try {
      requests_.fetch_add(1, std::memory_order_relaxed);
      store_->log_batch(run_id, metrics, params, tags);
      sent_.fetch_add(n, std::memory_order_relaxed);
      return true;
    } catch (const MlflowException& e) {
      std::chrono::milliseconds max_outage;
      {
        std::lock_guard<std::mutex> lock(options_mutex_);
        max_outage = options_.max_outage;
      }
      if (is_transient(e) && std::chrono::steady_clock::now() - start < max_outage) {
        // Held, not dropped: log_batch is safe to repeat (MLflow ignores a point it already
        // has), so a request that reached the server before the failure duplicates nothing.
        resends_.fetch_add(1, std::memory_order_relaxed);
        if (log_enabled(LogLevel::kWarning)) {
          log(LogLevel::kWarning, "Asynchronous logging: holding " + std::to_string(n) +
                                      " entries of run " + run_id + " and retrying in " +
                                      std::to_string(pause.count()) + " ms: " + e.what());
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(5000));
        continue;
      }
      error.code = e.error_code();
      error.reason = e.what();
    } catch (const std::exception& e) {
      error.code = ErrorCode::kInternalError;
      error.reason = e.what();
    }
    error.run_id = run_id;
    error.metrics = metrics.size();
    error.params = params.size();
    error.tags = tags.size();
    failed_.fetch_add(n, std::memory_order_relaxed);
    report(std::move(error));
    return false;
  }
}

void AsyncLogger::report(AsyncLoggingError error) {
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
  } else {
    log(LogLevel::kError, "Asynchronous logging lost " + describe(error));
  }
  std::lock_guard<std::mutex> lock(errors_mutex_);
  errors_.push_back(std::move(error));
}

void AsyncLogger::drain() noexcept {
  std::unique_lock<std::mutex> lock(worker_mutex_);
  if (std::this_thread::get_id() == worker_id_) return;
  const std::uint64_t ticket = ++flush_requested_;
  worker_cv_.notify_one();
  flushed_cv_.wait(lock, [&] { return flush_done_ >= ticket || worker_exited_; });
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
  drain();
  std::vector<AsyncLoggingError> errors;
  {
    std::lock_guard<std::mutex> lock(errors_mutex_);
    errors.swap(errors_);
  }
  if (errors.empty()) return;
  std::string message = "Asynchronous logging lost " + describe(errors.front());
  if (errors.size() > 1) {
    message += "; and " + std::to_string(errors.size() - 1) + " more failed batch(es)";
  }
  message += ". The data was not stored; fix the cause and log it again.";
  throw_error(errors.front().code, message);
}

void AsyncLogger::shutdown() noexcept {
  std::lock_guard<std::mutex> guard(shutdown_mutex_);
  if (!worker_.joinable()) return;
  if (std::this_thread::get_id() == worker_.get_id()) return;
  {
    std::lock_guard<std::mutex> lock(worker_mutex_);
    stopping_ = true;
    worker_cv_.notify_one();
  }
  // The worker's last round sets stopped_ under every slot lock (producers then log
  // synchronously) and sends what it collected.
  worker_.join();
}

AsyncLoggingStats AsyncLogger::stats() const {
  AsyncLoggingStats s;
  std::vector<std::shared_ptr<AsyncSlot>> slots;
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    slots = slots_;
    s.enqueued = retired_enqueued_;
    s.dropped = retired_dropped_;
    s.blocked = retired_blocked_;
  }
  for (const auto& slot : slots) {
    std::lock_guard<std::mutex> lock(slot->mutex);
    s.enqueued += slot->enqueued;
    s.dropped += slot->dropped;
    s.blocked += slot->blocked;
  }
  s.sent = sent_.load();
  s.failed = failed_.load();
  s.requests = requests_.load();
  s.resends = resends_.load();
  return s;
}

AsyncLogger& AsyncLogHolder::get(const std::shared_ptr<TrackingStore>& store) {
  if (AsyncLogger* l = logger_ptr.load(std::memory_order_acquire)) return *l;
  std::lock_guard<std::mutex> lock(mutex);
  if (!logger) {
    logger = std::make_unique<AsyncLogger>(store, options);
    logger_ptr.store(logger.get(), std::memory_order_release);
  }
  return *logger;
}

bool async_logging_enabled_by_env() {
  const char* raw = std::getenv("MLFLOW_ENABLE_ASYNC_LOGGING");
  if (raw == nullptr) return false;
  std::string v(raw);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "true" || v == "1";
}

void flush_all_async_loggers() {
  std::vector<std::string> failures;
  ErrorCode code = ErrorCode::kUnknown;
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (AsyncLogger* l = registry_head; l != nullptr; l = l->next_) {
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

}  // namespace mlflow::internal
