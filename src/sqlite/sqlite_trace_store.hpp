// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Traces on the embedded store: the TraceStore seam over MLflow 3.18's trace tables
// (trace_info, trace_tags, trace_request_metadata, spans, assessments, entity_associations),
// with the rows, derived fields, errors and search semantics of Python's SqlAlchemyStore and
// the checks its REST handlers add (system tags refused), on the sqlite::Database the URI's
// other stores share. Every call is one transaction. ADR 0023 says what differs and why.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "sqlite/database.hpp"
#include "store/trace_store.hpp"

namespace mlflow::internal {

class SqliteTraceStore : public TraceStore {
 public:
  /// `hooks.sleep` paces get_trace's waits for spans still being exported (1 s, then 2 s, as
  /// the server waits); tests pass a no-op.
  explicit SqliteTraceStore(std::shared_ptr<sqlite::Database> db,
                            RetryHooks hooks = default_retry_hooks());

// upload_trace_data is always NOT_IMPLEMENTED: this store holds spans itself (log_spans).
#include "store/trace_store_overrides.inc"  // IWYU pragma: keep

 private:
  std::shared_ptr<sqlite::Database> db_;
  RetryHooks hooks_;
};

}  // namespace mlflow::internal
