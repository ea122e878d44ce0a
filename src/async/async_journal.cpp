// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The journal of asynchronous logging (ADR 0026): writing, reading and replaying it.
#include "async/async_journal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "async/async_sender.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/retry_rules.hpp"
#include "core/url.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "mlflow-cpp-async-journal";
constexpr int kVersion = 1;

std::string header_line() { return json{{"format", kFormat}, {"version", kVersion}}.dump() + "\n"; }

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return {};
  return name;
}

bool process_alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

[[noreturn]] void refuse_file(const std::string& path, const std::string& what) {
  throw_error(ErrorCode::kInvalidParameterValue,
              "'" + path + "' is not a usable mlflow-cpp asynchronous logging journal: " + what +
                  ". Nothing was changed. Point MLFLOW_CPP_ASYNC_JOURNAL (or "
                  "AsyncLoggingOptions::journal) at a journal or at a new file.");
}

// JSON has no NaN or infinities: they are written as Python's float() spells them.
json encode_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

double decode_value(const json& v) {
  if (v.is_number()) return v.get<double>();
  const std::string s = v.get<std::string>();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  throw std::invalid_argument("bad metric value '" + s + "'");
}

const char* kind_code(AsyncEntry::Kind kind) {
  switch (kind) {
    case AsyncEntry::Kind::kMetric:
      return "m";
    case AsyncEntry::Kind::kParam:
      return "p";
    case AsyncEntry::Kind::kTag:
      return "t";
  }
  return "m";
}

AsyncEntry decode_entry(const json& line) {
  AsyncEntry e;
  const std::string kind = line.at("k").get<std::string>();
  e.key = line.at("key").get<std::string>();
  if (kind == "m") {
    e.kind = AsyncEntry::Kind::kMetric;
    e.value = decode_value(line.at("v"));
    e.timestamp = line.at("ts").get<std::int64_t>();
    e.step = line.at("step").get<std::int64_t>();
    if (line.contains("x")) {
      const json& x = line.at("x");
      auto extras = std::make_unique<MetricExtras>();
      if (x.contains("model_id")) extras->model_id = x.at("model_id").get<std::string>();
      if (x.contains("dataset_name")) {
        extras->dataset_name = x.at("dataset_name").get<std::string>();
      }
      if (x.contains("dataset_digest")) {
        extras->dataset_digest = x.at("dataset_digest").get<std::string>();
      }
      e.extras = std::move(extras);
    }
  } else if (kind == "p" || kind == "t") {
    e.kind = kind == "p" ? AsyncEntry::Kind::kParam : AsyncEntry::Kind::kTag;
    e.text = line.at("v").get<std::string>();
  } else {
    throw std::invalid_argument("unknown entry kind '" + kind + "'");
  }
  return e;
}

// Seq ranges of one session's lane that a mark covers.
using LaneKey = std::pair<std::string, std::uint32_t>;
using Ranges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

// Sorted, merged ranges: overlapping or adjacent marks become one.
void merge(Ranges& ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  ranges.swap(merged);
}

bool covered(const Ranges& merged, std::uint64_t seq) {
  auto it = std::upper_bound(merged.begin(), merged.end(),
                             std::make_pair(seq, std::numeric_limits<std::uint64_t>::max()));
  return it != merged.begin() && std::prev(it)->second >= seq;
}

// Consecutive seqs of one lane as ranges (the marks of a replayed group).
std::vector<std::tuple<std::uint32_t, std::uint64_t, std::uint64_t>> seq_ranges(
    const std::vector<const JournalEntry*>& entries) {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> seqs;
  seqs.reserve(entries.size());
  for (const JournalEntry* e : entries) seqs.emplace_back(e->lane, e->seq);
  std::sort(seqs.begin(), seqs.end());
  std::vector<std::tuple<std::uint32_t, std::uint64_t, std::uint64_t>> out;
  for (const auto& [lane, seq] : seqs) {
    if (!out.empty() && std::get<0>(out.back()) == lane && std::get<2>(out.back()) + 1 >= seq) {
      std::get<2>(out.back()) = std::max(std::get<2>(out.back()), seq);
    } else {
      out.emplace_back(lane, seq, seq);
    }
  }
  return out;
}

}  // namespace

// ---- Writing --------------------------------------------------------------------------------

AsyncJournal::AsyncJournal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

