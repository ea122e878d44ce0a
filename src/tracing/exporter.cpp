// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "tracing/exporter.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/logging.hpp"
#include "tracing/finalize.hpp"

namespace mlflow::internal::tracing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kDeadlinePurpose =
    "the trace export deadline (flush_trace_async_logging's timeout with terminate=true, or at "
    "exit TraceExportOptions::exit_timeout)";

std::size_t json_bytes(const JsonValue& v) {
  switch (v.type()) {
    case JsonValue::Type::kString:
      return v.as_string().size() + 32;
    case JsonValue::Type::kArray: {
      std::size_t n = 32;
      for (const auto& item : v.as_array()) n += json_bytes(item);
      return n;
    }
    case JsonValue::Type::kObject: {
      std::size_t n = 32;
      for (const auto& [key, item] : v.as_object()) n += key.size() + 32 + json_bytes(item);
      return n;
    }
    default:
      return sizeof(JsonValue);
  }
}

// The traced thread's hand-over made ready to send, here on the sending thread: the spans
// taken over, and what Python computes when a trace's root ends.
void prepare(ExportItem& item) {
  // Copied, not moved: a span handle may still read it (an ended span never changes, so no
  // lock is needed; the queue's mutex orders the hand-over before this).
  item.spans.reserve(item.spans.size() + item.handed_over.size());
  for (const auto& span : item.handed_over) item.spans.push_back(*span);
  item.handed_over.clear();
  if (!item.needs_finalize || !item.info) return;
  item.needs_finalize = false;
  const auto root = std::find_if(item.spans.begin(), item.spans.end(),
                                 [](const SpanData& s) { return !s.parent_id; });
  if (root != item.spans.end()) finalize_trace_info(*item.info, *root, item.spans);
}

std::string describe(const ExportItem& item) {
  return "trace '" + item.trace_id + "' (" + std::to_string(item.span_count()) + " spans)";
}

}  // namespace

std::size_t approximate_bytes(const SpanData& span) {
  std::size_t n = sizeof(SpanData) + span.name.size() + span.status.description.size() +
                  json_bytes(span.attributes);
  for (const auto& e : span.events)
    n += sizeof(SpanEvent) + e.name.size() + json_bytes(e.attributes);
  return n;
}

TraceExporter::TraceExporter(std::shared_ptr<TraceStore> store, TraceExportOptions options,
                             std::string name, RetryHooks hooks)
    : store_(std::move(store)),
      options_(std::move(options)),
      name_(std::move(name)),
      hooks_(std::move(hooks)),
      deadline_(kDeadlinePurpose),
      unbounded_("no deadline") {
  const RetryHooks defaults = default_retry_hooks();
  if (!hooks_.sleep) hooks_.sleep = defaults.sleep;
  if (!hooks_.random) hooks_.random = defaults.random;
  if (options_.asynchronous) {
    const int workers = std::max(1, options_.max_workers);
    senders_.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) senders_.emplace_back([this] { sender_loop(); });
  }
}

TraceExporter::~TraceExporter() { shutdown(Clock::now() + std::chrono::hours(24 * 365)); }

