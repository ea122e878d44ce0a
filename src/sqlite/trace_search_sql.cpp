// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// SearchTracesV3 on the embedded store, clause by clause as MLflow 3.18's
// _get_filter_clauses_for_search_traces and _get_orderby_clauses_for_search_traces build them
// (mlflow/store/tracking/sqlalchemy_store.py), in the same order of checks so the first error
// reported matches the server's. MLflow inner-joins subqueries for tags and metadata (one row
// per trace and key, so an EXISTS selects the same traces) and puts all span predicates in one
// correlated EXISTS, so that they must hold for the same span.
#include "sqlite/trace_search_sql.hpp"

#include <cmath>
#include <optional>
#include <utility>

#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/json_value.hpp"
#include "sqlite/search_filter.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

using sqlite::SqlBuilder;

[[noreturn]] void invalid(const std::string& message) { sqlite::invalid_parameter(message); }

bool in(const std::string& c, std::initializer_list<const char*> set) {
  for (const char* s : set) {
    if (c == s) return true;
  }
  return false;
}

// SearchTraceUtils' comparator sets, as its messages print them.
const char* const kStringComparators = "{'!=', '=', 'IN', 'NOT IN', 'LIKE', 'ILIKE', 'RLIKE'}";
const char* const kTagComparators =
    "{'!=', '=', 'LIKE', 'ILIKE', 'RLIKE', 'IS NULL', 'IS NOT NULL'}";
const char* const kAssessmentComparators =
    "{'!=', '=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE', 'RLIKE', 'IS NULL', 'IS NOT NULL'}";

bool numeric_comparator(const std::string& c) { return in(c, {">", ">=", "!=", "=", "<", "<="}); }
bool string_comparator(const std::string& c) {
  return in(c, {"!=", "=", "IN", "NOT IN", "LIKE", "ILIKE", "RLIKE"});
}
bool tag_comparator(const std::string& c) {
  return in(c, {"!=", "=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"});
}

bool is_numeric_attribute(const std::string& key) {
  return key == "timestamp_ms" || key == "execution_time_ms" || key == "end_time_ms";
}

constexpr const char* kTraceName = "mlflow.traceName";
constexpr const char* kSession = "mlflow.trace.session";
constexpr const char* kTokenUsage = "mlflow.trace.tokenUsage";
constexpr const char* kCost = "mlflow.trace.cost";
constexpr const char* kSourceRun = "mlflow.sourceRun";
constexpr const char* kLinkedPrompts = "mlflow.linkedPrompts";
constexpr const char* kEndTime =
    "(trace_info.timestamp_ms + coalesce(trace_info.execution_time_ms, 0))";

// The trace_info column behind an attribute key; fixed text only.
std::string attribute_column(const std::string& key) {
  if (key == "end_time_ms") return kEndTime;
  if (key == "request_id" || key == "timestamp_ms" || key == "execution_time_ms" ||
      key == "status" || key == "client_request_id" || key == "experiment_id") {
    return "trace_info." + key;
  }
  // Unreachable: the parser accepts only the keys above (and maps the others away).
  throw_error(ErrorCode::kInternalError, "Unknown trace attribute '" + key + "'");
}

// `<column> <comparator> <value>` with the value bound as Python passes it (int, float, str or
// a tuple for IN). Comparators reaching here were checked against MLflow's sets.
void compare(SqlBuilder& b, const std::string& column, const std::string& comparator,
             const FilterValue& v) {
  const bool list_comparator = comparator == "IN" || comparator == "NOT IN";
  if ((v.kind == FilterValue::Kind::kList) != list_comparator) {
    // SQLAlchemy cannot bind a tuple to a scalar comparison (nor a string to IN): the server
    // fails with an internal error there.
    throw_error(ErrorCode::kInternalError,
                "Comparator '" + comparator + "' cannot be applied to the value given.");
  }
  if (v.kind == FilterValue::Kind::kNumber) {
    b.sql(column + " " + comparator + " ");
    bind_number(b, v);
    return;
  }
  sqlite::append_string_comparison(b, column, comparator, v.text, v.list);
}

// ---- reserved metadata kept in trace_info columns (trace_analytics.py) ----

