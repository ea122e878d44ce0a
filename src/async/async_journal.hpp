// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The journal of asynchronous logging (ADR 0026): an append-only file of JSON lines beside the
// process. A logger with a journal writes every accepted entry to it (one write(2) per entry,
// under the producer's own slot lock) before the logging call returns, and marks a round's
// entries delivered once the store has stored all of them. A later process — at the start of
// its own asynchronous logging, or through replay_async_journal / `mlflow-cpp journal replay` —
// sends what was accepted and never marked, which MLflow stores once however often it is sent
// (a metric point with the same key, value, step and timestamp is one point; equal params and
// tags are idempotent).
//
// Lines: a header naming the format; a session line per logger (id, tracking URI, host, pid);
// one line per entry (session, lane = producing thread, seq within the lane, run, kind, ...);
// marks naming a lane's seq range delivered ("d") or refused for good ("x", with the reason).
// Marks may precede nothing and ranges may overlap: the reader only asks whether a seq is
// covered.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "async/async_queue.hpp"
#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "mlflow/async_logging.hpp"

namespace mlflow::internal {

class TrackingStore;

/// An open journal, appended to by one process.
class AsyncJournal {
 public:
  /// Opens `path` for appending (creating it with its header), refusing a file that is not an
  /// mlflow-cpp journal. With `tracking_uri` it starts a session for a logger of this process
  /// (the URI is kept without user information); without it, it only writes marks (replay).
  static std::unique_ptr<AsyncJournal> open(const std::string& path,
                                            const std::string* tracking_uri);
  ~AsyncJournal();
  AsyncJournal(const AsyncJournal&) = delete;
  AsyncJournal& operator=(const AsyncJournal&) = delete;

  /// Writes one accepted entry; throws (nothing written) when the file cannot take it.
  void append(std::uint32_t lane, std::uint64_t seq, const std::string& run_id,
              const AsyncEntry& entry);
  /// Marks `first..last` of this session's `lane` delivered. Failures are logged, not thrown:
  /// an unmarked entry is only sent again, which MLflow de-duplicates.
  void mark_delivered(std::uint32_t lane, std::uint64_t first, std::uint64_t last) noexcept;
  /// Marks of another session (replay).
  void mark(const std::string& session, std::uint32_t lane, std::uint64_t first, std::uint64_t last,
            const std::string* refused_reason) noexcept;
  /// fdatasync: what was written survives a machine crash from here on.
  void sync() noexcept;

  const std::string& path() const noexcept { return path_; }
  const std::string& session() const noexcept { return session_; }

 private:
  AsyncJournal(std::string path, int fd);
  void write_line(const std::string& line);

  std::string path_;
  int fd_ = -1;
  std::string session_;
};

/// One logger's session, as its line recorded it.
struct JournalSession {
  std::string id;
  std::string tracking_uri;
  std::string host;
  long pid = 0;
  /// Its process still runs on this host (its entries may still be sent by it).
  bool live = false;
};

/// An accepted entry that no mark covers.
struct JournalEntry {
  std::string session;
  std::uint32_t lane = 0;
  std::uint64_t seq = 0;
  std::string run_id;
  AsyncEntry entry;
};

struct JournalContents {
  std::map<std::string, JournalSession> sessions;
  std::vector<JournalEntry> pending;  // by session, lane and seq
  EntryCounts accepted;
  EntryCounts delivered;
  EntryCounts refused;
};

/// Reads a journal. Throws InvalidArgument naming the file and line for a file that is not an
/// mlflow-cpp journal or has a damaged line (a last line cut short by a killed writer is not
/// damage: that entry was never acknowledged). Changes nothing.
JournalContents read_async_journal(const std::string& path);

struct JournalReplayTotals {
  EntryCounts delivered;
  EntryCounts refused;
  EntryCounts left;  // still pending (the store was unreachable, or the session was skipped)
  std::vector<AsyncLoggingError> errors;
};

/// The store a session's entries go to; nullptr skips the session (they stay pending).
using JournalStoreFor = std::function<std::shared_ptr<TrackingStore>(const JournalSession&)>;

/// Sends every pending entry of `path` to the store `store_for` names, run by run, in logging
/// order, held through outages up to `max_outage` (or `deadline`), and marks what was stored
/// delivered, and what the store refused for good (an unknown run, a conflicting param)
/// refused with its reason. Throws like read_async_journal before sending anything.
JournalReplayTotals replay_async_journal_file(const std::string& path,
                                              const JournalStoreFor& store_for,
                                              std::chrono::milliseconds max_outage,
                                              const Deadline& deadline, RetryHooks hooks = {});

}  // namespace mlflow::internal