void TraceExporter::submit(ExportItem item) noexcept {
  try {
    std::unique_lock<std::mutex> lock(mutex_);
    ++submitted_;
    enqueued_.fetch_add(1, std::memory_order_relaxed);
    if (!options_.asynchronous || stopping_) {
      lock.unlock();
      // Python runs the task on the caller's thread once the queue is terminated, too. It is
      // bounded by the caller's own deadline (an exit path's) when it has one.
      std::lock_guard<std::mutex> sync(sync_mutex_);
      std::vector<ExportItem> batch;
      batch.push_back(std::move(item));
      const Deadline* caller = current_deadline();
      send_batch(batch, caller != nullptr ? *caller : unbounded_);
      return;
    }
    if (queue_.size() >= options_.max_queue_traces ||
        queued_bytes_ + item.bytes > options_.max_queue_bytes) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      ++finished_;
      const std::string reason = "the trace export queue is full (" +
                                 std::to_string(queue_.size()) + " traces, " +
                                 std::to_string(queued_bytes_) +
                                 " bytes); raise TraceExportOptions::max_queue_traces / "
                                 "max_queue_bytes or MLFLOW_ASYNC_TRACE_LOGGING_MAX_QUEUE_SIZE";
      errors_.push_back({item.trace_id, item.span_count(), ErrorCode::kResourceExhausted, reason});
      const bool first = dropped_.load() == 1;
      lock.unlock();
      done_cv_.notify_all();
      if (first)
        log(LogLevel::kWarning, "mlflow tracing: dropped " + describe(item) + ": " + reason);
      report(TraceExportError{item.trace_id, item.span_count(), ErrorCode::kResourceExhausted,
                              reason});
      return;
    }
    queued_bytes_ += item.bytes;
    peak_queued_bytes_ = std::max(peak_queued_bytes_, queued_bytes_);
    queue_.push_back(std::move(item));
    lock.unlock();
    work_cv_.notify_one();
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, std::string("mlflow tracing: could not queue a trace: ") + e.what());
  }
}

