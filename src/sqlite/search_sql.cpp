// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Search filters and order_by clauses as SQL over MLflow's schema, with the meaning MLflow's
// SqlAlchemyStore gives them. MLflow inner-joins one subquery per filter clause and selects
// DISTINCT rows; an EXISTS per clause selects the same rows without needing DISTINCT, and keeps
// the one-row-per-run shape that the ordering joins rely on. Every value and key the user wrote
// is a bind parameter: the SQL text is assembled only from fixed fragments.
#include "sqlite/search_sql.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/base64.hpp"
#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/search_filter.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

using sqlite::SqlBuilder;

[[noreturn]] void invalid(const std::string& message) { sqlite::invalid_parameter(message); }

// Python's int(text) for the decimal literals the filter grammar and experiment ids allow.
bool parse_int64(const std::string& text, std::int64_t* out) {
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  std::string digits = text.substr(b, e - b);
  if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
  const std::size_t start = (!digits.empty() && digits[0] == '-') ? 1 : 0;
  if (digits.size() == start) return false;
  for (std::size_t k = start; k < digits.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(digits[k]))) return false;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(digits.c_str(), &end, 10);
  if (errno == ERANGE) return false;
  *out = static_cast<std::int64_t>(v);
  return true;
}

double parse_double(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// Python's repr(float): the shortest digits that round-trip, fixed notation for exponents
// in [-4, 16), otherwise d.ddde+XX.
std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  const std::size_t epos = s.find('e');
  const int exponent = std::atoi(s.c_str() + epos + 1);
  std::string mantissa = s.substr(0, epos);
  const bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (const char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
      out =
          digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
            digits.substr(static_cast<std::size_t>(exponent) + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  }
  return negative ? "-" + out : out;
}

// `<column> <comparator> <value>` for the string comparators MLflow allows.
void string_comparison(SqlBuilder& b, const std::string& column, const std::string& comparator,
                       const FilterValue& v) {
  sqlite::append_string_comparison(b, column, comparator, v.text, v.list);
}

const char* const kMetricComparators = "{'<=', '<', '=', '!=', '>', '>='}";
const char* const kParamComparators = "{'IS NULL', 'IS NOT NULL', '!=', 'LIKE', '=', 'ILIKE'}";
const char* const kStringAttrComparators = "{'NOT IN', '!=', 'LIKE', '=', 'ILIKE', 'IN'}";

bool one_of(const std::string& c, std::initializer_list<const char*> set) {
  for (const char* s : set) {
    if (c == s) return true;
  }
  return false;
}

bool numeric_comparator(const std::string& c) {
  return one_of(c, {"=", "!=", "<", "<=", ">", ">="});
}
bool string_attr_comparator(const std::string& c) {
  return one_of(c, {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"});
}
bool param_comparator(const std::string& c) {
  return one_of(c, {"=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"});
}

std::string translate_key_alias(const std::string& key) {
  if (key == "created" || key == "Created") return "start_time";
  if (key == "run name" || key == "Run name" || key == "Run Name") return "run_name";
  return key;
}

bool is_run_numeric_attribute(const std::string& key) {
  return key == "start_time" || key == "end_time" || key == "created" || key == "Created";
}

// The runs column behind an attribute key (already alias-translated). Fixed text only.
std::string run_column(const std::string& key) {
  if (key == "run_id") return "runs.run_uuid";
  if (key == "run_name") return "runs.name";
  if (key == "user_id") return "runs.user_id";
  if (key == "status") return "runs.status";
  if (key == "start_time") return "runs.start_time";
  if (key == "end_time") return "runs.end_time";
  if (key == "artifact_uri") return "runs.artifact_uri";
  invalid("Invalid attribute key '" + key + "' specified.");
}

// Opens "<exists> (SELECT 1 FROM <table> AS f WHERE f.run_uuid = runs.run_uuid AND f.key = ?"
// (the run's row of that key), left open for the caller's condition on f and ")".
// `exists` and `table` are fixed text; the key is bound.
SqlBuilder& open_run_key_row(SqlBuilder& where, const char* exists, const std::string& table,
                             const std::string& key) {
  return where
      .sql(std::string(exists) + " (SELECT 1 FROM " + table +
           " AS f WHERE f.run_uuid = runs.run_uuid AND f.key = ")
      .text(key);
}

void append_run_filter(SqlBuilder& where, const FilterClause& clause) {
  const std::string comparator = to_upper(clause.comparator);
  const std::string key = translate_key_alias(clause.key);
  const FilterValue& v = clause.value;
  where.sql(" AND ");
  if (clause.type == EntityType::kAttribute) {
    if (is_run_numeric_attribute(key)) {
      if (!numeric_comparator(comparator)) {
        invalid("Invalid comparator '" + comparator + "' not one of '" + kStringAttrComparators);
      }
      where.sql(run_column(key) + " " + comparator + " ");
      bind_number(where, v);
      return;
    }
    if (!string_attr_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kStringAttrComparators +
              "'");
    }
    if (key == "run_name") {
      // MLflow matches the mlflow.runName tag: runs.name is empty for runs logged before 1.30.
      open_run_key_row(where, "EXISTS", "tags", "mlflow.runName").sql(" AND ");
      string_comparison(where, "f.value", comparator, v);
      where.sql(")");
      return;
    }
    string_comparison(where, run_column(key), comparator, v);
    return;
  }
  if (clause.type == EntityType::kMetric) {
    if (!numeric_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kMetricComparators);
    }
    // NaN is stored as 0 with is_nan = 1 and compares false except with "!=".
    open_run_key_row(where, "EXISTS", "latest_metrics", clause.key)
        .sql(" AND (f.value " + comparator + " ")
        .real(parse_double(v.text))
        .sql(comparator == "!=" ? " OR f.is_nan = 1))" : " AND f.is_nan = 0))");
    return;
  }
  if (clause.type == EntityType::kParam || clause.type == EntityType::kTag) {
    const bool param = clause.type == EntityType::kParam;
    if (!param_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kParamComparators +
              (param ? "'" : ""));
    }
    const std::string table = param ? "params" : "tags";
    if (comparator == "IS NULL" || comparator == "IS NOT NULL") {
      open_run_key_row(where, comparator == "IS NULL" ? "NOT EXISTS" : "EXISTS", table, clause.key)
          .sql(")");
      return;
    }
    open_run_key_row(where, "EXISTS", table, clause.key).sql(" AND ");
    string_comparison(where, "f.value", comparator, v);
    where.sql(")");
    return;
  }
  // Datasets: the run's DATASET inputs, joined the way MLflow joins them (by uuid only).
  if (!string_attr_comparator(comparator)) {
    invalid("Invalid comparator '" + comparator + "' not one of '" + kStringAttrComparators);
  }
  where.sql(
      "EXISTS (SELECT 1 FROM datasets AS d JOIN inputs AS i ON i.source_id = "
      "d.dataset_uuid");
  if (clause.key == "context") {
    where.sql(" JOIN input_tags AS it ON it.input_uuid = i.input_uuid AND it.name = ")
        .text("mlflow.data.context")
        .sql(" AND ");
    string_comparison(where, "it.value", comparator, v);
    where.sql(" WHERE i.destination_id = runs.run_uuid)");
    return;
  }
  where.sql(" WHERE i.destination_id = runs.run_uuid AND ");
  string_comparison(where, clause.key == "name" ? "d.name" : "d.digest", comparator, v);
  where.sql(")");
}

