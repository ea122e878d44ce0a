// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Parser for MLflow's search filter strings and order_by clauses (runs and experiments).
//
// MLflow parses filters with sqlparse and then checks the token groups; this parser accepts the
// same language (comparisons joined by AND) and reports malformed input with MLflow's messages.
// Comparator checks that MLflow makes only while building SQL are made by search_sql.cpp, in
// the same order, so the first error reported for a filter matches MLflow's.

#include <string>
#include <vector>

#include "core/strings.hpp"

namespace mlflow::internal::sqlite_search {

enum class EntityType {
  kMetric,
  kParam,
  kTag,
  kAttribute,
  kDataset,
  // Trace search only: request metadata, spans, assessments and issue references.
  kMetadata,
  kSpan,
  kFeedback,
  kExpectation,
  kIssue,
};

/// MLflow's canonical name of an entity type ("metric", "parameter", "tag", ...).
const char* entity_name(EntityType type) noexcept;

/// A typed comparison value, already checked against the entity's expected type.
struct FilterValue {
  enum class Kind { kNone, kString, kNumber, kList } kind = Kind::kNone;
  /// kString: the text between the quotes, kept raw (MLflow does not unescape).
  /// kNumber: the literal as written.
  std::string text;
  /// kNumber: whether the literal is an integer (Python's int) rather than a float.
  bool is_integer = false;
  /// kList: the strings of an IN / NOT IN list.
  std::vector<std::string> list;
};

/// One `<identifier> <comparator> <value>` (or `IS [NOT] NULL`) clause.
struct FilterClause {
  EntityType type = EntityType::kAttribute;
  /// The key as written, quotes stripped; aliases (created, run name) are not translated.
  std::string key;
  /// The comparator as written ("like", "NOT IN", "IS NULL"); MLflow upper-cases it later.
  std::string comparator;
  FilterValue value;
};

struct OrderByClause {
  EntityType type = EntityType::kAttribute;
  std::string key;
  bool ascending = true;
};

/// SearchTracesV3 filter (SearchTraceUtils.parse_search_filter_for_search_traces): keys are
/// already mapped as MLflow maps them (`name` -> tag mlflow.traceName, `run_id` -> metadata
/// mlflow.sourceRun, `text` -> span content, `timestamp` -> timestamp_ms, ...); comparators as
/// written except IS [NOT] NULL. Checks the store makes later are left to the SQL builder.
std::vector<FilterClause> parse_traces_filter(const std::string& filter);
/// One SearchTracesV3 order_by entry, keys mapped the same way.
OrderByClause parse_traces_order_by(const std::string& order_by);

/// SearchRuns filter; "" gives no clauses. Throws InvalidParameterValue with MLflow's messages.
std::vector<FilterClause> parse_runs_filter(const std::string& filter);
/// SearchExperiments filter (only attributes and tags).
std::vector<FilterClause> parse_experiments_filter(const std::string& filter);

/// SearchRegisteredModels filter: `name` and tags (=, !=, LIKE, ILIKE; name also IN).
std::vector<FilterClause> parse_registered_models_filter(const std::string& filter);
/// SearchModelVersions filter: name, version_number, run_id, source_path and tags.
std::vector<FilterClause> parse_model_versions_filter(const std::string& filter);
/// One order_by entry of those searches (keys checked; the builder rejects the rest).
OrderByClause parse_registered_models_order_by(const std::string& order_by);
OrderByClause parse_model_versions_order_by(const std::string& order_by);

/// One SearchRuns order_by entry: `<identifier> [ASC|DESC]`.
OrderByClause parse_runs_order_by(const std::string& order_by);
/// One SearchExperiments order_by entry (type may be kTag; the caller rejects it as MLflow does).
OrderByClause parse_experiments_order_by(const std::string& order_by);

using internal::python_bytes_repr;
using internal::python_repr;

}  // namespace mlflow::internal::sqlite_search