struct AnalyticsColumn {
  const char* item;
  const char* column;
};
const std::vector<AnalyticsColumn> kTokenColumns = {
    {"input_tokens", "input_tokens"},
    {"output_tokens", "output_tokens"},
    {"total_tokens", "total_tokens"},
    {"cache_read_input_tokens", "cache_read_input_tokens"},
    {"cache_creation_input_tokens", "cache_creation_input_tokens"},
    {"cache_creation_input_tokens_above_1hr", "cache_creation_input_tokens_above_1hr"}};
const std::vector<AnalyticsColumn> kCostColumns = {
    {"input_cost", "input_cost"}, {"output_cost", "output_cost"}, {"total_cost", "total_cost"}};

// Python's float() of a JSON value (bools and non-finite values excluded), or nothing.
std::optional<double> finite_float(const JsonValue& v) {
  if (v.is_number()) {
    const double d = v.as_double();
    if (std::isfinite(d)) return d;
  }
  return std::nullopt;
}

// Python's Decimal(str(value)) integral check within BIGINT, for JSON numbers.
std::optional<std::int64_t> token_count(const JsonValue& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_double()) {
    const double d = v.as_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

// get_trace_analytics_metadata_filter: equality matches only the exact JSON text that
// reading the trace would give for these columns.
void append_analytics_filter(SqlBuilder& b, const std::string& key, const std::string& comparator,
                             const FilterValue& v) {
  const bool tokens = key == kTokenUsage;
  const auto& columns = tokens ? kTokenColumns : kCostColumns;
  std::string exists = "(";
  for (std::size_t k = 0; k < columns.size(); ++k) {
    exists += std::string(k > 0 ? " OR " : "") + "trace_info." + columns[k].column + " IS NOT NULL";
  }
  exists += ")";
  if (comparator == "IS NULL") {
    b.sql("NOT " + exists);
    return;
  }
  if (comparator == "IS NOT NULL") {
    b.sql(exists);
    return;
  }
  if (comparator != "=" && comparator != "!=") {
    invalid("Comparator '" + comparator + "' is not supported for reserved metadata '" + key +
            "'. Only '=', '!=', 'IS NULL', and 'IS NOT NULL' are supported.");
  }
  JsonValue parsed;
  try {
    parsed = JsonValue::parse(v.text);
  } catch (const std::exception&) {
  }
  JsonValue normalized = JsonValue::object();
  bool subset = parsed.is_object();
  if (subset) {
    for (const auto& [item, value] : parsed.as_object()) {
      bool known = false;
      for (const auto& c : columns) known = known || item == c.item;
      subset = subset && known;
    }
  }
  if (subset) {
    for (const auto& c : columns) {
      const JsonValue* value = parsed.find(c.item);
      if (value == nullptr) continue;
      if (tokens) {
        if (auto n = token_count(*value)) normalized.set(c.item, *n);
      } else if (auto d = finite_float(*value)) {
        normalized.set(c.item, *d);
      }
    }
  }
  SqlBuilder matches;
  if (!normalized.empty() && v.text == normalized.dump()) {
    matches.sql("(");
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const std::string column = std::string("trace_info.") + columns[k].column;
      if (k > 0) matches.sql(" AND ");
      const JsonValue* value = normalized.find(columns[k].item);
      if (value == nullptr) {
        matches.sql(column + " IS NULL");
      } else {
        matches.sql("(" + column + " IS NOT NULL AND " + column + " = ");
        if (value->is_int()) {
          matches.integer(value->as_int());
        } else {
          matches.real(value->as_double());
        }
        matches.sql(")");
      }
    }
    matches.sql(")");
  } else {
    matches.sql("0");
  }
  if (comparator == "=") {
    b.append(matches);
  } else {
    b.sql("(" + exists + " AND NOT ").append(matches).sql(")");
  }
}

// ---- assessments ----

// The assessment predicates of one clause on alias `a`, without the value part.
void append_assessment_base(SqlBuilder& b, const std::string& a, const FilterClause& c) {
  b.sql(a + ".assessment_type = ")
      .text(entity_name(c.type))
      .sql(" AND " + a + ".name = ")
      .text(c.key)
      .sql(" AND " + a + ".valid = 1");
}

