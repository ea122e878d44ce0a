// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// MLflow's search grammar (filter strings, order_by clauses, page tokens) translated to SQL over
// MLflow's own SQLite schema. The embedded store runs these queries as they come; every user
// value (keys included) travels as a bind parameter, so no user text is ever part of the SQL.

#include <cstdint>
#include <string>
#include <vector>

#include "mlflow/view_type.hpp"
#include "sqlite/search_filter.hpp"
#include "sqlite/sql_builder.hpp"

namespace mlflow::internal::sqlite_search {

using sqlite::Bind;
using sqlite::SqlQuery;

/// Full SELECT of runs.run_uuid for one page: experiment ids, view type (lifecycle_stage),
/// filter, order_by, offset and limit (the caller passes max_results + 1) applied, ordered
/// exactly as MLflow orders. Throws InvalidParameterValue with MLflow's messages.
SqlQuery build_search_runs_query(const std::vector<std::string>& experiment_ids, ViewType view,
                                 const std::string& filter,
                                 const std::vector<std::string>& order_by, std::int64_t offset,
                                 std::int64_t limit);

/// Same for experiments: SELECT experiments.experiment_id ... (workspace 'default' only).
SqlQuery build_search_experiments_query(ViewType view, const std::string& filter,
                                        const std::vector<std::string>& order_by,
                                        std::int64_t offset, std::int64_t limit);

/// Python's int() of an experiment id; INVALID_PARAMETER_VALUE ("Invalid experiment ID '...'.
/// Experiment ID must be a valid integer.") otherwise.
std::int64_t parse_experiment_id(const std::string& id);

/// Binds a numeric filter value as Python passes it: int when written as one (and when it fits
/// SQLite's integers), float otherwise.
void bind_number(sqlite::SqlBuilder& b, const FilterValue& v);

/// base64 of JSON {"offset": N}, byte for byte as Python's json.dumps writes it.
std::string encode_page_token(std::int64_t offset);
/// Parses a token from encode_page_token (or from MLflow). Throws InvalidParameterValue with
/// MLflow's message when it is not base64, not JSON or has no offset.
std::int64_t decode_page_token(const std::string& token);

}  // namespace mlflow::internal::sqlite_search