void TraceExporter::sender_loop() {
  // The store's transport and the hold's sleeps honour the shutdown deadline.
  ScopedDeadline scope(deadline_);
  while (true) {
    std::vector<ExportItem> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      // Stopping and drained; or out of time, what is queued being shutdown's to report.
      if (queue_.empty() || deadline_.expired()) return;
      // A fair share of what is queued, so that the other senders send their traces'
      // StartTraceV3 at the same time instead of one sender sending every trace's in turn.
      const std::size_t workers = static_cast<std::size_t>(std::max(1, options_.max_workers));
      const std::size_t share = (queue_.size() + workers - 1) / workers;
      std::size_t spans = 0;
      while (!queue_.empty() &&
             (batch.empty() || (batch.size() < share && spans + queue_.front().span_count() <=
                                                            options_.max_spans_per_request))) {
        spans += queue_.front().span_count();
        queued_bytes_ -= queue_.front().bytes;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    send_batch(batch, deadline_);
  }
}

std::optional<MlflowException> TraceExporter::with_hold(const std::function<void()>& op,
                                                        const char* what,
                                                        const Deadline& deadline) {
  bool warned = false;
  const HoldResult result = hold_through_outage(
      op, options_.retry_timeout, deadline, hooks_,
      [&](const MlflowException& e, std::chrono::milliseconds) {
        resends_.fetch_add(1, std::memory_order_relaxed);
        if (warned) return;
        warned = true;
        log(LogLevel::kWarning, std::string("mlflow tracing: ") + what + " failed (" + e.what() +
                                    "); holding the traces and retrying for up to " +
                                    std::to_string(options_.retry_timeout.count() / 1000) + " s");
      });
  switch (result.outcome) {
    case HoldResult::Outcome::kSent:
      return std::nullopt;
    case HoldResult::Outcome::kFailed:
      return result.error;
    case HoldResult::Outcome::kDeadline:
      break;
  }
  std::string reason = "not sent before " + deadline.purpose() + " passed";
  if (result.error) reason += "; the store's last answer: " + std::string(result.error->what());
  return MlflowException(ErrorCode::kDeadlineExceeded, reason);
}

void TraceExporter::send_batch(std::vector<ExportItem>& batch, const Deadline& deadline) {
  std::vector<bool> failed(batch.size(), false);
  for (auto& item : batch) prepare(item);

  // 1. Spans: one OTLP request per experiment (the server takes a batch all or nothing).
  if (store_takes_spans_.load()) {
    std::map<std::string, std::vector<std::size_t>> by_experiment;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].spans.empty()) by_experiment[batch[i].experiment_id].push_back(i);
    }
    for (const auto& [experiment_id, indexes] : by_experiment) {
      std::vector<SpanData> spans;
      for (std::size_t i : indexes) {
        spans.insert(spans.end(), batch[i].spans.begin(), batch[i].spans.end());
      }
      auto error = with_hold(
          [&] {
            otlp_requests_.fetch_add(1, std::memory_order_relaxed);
            store_->log_spans(experiment_id, spans);
          },
          "sending spans", deadline);
      if (!error) continue;
      if (error->error_code() == ErrorCode::kNotImplemented) {
        log(LogLevel::kInfo, "mlflow tracing: " + name_ +
                                 " does not take spans over OTLP; storing them as the trace "
                                 "artifact traces.json instead (" +
                                 error->what() + ")");
        store_takes_spans_.store(false);
        break;
      }
      // A permanent failure of a batch of several traces: find the trace(s) at fault.
      for (std::size_t i : indexes) {
        auto single = indexes.size() == 1
                          ? error
                          : with_hold(
                                [&] {
                                  otlp_requests_.fetch_add(1, std::memory_order_relaxed);
                                  store_->log_spans(experiment_id, batch[i].spans);
                                },
                                "sending spans", deadline);
        if (single && single->error_code() != ErrorCode::kNotImplemented) {
          give_up(batch[i], *single);
          failed[i] = true;
        }
      }
    }
  }

  // 2. Trace records (StartTraceV3), the artifact fallback, linked prompts.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (failed[i]) continue;
    ExportItem& item = batch[i];
    if (!item.info) {
      if (!store_takes_spans_.load()) {
        give_up(item, MlflowException(ErrorCode::kNotImplemented,
                                      "the server cannot store spans recorded in a remote "
                                      "process (distributed tracing needs OTLP span ingestion: "
                                      "an MLflow server >= 3.4 with a SQL backend)"));
      } else {
        finish(item, std::nullopt);
      }
      continue;
    }
    // Assessments logged while the trace was live get their ids here, once, so that a
    // re-sent request updates the same assessments (Python's _start_trace_v3).
    for (auto& a : item.info->assessments) {
      if (!a.assessment_id) a.assessment_id = "a-" + uuid4_hex();
    }
    TraceInfo stored;
    auto error = with_hold(
        [&] {
          start_trace_requests_.fetch_add(1, std::memory_order_relaxed);
          stored = store_->start_trace(*item.info);
        },
        "logging the trace", deadline);
    if (error) {
      give_up(item, *error);
      continue;
    }
    const auto location = stored.tags.find(TraceTagKey::kSpansLocation);
    if (location == stored.tags.end() || location->second != "TRACKING_STORE") {
      error = with_hold([&] { store_->upload_trace_data(stored, item.spans); },
                        "uploading traces.json", deadline);
      if (error) {
        give_up(item, *error);
        continue;
      }
    }
    if (!item.prompts.empty()) {
      // Not critical for the trace (Python links prompts asynchronously, best effort).
      try {
        store_->link_prompts_to_trace(item.trace_id, item.prompts);
      } catch (const std::exception& e) {
        log(LogLevel::kWarning,
            "mlflow tracing: failed to link prompts to trace '" + item.trace_id + "': " + e.what());
      }
    }
    finish(item, std::nullopt);
  }
}

void TraceExporter::give_up(const ExportItem& item, const MlflowException& e) {
  // What a deadline cut short is summed up in one line by shutdown, not one line per trace.
  if (e.error_code() == ErrorCode::kDeadlineExceeded) {
    cut_by_deadline_.fetch_add(1, std::memory_order_relaxed);
  } else {
    log(LogLevel::kWarning,
        "mlflow tracing: failed to send " + describe(item) + " to " + name_ + ": " + e.what());
  }
  finish(item, TraceExportError{item.trace_id, item.span_count(), e.error_code(), e.what()});
}

void TraceExporter::report(const TraceExportError& error) noexcept {
  if (!options_.on_error) return;
  try {
    options_.on_error(error);
  } catch (...) {
    // A callback's failure must not stop the sender.
  }
}