void append_lifecycle(SqlBuilder& b, const std::string& column, ViewType view) {
  b.sql(column + " IN (");
  if (view == ViewType::kActiveOnly) {
    b.text("active");
  } else if (view == ViewType::kDeletedOnly) {
    b.text("deleted");
  } else {
    b.text("active").sql(", ").text("deleted");
  }
  b.sql(")");
}

void append_experiment_filter(SqlBuilder& where, const FilterClause& clause) {
  const std::string comparator = to_upper(clause.comparator);
  const FilterValue& v = clause.value;
  where.sql(" AND ");
  if (clause.type == EntityType::kTag) {
    if (comparator == "IS NULL" || comparator == "IS NOT NULL") {
      where.sql(comparator == "IS NULL" ? "NOT EXISTS" : "EXISTS")
          .sql(
              " (SELECT 1 FROM experiment_tags AS f WHERE f.experiment_id = "
              "experiments.experiment_id AND f.key = ")
          .text(clause.key)
          .sql(")");
      return;
    }
    if (!one_of(comparator, {"=", "!=", "LIKE", "ILIKE"})) {
      invalid("Invalid comparator for tag: " + comparator);
    }
    where
        .sql(
            "EXISTS (SELECT 1 FROM experiment_tags AS f WHERE f.experiment_id = "
            "experiments.experiment_id AND f.key = ")
        .text(clause.key)
        .sql(" AND ");
    string_comparison(where, "f.value", comparator, v);
    where.sql(")");
    return;
  }
  if (clause.key == "experiment_id") {
    if (!one_of(comparator, {"=", "!=", "IN", "NOT IN"})) {
      invalid("Invalid comparator for experiment_id: " + comparator);
    }
    if (v.kind == FilterValue::Kind::kList) {
      std::vector<std::int64_t> ids;
      for (const auto& id : v.list) ids.push_back(parse_experiment_id(id));
      where.sql(comparator == "IN" ? "(experiments.experiment_id IN ("
                                   : "(experiments.experiment_id NOT IN (");
      for (std::size_t k = 0; k < ids.size(); ++k) {
        if (k > 0) where.sql(", ");
        where.integer(ids[k]);
      }
      where.sql("))");
      return;
    }
    if (comparator == "IN" || comparator == "NOT IN") {
      invalid("Invalid comparator for experiment_id: " + comparator);
    }
    where.sql("experiments.experiment_id " + comparator + " ").integer(parse_experiment_id(v.text));
    return;
  }
  if (clause.key == "name") {
    if (!string_attr_comparator(comparator)) {
      invalid("Invalid comparator '" + comparator + "' not one of '" + kStringAttrComparators +
              "'");
    }
    if (!one_of(comparator, {"=", "!=", "LIKE", "ILIKE"})) {
      invalid("Invalid comparator for string attribute: " + comparator);
    }
    string_comparison(where, "experiments.name", comparator, v);
    return;
  }
  // creation_time, last_update_time
  if (!numeric_comparator(comparator)) {
    invalid("Invalid comparator '" + comparator + "' not one of '" + kStringAttrComparators);
  }
  std::int64_t value = 0;
  if (!v.is_integer) {
    invalid("Invalid value for numeric attribute '" + clause.key +
            "': " + python_repr(python_float_repr(parse_double(v.text))));
  }
  if (!parse_int64(v.text, &value)) {
    invalid("Invalid value for numeric attribute '" + clause.key + "': " + v.text);
  }
  where.sql("experiments." + clause.key + " " + comparator + " ").integer(value);
}

