// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The rows of MLflow 3.18's trace tables as Python's SqlAlchemyStore writes and reads them
// (mlflow/store/tracking/dbmodels/models.py, store/tracking/utils/trace_analytics.py):
//   * trace_info keeps session id, token usage and cost in columns of its own
//     (session_id, input_tokens ... cache_creation_input_tokens_above_1hr, input_cost ...
//     total_cost), not as trace_request_metadata rows; reading a trace puts them back into its
//     metadata as `mlflow.trace.session`, `mlflow.trace.tokenUsage` and `mlflow.trace.cost`;
//   * trace-level usage and cost are aggregated from the spans' `mlflow.chat.tokenUsage` and
//     `mlflow.llm.cost` attributes without counting a child whose ancestor already has them;
//   * assessments store JSON text: the value, the error and the metadata (json.dumps).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/assessment.hpp"
#include "mlflow/json_value.hpp"
#include "mlflow/trace.hpp"
#include "sqlite/db.hpp"

namespace mlflow::internal::sqlite {

/// Python's finite_float_or_none: numbers and numeric text (float()), bools and non-finite
/// values excluded.
std::optional<double> finite_float_or_none(const JsonValue& value);
/// Python's token_count_or_none: integral numbers or numeric text within BIGINT.
std::optional<std::int64_t> token_count_or_none(const JsonValue& value);

/// A key of the token usage or cost JSON and the trace_info column holding it.
struct AnalyticsColumn {
  const char* key;
  const char* column;
};
/// TOKEN_COLUMN_BY_KEY and COST_COLUMN_BY_KEY, in their order.
extern const std::array<AnalyticsColumn, 6> kTokenColumns;
extern const std::array<AnalyticsColumn, 3> kCostColumns;

/// Metadata keys kept in trace_info columns instead of trace_request_metadata rows.
bool is_promoted_metadata_key(const std::string& key);

/// The trace_info analytics columns a trace's metadata sets (analytics_columns_from_metadata):
/// a column is listed when its key is in the metadata's JSON, with NULL for a value that is not
/// a count (a number).
struct AnalyticsColumns {
  std::optional<std::string> session_id;
  bool has_session = false;
  std::vector<std::pair<const char*, std::optional<std::int64_t>>> tokens;
  std::vector<std::pair<const char*, std::optional<double>>> costs;
};
/// Throws INVALID_PARAMETER_VALUE for a session id over 250 characters.
AnalyticsColumns analytics_columns_from_metadata(const std::map<std::string, std::string>& md);

/// The session id of a trace, checked as validate_session_id does (at most 250 characters).
std::string validated_session_id(const std::string& session_id);

/// Tree-aware aggregation (mlflow.tracing.utils._aggregate_from_nodes): the usage or cost of
/// each span whose ancestors have none is summed.
struct SpanAggregationNode {
  std::string span_id;
  std::optional<std::string> parent_id;
  /// The span's usage or cost object; null when it has none.
  JsonValue data;
};
/// {input_tokens, output_tokens, total_tokens[, cache keys present]}; null without data.
JsonValue aggregate_usage(const std::vector<SpanAggregationNode>& nodes);
/// {input_cost, output_cost, total_cost}; null without data.
JsonValue aggregate_cost(const std::vector<SpanAggregationNode>& nodes);

/// Python's _try_parse_json_string: the string a JSON text holds, else the text itself.
std::string parse_json_string_or_raw(const std::string& text);

/// Reads the trace infos of `trace_ids` (tags, metadata, analytics metadata, assessments) in
/// the order given; ids without a row are left out. One read transaction is the caller's.
std::vector<TraceInfo> load_trace_infos(Connection& c, const std::vector<std::string>& trace_ids);

/// assessments' columns, in the order read_assessment expects them.
extern const char* const kAssessmentColumns;
/// Python's SqlAssessments.to_mlflow_entity of a row selected with kAssessmentColumns.
Assessment read_assessment(const Statement& s);
/// Python's SqlAssessments.from_mlflow_entity + INSERT (valid=true, times defaulting to
/// `now_ms`, the trace's experiment and timestamp denormalised). `a.assessment_id` is set.
void insert_assessment(Connection& c, const Assessment& a, std::int64_t experiment_id,
                       std::int64_t trace_timestamp_ms, std::int64_t now_ms);
/// The value column's JSON text, the error column's (or nullopt), and the materialised
/// aggregate (assessment_aggregate) of `a`'s value.
struct AssessmentValueColumns {
  std::string value;
  std::optional<std::string> error;
  std::optional<double> aggregate_value;
  bool is_numeric_value = false;
};
AssessmentValueColumns assessment_value_columns(const Assessment& a);
/// json.dumps(metadata), or nullopt for empty metadata.
std::optional<std::string> assessment_metadata_json(const std::map<std::string, std::string>& md);

}  // namespace mlflow::internal::sqlite
