// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The producer side of asynchronous logging (ADR 0012): one buffer per producing thread, so
// that threads logging at once do not fight over one lock. A producer appends under its own
// slot's mutex, which otherwise only the worker takes, once per round, to swap the buffer out;
// only the first entry into an empty buffer touches shared state (the wake-up).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace mlflow::internal {

class AsyncJournal;

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

/// A swapped-out buffer: entries in the order one thread logged them, and their run ids.
struct AsyncBuffer {
  std::vector<AsyncEntry> entries;
  std::vector<std::string> runs;
  // With a journal (async_journal.hpp): the producing thread's lane and the seqs its entries
  // were journaled under (consecutive, first..last), for the delivered mark.
  std::uint32_t lane = 0;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
};

/// Entries by kind (what AsyncLoggingError and the counters report).
struct EntryCounts {
  std::uint64_t metrics = 0;
  std::uint64_t params = 0;
  std::uint64_t tags = 0;

  std::uint64_t total() const noexcept { return metrics + params + tags; }
  void add(AsyncEntry::Kind kind, std::uint64_t n = 1) noexcept;
  EntryCounts& operator+=(const EntryCounts& other) noexcept;
  EntryCounts& operator-=(const EntryCounts& other) noexcept;
};

/// One producing thread's queue.
struct AsyncSlot {
  std::mutex mutex;
  std::condition_variable space;
  AsyncBuffer buffer;  // guarded by mutex
  // Counters, guarded by mutex.
  EntryCounts enqueued;
  std::uint64_t dropped = 0;
  std::uint64_t blocked = 0;
  // Touched only by the owning thread: what was already validated.
  std::unordered_set<std::string> valid_metric_keys;
  std::string valid_run_id;
  // The journal lane of this thread and the last seq journaled in it (guarded by mutex).
  std::uint32_t lane = 0;
  std::uint64_t journal_seq = 0;
};

struct QueueStats {
  EntryCounts enqueued;
  std::uint64_t dropped = 0;
  std::uint64_t blocked = 0;
};

class AsyncQueue {
 public:
  /// `wake` is called (on a producer's thread) when a buffer stops being empty or fills up.
  explicit AsyncQueue(std::function<void()> wake);
  AsyncQueue(const AsyncQueue&) = delete;
  AsyncQueue& operator=(const AsyncQueue&) = delete;

  void set_capacity(std::size_t capacity, bool drop_when_full);
  /// Every accepted entry is written to `journal` before push returns (set before any push).
  void set_journal(AsyncJournal* journal) noexcept { journal_ = journal; }

  /// The calling thread's slot, made on its first use.
  AsyncSlot& slot_for_this_thread();
  /// Appends under the slot's lock, applying the full-queue policy. False once the queue is
  /// closed (the caller then logs synchronously). With a journal, the entry is written to it
  /// first; a journal that cannot take it throws and nothing is queued.
  bool push(AsyncSlot& slot, const std::string& run_id, AsyncEntry&& entry);

  /// Worker: moves every non-empty buffer into `out`, leaving an emptied spare in its place.
  /// With `close`, the queue is closed under each slot's lock first, so nothing is appended
  /// after this last collection.
  void collect(std::vector<AsyncBuffer>& out, bool close);
  /// Worker: takes back buffers sent by `collect` for reuse (their capacity is kept).
  void recycle(std::vector<AsyncBuffer>& used);
  /// Closes without collecting (a logger abandoned at a deadline): later pushes, and those
  /// waiting for room, return false.
  void close();
  bool closed() const noexcept { return closed_.load(); }

  QueueStats stats() const;

 private:
  const std::uint64_t id_;
  std::function<void()> wake_;
  std::atomic<std::size_t> capacity_{100000};
  std::atomic<bool> drop_when_full_{false};
  std::atomic<bool> closed_{false};
  AsyncJournal* journal_ = nullptr;
  std::atomic<std::uint32_t> next_lane_{0};

  mutable std::mutex slots_mutex_;
  std::vector<std::shared_ptr<AsyncSlot>> slots_;
  // Counters of slots forgotten after their thread exited (guarded by slots_mutex_).
  QueueStats retired_;
  // Emptied buffers kept for the next round (worker only).
  std::vector<AsyncBuffer> spares_;
  std::size_t producers_seen_ = 0;  // worker only
};

}  // namespace mlflow::internal