// ---- base64 decoding and Python reprs for page tokens (encoding: core/base64) ----

[[noreturn]] void undecodable_token() { invalid("Invalid page token, could not base64-decode"); }

std::string base64_decode(const std::string& in) {
  std::optional<std::string> out = python_b64decode(in);
  if (!out) undecodable_token();
  return std::move(*out);
}

std::string python_json_repr(const nlohmann::json& j) {
  if (j.is_object()) {
    std::string out = "{";
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      out += python_repr(it.key()) + ": " + python_json_repr(it.value());
    }
    return out + "}";
  }
  if (j.is_array()) {
    std::string out = "[";
    for (std::size_t k = 0; k < j.size(); ++k) {
      if (k > 0) out += ", ";
      out += python_json_repr(j[k]);
    }
    return out + "]";
  }
  if (j.is_string()) return python_repr(j.get<std::string>());
  if (j.is_boolean()) return j.get<bool>() ? "True" : "False";
  if (j.is_null()) return "None";
  if (j.is_number_float()) return python_float_repr(j.get<double>());
  return j.dump();
}

}  // namespace

SqlQuery build_search_runs_query(const std::vector<std::string>& experiment_ids, ViewType view,
                                 const std::string& filter,
                                 const std::vector<std::string>& order_by, std::int64_t offset,
                                 std::int64_t limit) {
  // MLflow's order of work: parse the filter, then the order_by clauses, then build filters.
  const std::vector<FilterClause> clauses = parse_runs_filter(filter);

  SqlBuilder joins;
  SqlBuilder order;
  std::vector<std::pair<EntityType, std::string>> seen;
  int clause_id = 0;
  for (const std::string& text : order_by) {
    ++clause_id;
    OrderByClause ob = parse_runs_order_by(text);
    ob.key = translate_key_alias(ob.key);
    std::string value;
    std::string missing;
    if (ob.type == EntityType::kAttribute) {
      value = run_column(ob.key);
      missing = "CASE WHEN " + value + " IS NULL THEN 1 ELSE 0 END";
    } else if (ob.type == EntityType::kDataset) {
      invalid("Invalid identifier type 'dataset'");
    } else {
      const std::string alias = "o" + std::to_string(clause_id);
      const char* table = ob.type == EntityType::kMetric ? "latest_metrics"
                          : ob.type == EntityType::kTag  ? "tags"
                                                         : "params";
      joins
          .sql(std::string(" LEFT OUTER JOIN ") + table + " AS " + alias + " ON " + alias +
               ".run_uuid = runs.run_uuid AND " + alias + ".key = ")
          .text(ob.key);
      value = alias + ".value";
      // Present values first, then NaN (metrics only), then runs without the key.
      missing = ob.type == EntityType::kMetric
                    ? "CASE WHEN " + alias + ".is_nan = 1 THEN 1 WHEN " + value +
                          " IS NULL THEN 2 ELSE 0 END"
                    : "CASE WHEN " + value + " IS NULL THEN 1 ELSE 0 END";
    }
    for (const auto& s : seen) {
      if (s.first == ob.type && s.second == ob.key) {
        // MLflow raises this without an error code, so the server answers 500.
        throw_error(ErrorCode::kInternalError,
                    "`order_by` contains duplicate fields: " + python_list_repr(order_by));
      }
    }
    seen.emplace_back(ob.type, ob.key);
    order.sql(missing + ", " + value + (ob.ascending ? "" : " DESC") + ", ");
  }
  bool start_time_requested = false;
  for (const auto& s : seen) {
    if (s.first == EntityType::kAttribute && s.second == "start_time") start_time_requested = true;
  }
  if (!start_time_requested) order.sql("runs.start_time DESC, ");
  order.sql("runs.run_uuid");

  SqlBuilder where;
  where.sql(" WHERE ");
  std::vector<std::int64_t> ids;
  ids.reserve(experiment_ids.size());
  for (const auto& id : experiment_ids) ids.push_back(parse_experiment_id(id));
  if (ids.empty()) {
    where.sql("0");
  } else {
    where.sql("runs.experiment_id IN (");
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (k > 0) where.sql(", ");
      where.integer(ids[k]);
    }
    where.sql(")");
  }
  where.sql(" AND ");
  append_lifecycle(where, "runs.lifecycle_stage", view);
  for (const FilterClause& c : clauses) append_run_filter(where, c);

  SqlBuilder q;
  q.sql("SELECT runs.run_uuid FROM runs").append(joins).append(where);
  q.sql(" ORDER BY ").append(order);
  q.sql(" LIMIT ").integer(limit).sql(" OFFSET ").integer(offset);
  return q.take();
}