void TraceExporter::finish(const ExportItem& item, std::optional<TraceExportError> error) {
  (void)item;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++finished_;
    if (error) {
      failed_.fetch_add(1, std::memory_order_relaxed);
      errors_.push_back(*error);
    } else {
      exported_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  done_cv_.notify_all();
  if (error) report(*error);
}

std::size_t TraceExporter::wait_until_drained(std::optional<Clock::time_point> deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::uint64_t target = submitted_;
  const auto done = [&] { return finished_ >= target; };
  if (deadline) {
    done_cv_.wait_until(lock, *deadline, done);
  } else {
    done_cv_.wait(lock, done);
  }
  return finished_ >= target ? 0 : static_cast<std::size_t>(target - finished_);
}

std::vector<TraceExportError> TraceExporter::take_errors() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TraceExportError> out;
  out.swap(errors_);
  return out;
}

std::vector<TraceExportError> TraceExporter::shutdown(Clock::time_point deadline) noexcept {
  begin_shutdown(deadline);
  return finish_shutdown(deadline);
}

void TraceExporter::begin_shutdown(Clock::time_point deadline) noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  // The senders stop holding a little before the caller gives up on them, to report in time.
  deadline_.expire_at(worker_stop_time(deadline));
}

std::vector<TraceExportError> TraceExporter::finish_shutdown(Clock::time_point deadline) noexcept {
  std::vector<TraceExportError> lost;
  try {
    std::lock_guard<std::mutex> guard(shutdown_mutex_);
    if (shut_down_) return lost;
    shut_down_ = true;
    std::uint64_t in_flight = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto done = [&] { return finished_ >= submitted_; };
      done_cv_.wait_until(lock, deadline_.at(), done);
      // Time is up: what is still queued is abandoned.
      for (const auto& item : queue_) {
        lost.push_back({item.trace_id, item.span_count(), ErrorCode::kDeadlineExceeded,
                        "not sent before " + deadline_.purpose() + " passed"});
        ++finished_;
        failed_.fetch_add(1, std::memory_order_relaxed);
      }
      queue_.clear();
      queued_bytes_ = 0;
      work_cv_.notify_all();
      done_cv_.notify_all();
      // Senders in a request give up at their deadline; one blocked in a request to a server
      // that does not answer is left behind rather than delaying the caller.
      done_cv_.wait_until(lock, std::max(deadline, Clock::now()), done);
      in_flight = submitted_ - std::min(submitted_, finished_);
    }
    for (auto& t : senders_) {
      if (in_flight == 0) {
        t.join();
      } else {
        t.detach();  // the exporter outlives it (exporters live until the process ends)
      }
    }
    senders_.clear();
    for (const auto& l : lost) report(l);
    const std::uint64_t cut = cut_by_deadline_.load();
    if (!lost.empty() || in_flight > 0 || cut > 0) {
      log(LogLevel::kError, "mlflow tracing: " + std::to_string(lost.size() + in_flight + cut) +
                                " trace(s) were not delivered to " + name_ + " before " +
                                deadline_.purpose() + " passed (" + std::to_string(cut) +
                                " held through an outage, " + std::to_string(lost.size()) +
                                " still queued, " + std::to_string(in_flight) +
                                " still being sent)");
    }
    if (in_flight > 0) {
      lost.push_back({"", 0, ErrorCode::kDeadlineExceeded,
                      std::to_string(in_flight) + " trace(s) were still being sent"});
    }
  } catch (...) {
    // Never throw from shutdown (it runs at exit).
  }
  return lost;
}

TraceExportStats TraceExporter::stats() const {
  TraceExportStats s;
  s.enqueued_traces = enqueued_.load();
  s.exported_traces = exported_.load();
  s.dropped_traces = dropped_.load();
  s.failed_traces = failed_.load();
  s.otlp_requests = otlp_requests_.load();
  s.start_trace_requests = start_trace_requests_.load();
  s.resends = resends_.load();
  std::lock_guard<std::mutex> lock(mutex_);
  s.queued_traces = queue_.size();
  s.queued_bytes = queued_bytes_;
  s.peak_queued_bytes = peak_queued_bytes_;
  return s;
}

}  // namespace mlflow::internal::tracing