// The value part (SearchTraceUtils._get_sql_json_comparison_func): numbers compare the
// materialised aggregate of numeric values; = and != match the raw JSON text or the JSON
// string of the value; LIKE, ILIKE and RLIKE the JSON text.
void append_assessment_value(SqlBuilder& b, const std::string& a, const std::string& comparator,
                             const FilterValue& v) {
  if (in(comparator, {"<", "<=", ">", ">="})) {
    b.sql(" AND " + a + ".is_numeric_value = 1 AND ");
    compare(b, a + ".aggregate_value", comparator, v);
    return;
  }
  if (comparator == "=" || comparator == "!=") {
    b.sql(comparator == "=" ? " AND (" : " AND NOT (");
    if (v.kind == FilterValue::Kind::kNumber) {
      b.sql(a + ".value = ");
      bind_number(b, v);
      b.sql(" OR " + a + ".value = ").text(v.text);
    } else {
      b.sql(a + ".value = ")
          .text(v.text)
          .sql(" OR " + a + ".value = ")
          .text(JsonValue(v.text).dump());
    }
    b.sql(")");
    return;
  }
  b.sql(" AND ");
  compare(b, a + ".value", comparator, v);
}

// _get_session_scoped_trace_ids: the traces of every session (within the searched
// experiments) that holds a matching session-scoped assessment (metadata naming the session).
void append_session_covered(SqlBuilder& b, const SqlBuilder& experiments, const FilterClause& c,
                            bool with_value) {
  b.sql("SELECT st.request_id FROM trace_info AS st WHERE st.experiment_id IN ")
      .append(experiments)
      .sql(
          " AND st.session_id IN (SELECT sa_t.session_id FROM trace_info AS sa_t JOIN "
          "assessments AS sa ON sa.trace_id = sa_t.request_id WHERE sa_t.experiment_id IN ")
      .append(experiments)
      .sql(" AND sa_t.session_id IS NOT NULL AND ");
  append_assessment_base(b, "sa", c);
  if (with_value) append_assessment_value(b, "sa", to_upper(c.comparator), c.value);
  b.sql(" AND sa.assessment_metadata IS NOT NULL AND sa.assessment_metadata LIKE '%' || ")
      .text(std::string("\"") + kSession + "\":")
      .sql(" || '%')");
}

void append_assessment_filter(SqlBuilder& where, const SqlBuilder& experiments,
                              const FilterClause& c, const std::string& comparator) {
  if (comparator == "IS NULL") {
    where.sql(
        " AND NOT EXISTS (SELECT 1 FROM assessments AS a WHERE a.trace_id = "
        "trace_info.request_id AND ");
    append_assessment_base(where, "a", c);
    where.sql(") AND trace_info.request_id NOT IN (");
    append_session_covered(where, experiments, c, false);
    where.sql(")");
    return;
  }
  const bool with_value = comparator != "IS NOT NULL";
  where.sql(" AND trace_info.request_id IN (SELECT a.trace_id FROM assessments AS a WHERE ");
  append_assessment_base(where, "a", c);
  if (with_value) append_assessment_value(where, "a", comparator, c.value);
  where.sql(" UNION ");
  append_session_covered(where, experiments, c, with_value);
  where.sql(")");
}

// ---- spans ----

// SearchTraceUtils.is_span with the upper-cased comparator (the parser checked the written one).
void check_span_comparator(const FilterClause& c, const std::string& comparator) {
  if (c.key == "content") {
    if (comparator != "LIKE" && comparator != "ILIKE") {
      invalid("span." + c.key + " comparator '" + comparator + "' not one of '{'LIKE', 'ILIKE'}'");
    }
  } else if (!string_comparator(comparator)) {
    invalid("span." + c.key + " comparator '" + comparator + "' not one of '" + kStringComparators +
            "'");
  }
}

std::string trim_backticks(const std::string& s) {
  return s.size() >= 2 && s.front() == '`' && s.back() == '`' ? s.substr(1, s.size() - 2) : s;
}