SqlQuery build_search_experiments_query(ViewType view, const std::string& filter,
                                        const std::vector<std::string>& order_by,
                                        std::int64_t offset, std::int64_t limit) {
  const std::vector<FilterClause> clauses = parse_experiments_filter(filter);
  SqlBuilder where;
  where.sql(" WHERE ");
  append_lifecycle(where, "experiments.lifecycle_stage", view);
  where.sql(" AND experiments.workspace = ").text("default");
  for (const FilterClause& c : clauses) append_experiment_filter(where, c);

  const std::vector<std::string> defaults = {"creation_time DESC", "experiment_id ASC"};
  SqlBuilder order;
  bool has_id = false;
  for (const std::string& text : order_by.empty() ? defaults : order_by) {
    const OrderByClause ob = parse_experiments_order_by(text);
    if (ob.type != EntityType::kAttribute) {
      invalid(std::string("Invalid order_by entity: ") + entity_name(ob.type));
    }
    has_id = has_id || ob.key == "experiment_id";
    // Keys were checked against the fixed attribute list, so they are safe column names.
    order.sql("experiments." + ob.key + (ob.ascending ? " ASC, " : " DESC, "));
  }
  if (!has_id) order.sql("experiments.experiment_id DESC, ");
  SqlQuery o = order.take();
  o.sql.resize(o.sql.size() - 2);  // the last ", "

  SqlBuilder q;
  q.sql("SELECT experiments.experiment_id FROM experiments").append(where);
  q.sql(" ORDER BY " + o.sql);
  q.sql(" LIMIT ").integer(limit).sql(" OFFSET ").integer(offset);
  return q.take();
}

