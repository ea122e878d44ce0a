// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// How a client operation passes its hooks (include/mlflow/operation_hook.hpp, ADR 0014):
//
//   return impl_->hooks().run("get_run", OperationKind::kTracking, on_run(run_id),
//                             [&] { return store.get_run(run_id); });
//
// With no hook installed, run() is one well-predicted branch (a client flag and one relaxed
// atomic load) before the body; the description of the operation (a lambda filling an
// Operation) is never evaluated. With hooks, the body may take an `Operation*` to add what
// only the result knows (a created id, bytes downloaded); it is null when nothing observes.

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mlflow/operation_hook.hpp"

namespace mlflow::internal {

/// Hooks installed process-wide (add_operation_hook); read on every operation.
inline std::atomic<int> process_hook_count{0};

class OperationHooks {
 public:
  OperationHooks(std::vector<std::shared_ptr<OperationHook>> client_hooks,
                 std::string tracking_uri);

  /// Whether any hook may see an operation of this client.
  bool active() const noexcept {
    return has_client_hooks_ | (process_hook_count.load(std::memory_order_relaxed) != 0);
  }

  /// Runs `body` as the operation `name` of `kind`, described by `describe(Operation&)`.
  template <typename Describe, typename Body>
  auto run(std::string_view name, OperationKind kind, Describe&& describe, Body&& body) const;

  const std::vector<std::shared_ptr<OperationHook>>& client_hooks() const noexcept {
    return client_hooks_;
  }

 private:
  template <typename Body>
  static decltype(auto) call(Body& body, Operation* operation) {
    if constexpr (std::is_invocable_v<Body&, Operation*>) {
      return body(operation);
    } else {
      (void)operation;
      return body();
    }
  }

  std::vector<std::shared_ptr<OperationHook>> client_hooks_;
  bool has_client_hooks_;
  std::string tracking_uri_;
};

/// One observed operation: before() of every hook on construction (process-wide hooks first,
/// then the client's); a veto calls after() of those already passed, in reverse, and
/// rethrows. finish() calls after() of every hook, in reverse order.
class ObservedCall {
 public:
  ObservedCall(const OperationHooks& hooks, Operation operation);
  ~ObservedCall();
  ObservedCall(const ObservedCall&) = delete;
  ObservedCall& operator=(const ObservedCall&) = delete;

  Operation& operation() noexcept { return operation_; }
  /// `error` null for success.
  void finish(const std::exception_ptr& error) noexcept;

 private:
  void after_all(std::size_t count, const OperationOutcome& outcome) noexcept;

  std::vector<std::shared_ptr<OperationHook>> hooks_;
  Operation operation_;
  std::chrono::system_clock::time_point started_at_;
  std::chrono::steady_clock::time_point start_;
};

template <typename Describe, typename Body>
auto OperationHooks::run(std::string_view name, OperationKind kind, Describe&& describe,
                         Body&& body) const {
  if (!active()) return call(body, nullptr);
  Operation operation;
  operation.name = name;
  operation.kind = kind;
  operation.tracking_uri = tracking_uri_;
  describe(operation);
  ObservedCall observed(*this, std::move(operation));
  using Result = decltype(call(body, nullptr));
  try {
    if constexpr (std::is_void_v<Result>) {
      call(body, &observed.operation());
      observed.finish(nullptr);
    } else {
      Result result = call(body, &observed.operation());
      observed.finish(nullptr);
      return result;
    }
  } catch (...) {
    observed.finish(std::current_exception());
    throw;
  }
}

// ---- Descriptions of the common targets --------------------------------------------------

inline auto no_target() {
  return [](Operation&) {};
}
inline auto on_experiment(const std::string& experiment_id) {
  return [&experiment_id](Operation& op) { op.target.experiment_id = experiment_id; };
}
inline auto on_run(const std::string& run_id, std::uint64_t items = 0) {
  return [&run_id, items](Operation& op) {
    op.target.run_id = run_id;
    op.items = items;
  };
}
inline auto on_logged_model(const std::string& model_id, std::uint64_t items = 0) {
  return [&model_id, items](Operation& op) {
    op.target.model_id = model_id;
    op.items = items;
  };
}
// An artifact transfer of the run or logged model whose id `owner` (&OperationTarget::run_id,
// ::model_id) holds, at `artifact_path`, moving `bytes` (uploads).
inline auto on_artifact_transfer(std::string OperationTarget::*owner, const std::string& id,
                                 const std::string& artifact_path, std::uint64_t bytes) {
  return [owner, &id, &artifact_path, bytes](Operation& op) {
    op.target.*owner = id;
    op.target.artifact_path = artifact_path;
    op.bytes = bytes;
  };
}
inline auto on_registered_model(const std::string& name, const std::string& version = {}) {
  return [&name, version](Operation& op) {
    op.target.registered_model = name;
    op.target.version = version;
  };
}
inline auto on_prompt(const std::string& name, int version = 0) {
  return [&name, version](Operation& op) {
    op.target.prompt = name;
    op.target.registered_model = name;
    if (version > 0) op.target.version = std::to_string(version);
  };
}
inline auto on_workspace(const std::string& name) {
  return [&name](Operation& op) { op.target.workspace = name; };
}
inline auto on_trace(const std::string& trace_id) {
  return [&trace_id](Operation& op) { op.target.trace_id = trace_id; };
}

/// Calls `add(key, value)` for each tag the hooks' before() added to a creating operation
/// (Operation::added_tags) that the caller's `explicit_tags` do not set: the caller's win.
template <typename Tags, typename Add>
void for_added_tags(const Operation* op, const Tags& explicit_tags, Add&& add) {
  if (op == nullptr) return;
  for (const auto& [key, value] : op->added_tags) {
    if (explicit_tags.find(key) == explicit_tags.end()) add(key, value);
  }
}

/// Bytes of a local file, or of the regular files below a directory (file links followed,
/// directory links not); 0 for what cannot be read. The upload size a hook sees beforehand.
std::uint64_t local_bytes(const std::string& path) noexcept;

}  // namespace mlflow::internal
