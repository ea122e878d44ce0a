// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "async/async_queue.hpp"

#include <algorithm>
#include <utility>

#include "async/async_journal.hpp"

namespace mlflow::internal {
namespace {

std::atomic<std::uint64_t> next_queue_id{1};

// The calling thread's slots, by queue id; the last one used is looked up first.
struct ThreadSlots {
  std::uint64_t last_id = 0;
  AsyncSlot* last = nullptr;
  std::vector<std::pair<std::uint64_t, std::shared_ptr<AsyncSlot>>> all;
};
thread_local ThreadSlots thread_slots;

}  // namespace

void EntryCounts::add(AsyncEntry::Kind kind, std::uint64_t n) noexcept {
  switch (kind) {
    case AsyncEntry::Kind::kMetric:
      metrics += n;
      break;
    case AsyncEntry::Kind::kParam:
      params += n;
      break;
    case AsyncEntry::Kind::kTag:
      tags += n;
      break;
  }
}

EntryCounts& EntryCounts::operator+=(const EntryCounts& other) noexcept {
  metrics += other.metrics;
  params += other.params;
  tags += other.tags;
  return *this;
}

EntryCounts& EntryCounts::operator-=(const EntryCounts& other) noexcept {
  metrics -= std::min(metrics, other.metrics);
  params -= std::min(params, other.params);
  tags -= std::min(tags, other.tags);
  return *this;
}

AsyncQueue::AsyncQueue(std::function<void()> wake)
    : id_(next_queue_id.fetch_add(1)), wake_(std::move(wake)) {}

void AsyncQueue::set_capacity(std::size_t capacity, bool drop_when_full) {
  capacity_.store(capacity);
  drop_when_full_.store(drop_when_full);
}

AsyncSlot& AsyncQueue::slot_for_this_thread() {
  ThreadSlots& ts = thread_slots;
  if (ts.last_id == id_) return *ts.last;
  for (auto& [id, slot] : ts.all) {
    if (id == id_) {
      ts.last_id = id_;
      ts.last = slot.get();
      return *slot;
    }
  }
  // Forget the slots of queues that are gone (only this thread still holds them).
  ts.all.erase(std::remove_if(ts.all.begin(), ts.all.end(),
                              [](const auto& p) { return p.second.use_count() == 1; }),
               ts.all.end());
  auto slot = std::make_shared<AsyncSlot>();
  slot->lane = next_lane_.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    slots_.push_back(slot);
  }
  ts.all.emplace_back(id_, slot);
  ts.last_id = id_;
  ts.last = slot.get();
  return *slot;
}

bool AsyncQueue::push(AsyncSlot& slot, const std::string& run_id, AsyncEntry&& entry) {
  bool first = false;
  {
    std::unique_lock<std::mutex> lock(slot.mutex);
    if (closed_.load(std::memory_order_relaxed)) return false;
    AsyncBuffer& buf = slot.buffer;
    if (buf.entries.size() >= capacity_.load(std::memory_order_relaxed)) {
      if (drop_when_full_.load(std::memory_order_relaxed)) {
        ++slot.dropped;
        return true;
      }
      ++slot.blocked;
      wake_();
      slot.space.wait(lock, [&] {
        return slot.buffer.entries.size() < capacity_.load(std::memory_order_relaxed) ||
               closed_.load();
      });
      if (closed_.load()) return false;
    }
    if (journal_ != nullptr) {
      // Journaled before it is acknowledged; consecutive seqs within a buffer.
      journal_->append(slot.lane, slot.journal_seq + 1, run_id, entry);
      ++slot.journal_seq;
      if (buf.entries.empty()) buf.first_seq = slot.journal_seq;
      buf.last_seq = slot.journal_seq;
    }
    if (buf.runs.empty() || buf.runs.back() != run_id) buf.runs.push_back(run_id);
    entry.run = static_cast<std::uint32_t>(buf.runs.size() - 1);
    first = buf.entries.empty();
    slot.enqueued.add(entry.kind);
    buf.entries.push_back(std::move(entry));
  }
  // Only the first entry of an empty buffer wakes the worker: later ones are picked up by the
  // round that this wake-up starts, so the hot path stays free of shared writes.
  if (first) wake_();
  return true;
}

void AsyncQueue::collect(std::vector<AsyncBuffer>& out, bool close) {
  // Before the slot list is read, so that a slot registered after it sees the queue closed.
  if (close) closed_.store(true);
  std::vector<std::shared_ptr<AsyncSlot>> slots;
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    // Forget the emptied slots of threads that have exited (only the list still holds them),
    // so that short-lived threads do not pile up.
    slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                                [this](const std::shared_ptr<AsyncSlot>& slot) {
                                  if (slot.use_count() != 1) return false;
                                  std::lock_guard<std::mutex> slot_lock(slot->mutex);
                                  if (!slot->buffer.entries.empty()) return false;
                                  retired_.enqueued += slot->enqueued;
                                  retired_.dropped += slot->dropped;
                                  retired_.blocked += slot->blocked;
                                  return true;
                                }),
                 slots_.end());
    slots = slots_;
  }
  producers_seen_ = slots.size();
  // Swap every non-empty buffer for an empty one that keeps its capacity: producers never
  // allocate in the steady state, and the slot lock is held only for the swap. When closing,
  // the flag is set again under each slot's lock, so no append can slip in after the swap.
  for (const auto& slot : slots) {
    {
      std::lock_guard<std::mutex> lock(slot->mutex);
      if (close) closed_.store(true);
      if (!slot->buffer.entries.empty()) {
        if (spares_.empty()) spares_.emplace_back();
        out.push_back(std::move(spares_.back()));
        spares_.pop_back();
        std::swap(out.back(), slot->buffer);
        out.back().lane = slot->lane;
      }
    }
    slot->space.notify_all();
  }
}

void AsyncQueue::recycle(std::vector<AsyncBuffer>& used) {
  for (AsyncBuffer& b : used) {
    b.entries.clear();
    b.runs.clear();
    b.first_seq = b.last_seq = 0;
    spares_.push_back(std::move(b));
  }
  used.clear();
  // A spare per producer is enough to alternate with it; more only hold memory.
  if (spares_.size() > 1 + producers_seen_) spares_.resize(1 + producers_seen_);
}

void AsyncQueue::close() {
  closed_.store(true);
  std::vector<std::shared_ptr<AsyncSlot>> slots;
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    slots = slots_;
  }
  for (const auto& slot : slots) {
    // Taking the lock orders the flag before any waiter's next check.
    { std::lock_guard<std::mutex> lock(slot->mutex); }
    slot->space.notify_all();
  }
}

QueueStats AsyncQueue::stats() const {
  std::vector<std::shared_ptr<AsyncSlot>> slots;
  QueueStats s;
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    slots = slots_;
    s = retired_;
  }
  for (const auto& slot : slots) {
    std::lock_guard<std::mutex> lock(slot->mutex);
    s.enqueued += slot->enqueued;
    s.dropped += slot->dropped;
    s.blocked += slot->blocked;
  }
  return s;
}

}  // namespace mlflow::internal
