// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// MLflow's trace search grammar (SearchTracesV3) translated to SQL over MLflow 3.18's trace
// tables, with the meaning SqlAlchemyStore.search_traces gives it: attributes and the
// denormalised trace_info columns (trace name, session, token usage and cost), tags and
// request metadata, span name/type/status/content/attributes on one span, feedback and
// expectation values (session-scoped ones included), issue references, linked prompts and
// runs, MLflow's orderings and tiebreaks, offset page tokens. Every user value is a bound
// parameter.

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite/search_sql.hpp"

namespace mlflow::internal::sqlite_search {

/// SELECT trace_info.request_id FROM trace_info ... for one page of the experiments'
/// traces: `limit` rows (the caller passes max_results + 1) after the page token's offset.
/// Parses order_by first, then the filter, then the page token, as MLflow does, and throws
/// INVALID_PARAMETER_VALUE with MLflow's messages (INTERNAL_ERROR where MLflow raises without
/// a code, e.g. duplicate order_by fields).
SqlQuery build_search_traces_query(const std::vector<std::int64_t>& experiment_ids,
                                   const std::string& filter,
                                   const std::vector<std::string>& order_by,
                                   const std::string& page_token, std::int64_t limit);

}  // namespace mlflow::internal::sqlite_search
