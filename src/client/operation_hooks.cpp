// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The operation hooks' registry and call sequence (ADR 0014).
#include "client/operation_hooks.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "core/enum_names.hpp"
#include "core/log.hpp"

namespace mlflow {
namespace internal {
namespace {

using HookList = std::vector<std::shared_ptr<OperationHook>>;

// Process-wide hooks: replaced as a whole under the mutex, read as a snapshot, so a hook
// added or removed during a call does not change that call's sequence.
struct ProcessHooks {
  std::mutex mutex;
  std::shared_ptr<const HookList> hooks = std::make_shared<HookList>();
};

ProcessHooks& process_hooks() {
  static ProcessHooks instance;
  return instance;
}

std::shared_ptr<const HookList> process_hooks_snapshot() {
  ProcessHooks& p = process_hooks();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.hooks;
}

// How deep the calling thread is in observed operations (calls made by an operation, or by a
// hook, on the same thread are nested).
thread_local int t_depth = 0;
// The innermost observed operation of the calling thread (0 for none).
thread_local std::uint64_t t_current = 0;
std::atomic<std::uint64_t> next_id{0};

OperationOutcome outcome_of(const std::exception_ptr& error) {
  OperationOutcome outcome;
  if (!error) return outcome;
  outcome.ok = false;
  try {
    std::rethrow_exception(error);
  } catch (const MlflowException& e) {
    outcome.error_code = e.error_code();
    outcome.error_message = e.what();
  } catch (const std::exception& e) {
    outcome.error_message = e.what();
  } catch (...) {
    outcome.error_message = "unknown exception";
  }
  return outcome;
}

}  // namespace

std::uint64_t local_bytes(const std::string& path) noexcept {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::u8path(path);
  if (!fs::is_directory(root, ec)) {
    const auto size = fs::file_size(root, ec);
    return ec ? 0 : static_cast<std::uint64_t>(size);
  }
  std::uint64_t total = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_regular_file(entry_ec)) continue;  // follows file links, not directory links
    const auto size = it->file_size(entry_ec);
    if (!entry_ec) total += static_cast<std::uint64_t>(size);
  }
  return total;
}

OperationHooks::OperationHooks(HookList client_hooks, std::string tracking_uri)
    : client_hooks_(std::move(client_hooks)), tracking_uri_(std::move(tracking_uri)) {
  client_hooks_.erase(std::remove(client_hooks_.begin(), client_hooks_.end(), nullptr),
                      client_hooks_.end());
  has_client_hooks_ = !client_hooks_.empty();
}

ObservedCall::ObservedCall(const OperationHooks& hooks, Operation operation)
    : operation_(std::move(operation)) {
  if (process_hook_count.load(std::memory_order_acquire) != 0) {
    const auto global = process_hooks_snapshot();
    hooks_ = *global;
  }
  hooks_.insert(hooks_.end(), hooks.client_hooks().begin(), hooks.client_hooks().end());
  operation_.id = next_id.fetch_add(1, std::memory_order_relaxed) + 1;
  operation_.parent_id = t_current;
  operation_.depth = t_depth++;
  t_current = operation_.id;
  std::size_t passed = 0;
  try {
    for (; passed < hooks_.size(); ++passed) hooks_[passed]->before(operation_);
  } catch (...) {
    OperationOutcome outcome = outcome_of(std::current_exception());
    outcome.vetoed = true;
    after_all(passed, outcome);
    --t_depth;
    t_current = operation_.parent_id;
    throw;
  }
  started_at_ = std::chrono::system_clock::now();
  start_ = std::chrono::steady_clock::now();
}

ObservedCall::~ObservedCall() {
  --t_depth;
  t_current = operation_.parent_id;
}

void ObservedCall::finish(const std::exception_ptr& error) noexcept {
  const auto duration = std::chrono::steady_clock::now() - start_;
  OperationOutcome outcome = outcome_of(error);
  outcome.started_at = started_at_;
  outcome.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(duration);
  after_all(hooks_.size(), outcome);
}

void ObservedCall::after_all(std::size_t count, const OperationOutcome& outcome) noexcept {
  for (std::size_t i = count; i-- > 0;) {
    try {
      hooks_[i]->after(operation_, outcome);
    } catch (const std::exception& e) {
      log(LogLevel::kWarning, "mlflow: an operation hook's after() threw for " +
                                  std::string(operation_.name) + " (ignored): " + e.what());
    } catch (...) {
      log(LogLevel::kWarning, "mlflow: an operation hook's after() threw for " +
                                  std::string(operation_.name) + " (ignored).");
    }
  }
}

}  // namespace internal

const char* to_string(OperationKind kind) noexcept {
  static constexpr internal::EnumName<OperationKind> kNames[] = {
      {OperationKind::kTracking, "tracking"},
      {OperationKind::kLoggedModel, "logged_model"},
      {OperationKind::kRegistry, "registry"},
      {OperationKind::kPrompt, "prompt"},
      {OperationKind::kWorkspace, "workspace"},
      {OperationKind::kArtifactUpload, "artifact_upload"},
      {OperationKind::kArtifactDownload, "artifact_download"},
      {OperationKind::kTrace, "trace"},
  };
  return internal::name_in(kNames, kind, "unknown");
}

void OperationHook::before(const Operation&) {}
void OperationHook::after(const Operation&, const OperationOutcome&) {}

void add_operation_hook(std::shared_ptr<OperationHook> hook) {
  if (!hook) {
    throw_error(ErrorCode::kInvalidParameterValue, "add_operation_hook needs a non-null hook.");
  }
  internal::ProcessHooks& p = internal::process_hooks();
  std::lock_guard<std::mutex> lock(p.mutex);
  auto next = std::make_shared<internal::HookList>(*p.hooks);
  next->push_back(std::move(hook));
  p.hooks = std::move(next);
  const int count = static_cast<int>(p.hooks->size());
  internal::process_hook_count.store(count, std::memory_order_release);
}

bool remove_operation_hook(const std::shared_ptr<OperationHook>& hook) {
  internal::ProcessHooks& p = internal::process_hooks();
  std::lock_guard<std::mutex> lock(p.mutex);
  auto next = std::make_shared<internal::HookList>(*p.hooks);
  const auto it = std::find(next->begin(), next->end(), hook);
  if (it == next->end()) return false;
  next->erase(it);
  p.hooks = std::move(next);
  const int count = static_cast<int>(p.hooks->size());
  internal::process_hook_count.store(count, std::memory_order_release);
  return true;
}

}  // namespace mlflow