std::int64_t parse_experiment_id(const std::string& id) {
  std::int64_t out = 0;
  if (!parse_int64(id, &out)) {
    invalid("Invalid experiment ID '" + id + "'. Experiment ID must be a valid integer.");
  }
  return out;
}

void bind_number(SqlBuilder& b, const FilterValue& v) {
  std::int64_t i = 0;
  if (v.is_integer && parse_int64(v.text, &i)) {
    b.integer(i);
  } else {
    b.real(parse_double(v.text));
  }
}

std::string encode_page_token(std::int64_t offset) {
  return base64_encode("{\"offset\": " + std::to_string(offset) + "}");
}

std::int64_t decode_page_token(const std::string& token) {
  if (token.empty()) return 0;
  const std::string decoded = base64_decode(token);
  nlohmann::json parsed = nlohmann::json::parse(decoded, nullptr, false);
  if (parsed.is_discarded()) {
    invalid("Invalid page token, decoded value=" + python_bytes_repr(decoded));
  }
  const std::string parsed_repr = python_json_repr(parsed);
  if (!parsed.is_object() || !parsed.contains("offset")) {
    invalid("Invalid page token, parsed value=" + parsed_repr);
  }
  const nlohmann::json& offset = parsed["offset"];
  // Python tests the value's truthiness: 0, "", null, false, [] and {} are all "missing".
  const bool falsy =
      offset.is_null() || (offset.is_boolean() && !offset.get<bool>()) ||
      (offset.is_number() && offset.get<double>() == 0) ||
      ((offset.is_string() || offset.is_array() || offset.is_object()) && offset.empty()) ||
      (offset.is_string() && offset.get<std::string>().empty());
  if (falsy) invalid("Invalid page token, parsed value=" + parsed_repr);
  if (offset.is_boolean()) return 1;
  if (offset.is_number_integer()) return offset.get<std::int64_t>();
  if (offset.is_number_float()) {
    const double d = offset.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) {
      invalid("Invalid page token, not stringable " + python_float_repr(d));
    }
    return static_cast<std::int64_t>(d);
  }
  if (offset.is_string()) {
    std::int64_t v = 0;
    if (parse_int64(offset.get<std::string>(), &v)) return v;
    invalid("Invalid page token, not stringable " + offset.get<std::string>());
  }
  invalid("Invalid page token, not stringable " + python_json_repr(offset));
}

}  // namespace mlflow::internal::sqlite_search