// One predicate on `spans` (the EXISTS adds the correlation).
void append_span_predicate(SqlBuilder& b, const FilterClause& c, const std::string& comparator) {
  check_span_comparator(c, comparator);
  b.sql(" AND ");
  if (c.key.rfind("attributes.", 0) == 0) {
    // Span attributes are matched inside the content JSON, where each value is itself
    // JSON-encoded text: `"<name>": "\"<value>\""` for strings.
    const std::string name = trim_backticks(c.key.substr(11));
    FilterValue pattern = c.value;
    if (comparator == "RLIKE") {
      std::string value = c.value.text;
      std::string prefix = "\"\\\\\".*";
      std::string suffix;
      if (!value.empty() && value.front() == '^') {
        value.erase(0, 1);
        prefix = "\"\\\\\"";
      }
      if (!value.empty() && value.back() == '$') {
        value.pop_back();
        suffix = "\\\\\"";
      }
      pattern.text = "\"" + name + "\": " + prefix + value + suffix;
    } else {
      pattern.text = "%\"" + name + "\"" + c.value.text + "%";
    }
    compare(b, "spans.content", comparator, pattern);
    return;
  }
  compare(b, "spans." + c.key, comparator, c.value);
}

// ---- order by ----

struct OrderState {
  SqlBuilder joins;
  SqlBuilder order;
  std::vector<std::pair<EntityType, std::string>> seen;
};

void append_order(OrderState& s, const std::vector<std::string>& order_by) {
  int clause_id = 0;
  for (const std::string& text : order_by) {
    const OrderByClause ob = parse_traces_order_by(text);
    if (ob.type == EntityType::kMetadata && (ob.key == kTokenUsage || ob.key == kCost)) {
      invalid("Ordering by reserved metadata '" + ob.key +
              "' is not supported because it is represented by multiple columns.");
    }
    std::string value;
    bool nullable = true;
    if (ob.type == EntityType::kAttribute && ob.key == "end_time_ms") {
      value = kEndTime;
      nullable = false;
    } else if (ob.type == EntityType::kAttribute) {
      value = attribute_column(ob.key);
      nullable = ob.key == "execution_time_ms";
    } else if (ob.type == EntityType::kTag && ob.key == kTraceName) {
      value = "trace_info.trace_name";
    } else if (ob.type == EntityType::kMetadata && ob.key == kSession) {
      value = "trace_info.session_id";
    } else if (ob.type == EntityType::kTag || ob.type == EntityType::kMetadata) {
      const std::string alias = "o" + std::to_string(clause_id);
      const char* table = ob.type == EntityType::kTag ? "trace_tags" : "trace_request_metadata";
      s.joins
          .sql(std::string(" LEFT OUTER JOIN ") + table + " AS " + alias + " ON " + alias +
               ".request_id = trace_info.request_id AND " + alias + ".key = ")
          .text(ob.key);
      value = alias + ".value";
    } else {
      invalid(std::string("Invalid identifier type '") + entity_name(ob.type) + "'");
    }
    for (const auto& seen : s.seen) {
      if (seen.first == ob.type && seen.second == ob.key) {
        // MLflow raises this without an error code, so the server answers 500.
        throw_error(ErrorCode::kInternalError,
                    "`order_by` contains duplicate fields: " + python_list_repr(order_by));
      }
    }
    s.seen.emplace_back(ob.type, ob.key);
    // Missing values last in both directions.
    if (nullable) s.order.sql("CASE WHEN " + value + " IS NULL THEN 1 ELSE 0 END, ");
    s.order.sql(value + (ob.ascending ? ", " : " DESC, "));
    ++clause_id;
  }
  const auto requested = [&](const char* key) {
    for (const auto& seen : s.seen) {
      if (seen.first == EntityType::kAttribute && seen.second == key) return true;
    }
    return false;
  };
  if (!requested("timestamp_ms")) s.order.sql("trace_info.timestamp_ms DESC, ");
  if (!requested("request_id")) s.order.sql("trace_info.request_id, ");
}

}  // namespace