AsyncJournal::~AsyncJournal() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<AsyncJournal> AsyncJournal::open(const std::string& path,
                                                 const std::string* tracking_uri) {
  if (path.empty()) refuse_file(path, "the path is empty");
  // O_APPEND: every line lands whole at the end, whichever thread or process writes it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    refuse_file(path, std::string("cannot open it for appending (") + std::strerror(errno) + ")");
  std::unique_ptr<AsyncJournal> journal(new AsyncJournal(path, fd));  // NOLINT: private ctor
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) refuse_file(path, "it is not a regular file");
  if (st.st_size == 0) {
    journal->write_line(header_line());
  } else {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    json header = json::parse(first, nullptr, false);
    if (header.is_discarded() || !header.is_object() || header.value("format", "") != kFormat) {
      refuse_file(path, "its first line is not an mlflow-cpp journal header");
    }
    if (header.value("version", 0) != kVersion) {
      refuse_file(path, "it has format version " + header.value("version", json()).dump() +
                            "; this mlflow-cpp writes version " + std::to_string(kVersion));
    }
  }
  if (tracking_uri != nullptr) {
    journal->session_ = uuid4_hex();
    journal->write_line(json{{"session", journal->session_},
                             {"uri", strip_credentials(*tracking_uri)},
                             {"host", this_host()},
                             {"pid", static_cast<long>(::getpid())}}
                            .dump() +
                        "\n");
  }
  return journal;
}

void AsyncJournal::write_line(const std::string& line) {
  // One write(2) per line: a killed process leaves whole lines, or a last one cut short.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw_error(ErrorCode::kInternalError,
                  "Could not write to the asynchronous logging journal '" + path_ +
                      "': " + std::strerror(errno) + ". The entry was not logged.");
    }
    done += static_cast<std::size_t>(n);
  }
}