SqlQuery build_search_traces_query(const std::vector<std::int64_t>& experiment_ids,
                                   const std::string& filter,
                                   const std::vector<std::string>& order_by,
                                   const std::string& page_token, std::int64_t limit) {
  OrderState ordering;
  append_order(ordering, order_by);
  const std::vector<FilterClause> clauses = parse_traces_filter(filter);

  SqlBuilder experiments;
  experiments.integer_list(experiment_ids);
  SqlBuilder where;
  where.sql(" WHERE trace_info.experiment_id IN ").append(experiments);
  SqlBuilder span_predicates;
  std::optional<FilterValue> span_lower_bound;
  std::optional<std::string> run_id;
  for (const FilterClause& c : clauses) {
    const std::string comparator = to_upper(c.comparator);
    if (c.type == EntityType::kIssue) {
      if (c.key != "id") {
        invalid("Invalid issue attribute '" + c.key + "'. Supported attributes: id");
      }
      if (comparator != "=") {
        invalid("issue." + c.key + " comparator '" + comparator + "' not one of '{'='}'");
      }
      where
          .sql(
              " AND trace_info.request_id IN (SELECT a.trace_id FROM assessments AS a WHERE "
              "a.assessment_type = ")
          .text("issue")
          .sql(" AND a.name = ")
          .text(c.value.text)
          .sql(")");
      continue;
    }
    if (c.type == EntityType::kAttribute) {
      if (is_numeric_attribute(c.key)) {
        if (!numeric_comparator(comparator)) {
          invalid("Invalid comparator '" + comparator + "' not one of '" + kStringComparators);
        }
      } else if (!string_comparator(comparator)) {
        invalid("Invalid comparator '" + comparator + "' not one of '" + kStringComparators + "'");
      }
      if (c.key == "timestamp_ms" && (comparator == ">" || comparator == ">=")) {
        // Python takes max() of these values: numbers and text do not compare.
        if (span_lower_bound && (span_lower_bound->kind == FilterValue::Kind::kString) !=
                                    (c.value.kind == FilterValue::Kind::kString)) {
          throw_error(ErrorCode::kInternalError,
                      "'>' not supported between instances of 'str' and 'int'");
        }
        const auto as_number = [](const FilterValue& v) {
          return std::strtod(v.text.c_str(), nullptr);
        };
        if (!span_lower_bound || (c.value.kind == FilterValue::Kind::kString
                                      ? c.value.text > span_lower_bound->text
                                      : as_number(c.value) > as_number(*span_lower_bound))) {
          span_lower_bound = c.value;
        }
      }
      where.sql(" AND ");
      compare(where, attribute_column(c.key), comparator, c.value);
      continue;
    }
    if (c.type == EntityType::kTag && !tag_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kTagComparators);
    }
    if (c.type == EntityType::kMetadata && !tag_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kTagComparators + "'");
    }
    const bool null_check = comparator == "IS NULL" || comparator == "IS NOT NULL";
    const auto column_filter = [&](const std::string& column) {
      where.sql(" AND ");
      if (null_check) {
        where.sql(column + " " + comparator);
      } else {
        compare(where, column, comparator, c.value);
      }
    };
    if (c.type == EntityType::kTag && c.key == kTraceName) {
      column_filter("trace_info.trace_name");
      continue;
    }
    if (c.type == EntityType::kMetadata && c.key == kSession) {
      column_filter("trace_info.session_id");
      continue;
    }
    if (c.type == EntityType::kMetadata && (c.key == kTokenUsage || c.key == kCost)) {
      where.sql(" AND ");
      append_analytics_filter(where, c.key, comparator, c.value);
      continue;
    }
    if (c.type == EntityType::kMetadata && c.key == kSourceRun && comparator == "=") {
      run_id = c.value.text;  // the last one wins, as in MLflow
      continue;
    }
    if (c.type == EntityType::kTag && c.key == kLinkedPrompts) {
      if (comparator != "=") {
        invalid("Invalid comparator '" + comparator +
                "' for prompts filter. Only '=' is supported with format: prompt = "
                "\"name/version\"");
      }
      std::size_t slashes = 0;
      for (const char ch : c.value.text) slashes += ch == '/' ? 1 : 0;
      if (slashes != 1) {
        invalid("Invalid prompts filter value '" + c.value.text +
                "'. Expected format: prompt = \"name/version\"");
      }
      where
          .sql(
              " AND trace_info.request_id IN (SELECT e.source_id FROM entity_associations AS e "
              "WHERE e.source_type = ")
          .text("trace")
          .sql(" AND e.destination_type = ")
          .text("prompt_version")
          .sql(" AND e.destination_id = ")
          .text(c.value.text)
          .sql(")");
      continue;
    }
    if (c.type == EntityType::kTag || c.type == EntityType::kMetadata) {
      const std::string table =
          c.type == EntityType::kTag ? "trace_tags" : "trace_request_metadata";
      if (null_check) {
        where.sql(comparator == "IS NULL" ? " AND NOT EXISTS" : " AND EXISTS")
            .sql(" (SELECT 1 FROM " + table +
                 " AS f WHERE f.request_id = trace_info.request_id AND f.key = ")
            .text(c.key)
            .sql(")");
        continue;
      }
      where
          .sql(" AND EXISTS (SELECT 1 FROM " + table +
               " AS f WHERE f.request_id = trace_info.request_id AND f.key = ")
          .text(c.key)
          .sql(" AND ");
      compare(where, "f.value", comparator, c.value);
      where.sql(")");
      continue;
    }
    if (c.type == EntityType::kSpan) {
      append_span_predicate(span_predicates, c, comparator);
      continue;
    }
    if (c.type == EntityType::kFeedback || c.type == EntityType::kExpectation) {
      if (c.key.empty()) invalid("Assessment field name cannot be empty");
      if (!in(comparator, {"!=", "=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "RLIKE", "IS NULL",
                           "IS NOT NULL"})) {
        invalid("assessment." + c.key + " comparator '" + comparator + "' not one of '" +
                kAssessmentComparators + "'");
      }
      append_assessment_filter(where, experiments, c, comparator);
      continue;
    }
    invalid(std::string("Invalid search expression type '") + entity_name(c.type) + "'");
  }
  if (run_id) {
    where
        .sql(
            " AND (EXISTS (SELECT 1 FROM entity_associations AS e WHERE e.source_id = "
            "trace_info.request_id AND e.source_type = ")
        .text("trace")
        .sql(" AND e.destination_type = ")
        .text("run")
        .sql(" AND e.destination_id = ")
        .text(*run_id)
        .sql(
            ") OR EXISTS (SELECT 1 FROM trace_request_metadata AS m WHERE m.request_id = "
            "trace_info.request_id AND m.key = ")
        .text(kSourceRun)
        .sql(" AND m.value = ")
        .text(*run_id)
        .sql("))");
  }
  if (!span_predicates.empty()) {
    where.sql(
        " AND EXISTS (SELECT 1 FROM spans WHERE spans.trace_id = trace_info.request_id AND "
        "spans.experiment_id = trace_info.experiment_id");
    if (span_lower_bound) {
      if (span_lower_bound->kind == FilterValue::Kind::kString) {
        throw_error(ErrorCode::kInternalError,
                    "unsupported operand type(s) for -: 'str' and 'int'");
      }
      // Spans may start up to 10 s before the trace's timestamp (clock skew between them).
      where.sql(" AND spans.start_time_unix_nano >= ");
      if (span_lower_bound->is_integer) {
        where.integer((std::stoll(span_lower_bound->text) - 10000) * 1000000);
      } else {
        where.real((std::strtod(span_lower_bound->text.c_str(), nullptr) - 10000) * 1000000);
      }
    }
    where.append(span_predicates).sql(")");
  }
  const std::int64_t offset = decode_page_token(page_token);

  SqlBuilder q;
  q.sql("SELECT trace_info.request_id FROM trace_info").append(ordering.joins).append(where);
  SqlQuery order = ordering.order.take();
  order.sql.resize(order.sql.size() - 2);  // the last ", "
  q.sql(" ORDER BY " + order.sql);
  q.sql(" LIMIT ").integer(limit).sql(" OFFSET ").integer(offset);
  return q.take();
}

}  // namespace mlflow::internal::sqlite_search