void AsyncJournal::append(std::uint32_t lane, std::uint64_t seq, const std::string& run_id,
                          const AsyncEntry& entry) {
  json line{{"s", session_},   {"l", lane}, {"n", seq}, {"r", run_id}, {"k", kind_code(entry.kind)},
            {"key", entry.key}};
  if (entry.kind == AsyncEntry::Kind::kMetric) {
    line["v"] = encode_value(entry.value);
    line["ts"] = entry.timestamp;
    line["step"] = entry.step;
    if (entry.extras) {
      json x = json::object();
      if (entry.extras->model_id) x["model_id"] = *entry.extras->model_id;
      if (entry.extras->dataset_name) x["dataset_name"] = *entry.extras->dataset_name;
      if (entry.extras->dataset_digest) x["dataset_digest"] = *entry.extras->dataset_digest;
      line["x"] = std::move(x);
    }
  } else {
    line["v"] = entry.text;
  }
  write_line(line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

void AsyncJournal::mark(const std::string& session, std::uint32_t lane, std::uint64_t first,
                        std::uint64_t last, const std::string* refused_reason) noexcept {
  try {
    json line{{"s", session}, {"l", lane}};
    if (refused_reason != nullptr) {
      line["x"] = {first, last};
      line["why"] = *refused_reason;
    } else {
      line["d"] = {first, last};
    }
    write_line(line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow: ") + e.what() +
                                " (the entries will be sent again; MLflow stores them once)");
  }
}

void AsyncJournal::mark_delivered(std::uint32_t lane, std::uint64_t first,
                                  std::uint64_t last) noexcept {
  mark(session_, lane, first, last, nullptr);
}

void AsyncJournal::sync() noexcept { ::fdatasync(fd_); }

// ---- Reading --------------------------------------------------------------------------------

JournalContents read_async_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse_file(path, std::string("cannot read it (") + std::strerror(errno) + ")");
  JournalContents out;
  std::map<LaneKey, Ranges> delivered;
  std::map<LaneKey, Ranges> refused;
  std::vector<JournalEntry> entries;
  const std::string host = this_host();
  std::string text;
  std::size_t number = 0;
  bool header_seen = false;
  while (std::getline(in, text)) {
    ++number;
    // A last line without its newline was cut short by a killed writer: its call never
    // returned, so nothing acknowledged is in it.
    if (in.eof()) break;
    if (text.empty()) continue;
    const json line = json::parse(text, nullptr, false);
    const std::string where = "line " + std::to_string(number);
    if (line.is_discarded() || !line.is_object()) {
      if (!header_seen) refuse_file(path, "its first line is not an mlflow-cpp journal header");
      refuse_file(path, where + " is not JSON (the file was damaged or edited)");
    }
    try {
      if (line.contains("format")) {
        if (line.at("format") != kFormat) refuse_file(path, where + " names another format");
        if (line.value("version", 0) != kVersion) {
          refuse_file(path, where + " has an unsupported format version");
        }
        header_seen = true;
        continue;
      }
      if (!header_seen) refuse_file(path, "its first line is not an mlflow-cpp journal header");
      if (line.contains("session")) {
        JournalSession s;
        s.id = line.at("session").get<std::string>();
        s.tracking_uri = line.at("uri").get<std::string>();
        s.host = line.at("host").get<std::string>();
        s.pid = line.at("pid").get<long>();
        s.live = s.host == host && process_alive(s.pid);
        out.sessions[s.id] = std::move(s);
        continue;
      }
      LaneKey lane{line.at("s").get<std::string>(), line.at("l").get<std::uint32_t>()};
      if (line.contains("d") || line.contains("x")) {
        const bool is_refused = line.contains("x");
        const json& range = line.at(is_refused ? "x" : "d");
        (is_refused ? refused : delivered)[lane].emplace_back(range.at(0).get<std::uint64_t>(),
                                                              range.at(1).get<std::uint64_t>());
        continue;
      }
      JournalEntry e;
      e.session = std::move(lane.first);
      e.lane = lane.second;
      e.seq = line.at("n").get<std::uint64_t>();
      e.run_id = line.at("r").get<std::string>();
      e.entry = decode_entry(line);
      if (out.sessions.count(e.session) == 0)
        refuse_file(path, where + " names an unknown session");
      entries.push_back(std::move(e));
    } catch (const MlflowException&) {
      throw;
    } catch (const std::exception& e) {
      refuse_file(path, where + " is damaged (" + e.what() + ")");
    }
  }
  if (!header_seen && number > 0) refuse_file(path, "it has no mlflow-cpp journal header");
  for (auto* marks : {&delivered, &refused}) {
    for (auto& [key, ranges] : *marks) merge(ranges);
  }
  const auto is_in = [](const std::map<LaneKey, Ranges>& marks, const JournalEntry& e) {
    const auto it = marks.find(LaneKey{e.session, e.lane});
    return it != marks.end() && covered(it->second, e.seq);
  };
  for (JournalEntry& e : entries) {
    out.accepted.add(e.entry.kind);
    if (is_in(delivered, e)) {
      out.delivered.add(e.entry.kind);
    } else if (is_in(refused, e)) {
      out.refused.add(e.entry.kind);
    } else {
      out.pending.push_back(std::move(e));
    }
  }
  std::stable_sort(out.pending.begin(), out.pending.end(),
                   [](const JournalEntry& a, const JournalEntry& b) {
                     return std::tie(a.session, a.lane, a.seq) < std::tie(b.session, b.lane, b.seq);
                   });
  return out;
}

// ---- Replaying ------------------------------------------------------------------------------

JournalReplayTotals replay_async_journal_file(const std::string& path,
                                              const JournalStoreFor& store_for,
                                              std::chrono::milliseconds max_outage,
                                              const Deadline& deadline, RetryHooks hooks) {
  JournalContents contents = read_async_journal(path);
  JournalReplayTotals totals;
  if (contents.pending.empty()) return totals;
  const std::unique_ptr<AsyncJournal> marks = AsyncJournal::open(path, nullptr);

  // One group per session and run, in logging order (lane, then seq).
  std::map<std::pair<std::string, std::string>, std::vector<JournalEntry*>> groups;
  std::vector<std::pair<std::string, std::string>> order;
  for (JournalEntry& e : contents.pending) {
    auto key = std::make_pair(e.session, e.run_id);
    auto [it, added] = groups.try_emplace(key);
    if (added) order.push_back(key);
    it->second.push_back(&e);
  }
  std::map<std::string, std::shared_ptr<TrackingStore>> stores;
  for (const auto& key : order) {
    std::vector<JournalEntry*>& group = groups[key];
    EntryCounts counts;
    for (const JournalEntry* e : group) counts.add(e->entry.kind);
    const JournalSession& session = contents.sessions.at(key.first);
    auto found = stores.find(session.id);
    if (found == stores.end()) found = stores.emplace(session.id, store_for(session)).first;
    if (!found->second || deadline.expired()) {
      totals.left += counts;
      continue;
    }
    std::vector<AsyncLoggingError> errors;
    AsyncSender sender(found->second, hooks, deadline,
                       [&](AsyncLoggingError error) { errors.push_back(std::move(error)); });
    std::vector<AsyncBuffer> round(1);
    round[0].runs.push_back(key.second);
    for (JournalEntry* e : group) round[0].entries.push_back(std::move(e->entry));
    sender.send_round(round, max_outage);
    sender.report_undelivered();
    const std::vector<const JournalEntry*> sent(group.begin(), group.end());
    if (errors.empty()) {
      for (const auto& [lane, first, last] : seq_ranges(sent)) {
        marks->mark(session.id, lane, first, last, nullptr);
      }
      totals.delivered += counts;
      continue;
    }
    // A failure a retry could fix leaves the entries pending; one it cannot is marked, so that
    // every later replay does not send them again, and reported.
    const AsyncLoggingError& first_error = errors.front();
    const bool lasting =
        first_error.code != ErrorCode::kDeadlineExceeded && !is_transient(first_error.code);
    if (lasting) {
      for (const auto& [lane, first, last] : seq_ranges(sent)) {
        marks->mark(session.id, lane, first, last, &first_error.reason);
      }
      totals.refused += counts;
    } else {
      totals.left += counts;
    }
    for (AsyncLoggingError& error : errors) {
      error.run_id = key.second;
      totals.errors.push_back(std::move(error));
    }
  }
  marks->sync();
  return totals;
}

}  // namespace mlflow::internal
