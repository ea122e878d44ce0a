// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Logged models on the embedded store: the rows, ids, artifact locations, errors and search
// semantics of MLflow 3.18's SqlAlchemyStore (create_logged_model ... search_logged_models,
// log_outputs, _log_model_metrics) and its filter grammar (mlflow/utils/
// search_logged_model_utils.py). Every user value is a bound parameter.
#include "sqlite/sqlite_logged_model_store.hpp"

#include <cctype>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/metric_value.hpp"
#include "sqlite/search_filter.hpp"
#include "sqlite/search_sql.hpp"
#include "sqlite/sql_builder.hpp"

namespace mlflow::internal {

using sqlite::Connection;
using sqlite::SqlBuilder;
using sqlite_search::python_repr;

namespace {

constexpr int kDefaultMaxResults = 100;  // SEARCH_LOGGED_MODEL_MAX_RESULTS_DEFAULT

[[noreturn]] void invalid(const std::string& message) { sqlite::invalid_parameter(message); }

[[noreturn]] void throw_model_not_found(const std::string& model_id) {
  throw_error(ErrorCode::kResourceDoesNotExist,
              "Logged model with ID '" + model_id + "' not found.");
}

std::int64_t to_experiment_id(const std::string& id) {
  std::size_t used = 0;
  try {
    const std::int64_t v = std::stoll(id, &used);
    if (used == id.size()) return v;
  } catch (const std::exception&) {
  }
  invalid("Invalid experiment ID '" + id + "'. Experiment ID must be a valid integer.");
}

// Python's _validate_logged_model_name.
void validate_name(const std::optional<std::string>& name) {
  if (!name) return;
  if (name->empty() || name->find_first_of("/:.%\"'") != std::string::npos) {
    invalid("Invalid model name (" + python_repr(*name) +
            ") provided. Model name must be a non-empty string and cannot contain the "
            "following characters: ('/', ':', '.', '%', '\"', \"'\")");
  }
}

// append_to_uri_path(location, "models", id, "artifacts"), one '/' between parts.
std::string model_artifact_location(const std::string& experiment_location,
                                    const std::string& model_id) {
  std::string base = experiment_location;
  if (base.empty() || base.back() != '/') base += '/';
  return base + "models/" + model_id + "/artifacts";
}

// ---- reading ----

constexpr const char* kModelColumns =
    "model_id, experiment_id, name, artifact_location, creation_timestamp_ms, "
    "last_updated_timestamp_ms, status, model_type, source_run_id, status_message";

LoggedModelStatus status_from_int(std::int64_t n) {
  if (n < 0 || n > 3) invalid("Unknown model status: " + std::to_string(n));
  return static_cast<LoggedModelStatus>(n);
}

LoggedModel load_model(Connection& c, const std::string& model_id, bool allow_deleted) {
  LoggedModel m;
  {
    auto s = c.query(std::string("SELECT ") + kModelColumns +
                         ", lifecycle_stage FROM logged_models WHERE model_id = ?",
                     model_id);
    if (!s->step()) throw_model_not_found(model_id);
    if (!allow_deleted && s->text(10) == "deleted") throw_model_not_found(model_id);
    m.model_id = s->text(0);
    m.experiment_id = std::to_string(s->int64(1));
    m.name = s->text(2);
    m.artifact_location = s->text(3);
    m.creation_timestamp = s->int64(4);
    m.last_updated_timestamp = s->int64(5);
    m.status = status_from_int(s->int64(6));
    m.model_type = s->opt_text(7);
    m.source_run_id = s->opt_text(8);
    m.status_message = s->opt_text(9);
  }
  m.tags =
      c.key_values("SELECT tag_key, tag_value FROM logged_model_tags WHERE model_id = ?", model_id);
  m.params = c.key_values(
      "SELECT param_key, param_value FROM logged_model_params WHERE model_id = ?", model_id);
  auto s = c.query(
      "SELECT metric_name, metric_value, metric_timestamp_ms, metric_step, run_id, "
      "dataset_name, dataset_digest FROM logged_model_metrics WHERE model_id = ?",
      model_id);
  while (s->step()) {
    Metric metric;
    metric.key = s->text(0);
    metric.value = s->is_null(1) ? std::numeric_limits<double>::quiet_NaN() : s->real(1);
    metric.timestamp = s->int64(2);
    metric.step = s->int64(3);
    metric.run_id = s->text(4);
    metric.dataset_name = s->opt_text(5);
    metric.dataset_digest = s->opt_text(6);
    metric.model_id = model_id;
    m.metrics.push_back(std::move(metric));
  }
  return m;
}

// _get_logged_model_record: any lifecycle stage; returns the experiment id.
std::int64_t require_model(Connection& c, const std::string& model_id) {
  auto s = c.query("SELECT experiment_id FROM logged_models WHERE model_id = ?", model_id);
  if (!s->step()) throw_model_not_found(model_id);
  return s->int64(0);
}

// ---- search: filter grammar of search_logged_model_utils.parse_filter_string ----

enum class Entity { kAttribute, kMetric, kParam, kTag };

struct Comparison {
  Entity entity = Entity::kAttribute;
  std::string key;  // attribute: the column name after aliasing
  std::string op;   // upper-cased
  bool is_list = false;
  std::string text;
  double number = 0;
  std::vector<std::string> list;
};

const std::set<std::string>& model_columns() {
  static const std::set<std::string> columns = {"model_id",
                                                "experiment_id",
                                                "name",
                                                "artifact_location",
                                                "creation_timestamp_ms",
                                                "last_updated_timestamp_ms",
                                                "status",
                                                "lifecycle_stage",
                                                "model_type",
                                                "source_run_id",
                                                "status_message"};
  return columns;
}

std::string alias(const std::string& key) {
  if (key == "creation_time" || key == "creation_timestamp") return "creation_timestamp_ms";
  if (key == "last_updated_timestamp") return "last_updated_timestamp_ms";
  return key;
}

bool is_numeric(const Comparison& c) {
  return c.entity == Entity::kMetric ||
         (c.entity == Entity::kAttribute &&
          (c.key == "creation_timestamp_ms" || c.key == "last_updated_timestamp_ms"));
}

std::string strip_backticks(std::string s) {
  while (!s.empty() && s.front() == '`') s.erase(0, 1);
  while (!s.empty() && s.back() == '`') s.pop_back();
  return s;
}

std::string entity_repr(const Comparison& c) {
  static const char* names[] = {"attributes", "metrics", "params", "tags"};
  return std::string(names[static_cast<int>(c.entity)]) + "." + c.key;
}

class FilterParser {
 public:
  explicit FilterParser(const std::string& filter) : f_(filter) {}

  std::vector<Comparison> parse() {
    std::vector<Comparison> out;
    skip_ws();
    if (at_end()) return out;
    while (true) {
      out.push_back(comparison());
      skip_ws();
      if (at_end()) break;
      if (!keyword("AND")) fail();
      skip_ws();
      if (at_end()) fail();
    }
    return out;
  }

 private:
  [[noreturn]] void fail() const {
    invalid("Invalid filter string: " + python_repr(f_) +
            ". Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND "
            "params.lr = 0.01').");
  }
  bool at_end() const { return i_ >= f_.size(); }
  void skip_ws() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(f_[i_]))) ++i_;
  }
  // A case-insensitive keyword followed by a non-identifier character.
  bool keyword(const char* word) {
    const std::size_t n = std::char_traits<char>::length(word);
    if (f_.size() - i_ < n) return false;
    for (std::size_t k = 0; k < n; ++k) {
      if (std::toupper(static_cast<unsigned char>(f_[i_ + k])) != word[k]) return false;
    }
    if (i_ + n < f_.size()) {
      const char next = f_[i_ + n];
      if (std::isalnum(static_cast<unsigned char>(next)) || next == '_') return false;
    }
    i_ += n;
    return true;
  }

  std::string identifier() {
    std::string id;
    while (!at_end()) {
      const char ch = f_[i_];
      if (ch == '`') {
        const std::size_t close = f_.find('`', i_ + 1);
        if (close == std::string::npos) fail();
        id += f_.substr(i_, close - i_ + 1);
        i_ = close + 1;
      } else if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' ||
                 ch == '-') {
        id += ch;
        ++i_;
      } else {
        break;
      }
    }
    if (id.empty()) fail();
    return id;
  }

  std::string op() {
    skip_ws();
    for (const char* sym : {"<=", ">=", "!=", "=", "<", ">"}) {
      const std::size_t n = std::char_traits<char>::length(sym);
      if (f_.compare(i_, n, sym) == 0) {
        i_ += n;
        return sym;
      }
    }
    if (keyword("LIKE")) return "LIKE";
    if (keyword("ILIKE")) return "ILIKE";
    if (keyword("IN")) return "IN";
    if (keyword("NOT")) {
      skip_ws();
      if (keyword("IN")) return "NOT IN";
    }
    fail();
  }

  std::string quoted() {
    // The text between single quotes, kept raw (MLflow strips the quotes, no unescaping).
    const std::size_t close = f_.find('\'', i_ + 1);
    if (close == std::string::npos) fail();
    std::string s = f_.substr(i_ + 1, close - i_ - 1);
    i_ = close + 1;
    return s;
  }

  Comparison comparison() {
    Comparison c;
    const std::string id = identifier();
    const std::size_t dot = id.find('.');
    bool prefixed = false;
    if (dot != std::string::npos && dot > 0) {
      const std::string prefix = id.substr(0, dot);
      bool lower = true;
      for (char ch : prefix) lower = lower && ch >= 'a' && ch <= 'z';
      if (lower) {
        prefixed = true;
        if (prefix == "attributes") {
          c.entity = Entity::kAttribute;
        } else if (prefix == "metrics") {
          c.entity = Entity::kMetric;
        } else if (prefix == "params") {
          c.entity = Entity::kParam;
        } else if (prefix == "tags") {
          c.entity = Entity::kTag;
        } else {
          invalid("Invalid entity type: " + python_repr(prefix) +
                  ". Expected one of ['attributes', 'metrics', 'params', 'tags'].");
        }
        c.key = strip_backticks(id.substr(dot + 1));
      }
    }
    if (!prefixed) c.key = strip_backticks(alias(id));
    if (c.entity == Entity::kAttribute) c.key = alias(c.key);
    c.op = op();
    const bool numeric = is_numeric(c);
    static const std::vector<std::string> kNumericOps = {"<", "<=", ">", ">=", "=", "!="};
    static const std::vector<std::string> kStringOps = {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"};
    const auto& ops = numeric ? kNumericOps : kStringOps;
    if (std::find(ops.begin(), ops.end(), c.op) == ops.end()) {
      std::string expected = "(";
      for (std::size_t k = 0; k < ops.size(); ++k) {
        expected += (k ? ", '" : "'") + ops[k] + "'";
      }
      expected += ")";
      invalid("Invalid comparison operator for " + entity_repr(c) + ": " + python_repr(c.op) +
              ". Expected one of " + expected + ".");
    }
    skip_ws();
    if (at_end()) fail();
    if (c.op == "IN" || c.op == "NOT IN") {
      if (f_[i_] != '(') fail();
      ++i_;
      c.is_list = true;
      while (true) {
        skip_ws();
        if (at_end() || f_[i_] != '\'') fail();
        c.list.push_back(quoted());
        skip_ws();
        if (at_end()) fail();
        if (f_[i_] == ',') {
          ++i_;
          continue;
        }
        if (f_[i_] == ')') {
          ++i_;
          break;
        }
        fail();
      }
    } else if (f_[i_] == '\'') {
      c.text = quoted();
    } else {
      const std::size_t start = i_;
      while (!at_end() && !std::isspace(static_cast<unsigned char>(f_[i_]))) ++i_;
      c.text = f_.substr(start, i_ - start);
    }
    if (numeric) {
      std::size_t used = 0;
      try {
        c.number = std::stod(c.text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != c.text.size()) {
        invalid("Invalid numeric value " + python_repr(c.text) + " for " + entity_repr(c) +
                " in filter string " + python_repr(f_) + ".");
      }
    }
    return c;
  }

  const std::string& f_;
  std::size_t i_ = 0;
};

// ---- search: SQL ----

// `column <op> value` as SearchUtils.get_sql_comparison_func renders it for SQLite.
void compare(SqlBuilder& b, const std::string& column, const Comparison& c) {
  if (is_numeric(c)) {
    b.sql(column + " " + c.op + " ").real(c.number);
  } else {
    sqlite::append_string_comparison(b, column, c.op, c.text, c.list);
  }
}

// The datasets clause: any of the (name[, digest]) pairs, over logged_model_metrics columns.
void datasets_condition(SqlBuilder& b, const std::vector<LoggedModelDatasetFilter>& datasets) {
  b.sql("(");
  for (std::size_t k = 0; k < datasets.size(); ++k) {
    if (k) b.sql(" OR ");
    b.sql("(dataset_name = ").text(datasets[k].dataset_name);
    // The server hands its store dataset_digest=None when none is given, which SQLAlchemy
    // renders as IS NULL: only metrics logged without a digest match. Done alike here so
    // both stores answer the same.
    if (datasets[k].dataset_digest) {
      b.sql(" AND dataset_digest = ").text(*datasets[k].dataset_digest);
    } else {
      b.sql(" AND dataset_digest IS NULL");
    }
    b.sql(")");
  }
  b.sql(")");
}

// _get_latest_logged_model_metrics_subquery: (model_id, metric_value) of the latest point
// (step, then timestamp, then value) of one metric per model of the experiments.
void latest_metric_subquery(SqlBuilder& b, const std::string& metric,
                            const std::vector<LoggedModelDatasetFilter>& datasets,
                            const std::optional<std::string>& dataset_name,
                            const std::optional<std::string>& dataset_digest,
                            const std::vector<std::int64_t>& experiment_ids) {
  b.sql(
       "(SELECT model_id, metric_value FROM (SELECT model_id, metric_value, row_number() OVER "
       "(PARTITION BY model_id, metric_name ORDER BY metric_step DESC, metric_timestamp_ms DESC, "
       "metric_value DESC) AS row_num FROM logged_model_metrics WHERE metric_name = ")
      .text(metric);
  if (!datasets.empty()) {
    b.sql(" AND ");
    datasets_condition(b, datasets);
  }
  if (dataset_name) b.sql(" AND dataset_name = ").text(*dataset_name);
  if (dataset_digest) b.sql(" AND dataset_digest = ").text(*dataset_digest);
  b.sql(" AND model_id IN (SELECT model_id FROM logged_models WHERE experiment_id IN ")
      .integer_list(experiment_ids)
      .sql(")) WHERE row_num = 1)");
}

sqlite::SqlQuery build_query(const std::vector<std::int64_t>& experiment_ids,
                             const SearchLoggedModelsOptions& options, std::int64_t offset,
                             std::int64_t limit) {
  const std::vector<Comparison> comparisons = FilterParser(options.filter_string).parse();
  SqlBuilder b;
  b.sql("SELECT lm.model_id FROM logged_models lm");
  int alias_n = 0;
  auto next_alias = [&] { return "f" + std::to_string(alias_n++); };
  bool has_metric_filter = false;
  std::vector<const Comparison*> attributes;
  for (const Comparison& c : comparisons) {
    if (c.entity == Entity::kAttribute) {
      if (model_columns().count(c.key) == 0) {
        invalid("Invalid attribute key " + python_repr(c.key) + " in filter string " +
                python_repr(options.filter_string) + ".");
      }
      attributes.push_back(&c);
      continue;
    }
    const std::string a = next_alias();
    b.sql(" JOIN ");
    if (c.entity == Entity::kMetric) {
      has_metric_filter = true;
      const std::string inner = next_alias();
      b.sql("(SELECT " + inner + ".model_id FROM ");
      latest_metric_subquery(b, c.key, options.datasets, std::nullopt, std::nullopt,
                             experiment_ids);
      b.sql(" " + inner + " WHERE ");
      compare(b, inner + ".metric_value", c);
      b.sql(")");
    } else if (c.entity == Entity::kParam) {
      b.sql("(SELECT model_id FROM logged_model_params WHERE param_key = ")
          .text(c.key)
          .sql(" AND ");
      compare(b, "param_value", c);
      b.sql(")");
    } else {
      b.sql("(SELECT model_id FROM logged_model_tags WHERE tag_key = ").text(c.key).sql(" AND ");
      compare(b, "tag_value", c);
      b.sql(")");
    }
    b.sql(" " + a + " ON " + a + ".model_id = lm.model_id");
  }
  if (!options.datasets.empty() && !has_metric_filter) {
    const std::string a = next_alias();
    b.sql(" JOIN (SELECT DISTINCT model_id FROM logged_model_metrics WHERE ");
    datasets_condition(b, options.datasets);
    b.sql(") " + a + " ON " + a + ".model_id = lm.model_id");
  }
  // order_by: metric orderings join the latest value (nulls last); attributes by column.
  std::vector<std::string> order_terms;
  bool has_creation = false;
  bool has_model_id = false;
  for (const LoggedModelOrderBy& ob : options.order_by) {
    const std::string dir = ob.ascending ? " ASC" : " DESC";
    const std::size_t dot = ob.field_name.find('.');
    if (dot == std::string::npos) {
      const std::string name = alias(ob.field_name);
      if (model_columns().count(name) == 0)
        invalid("Invalid order by field name: " + ob.field_name);
      if (name == "creation_timestamp_ms") has_creation = true;
      if (name == "model_id") has_model_id = true;
      order_terms.push_back("CASE WHEN lm." + name + " IS NULL THEN 1 ELSE 0 END ASC");
      order_terms.push_back("lm." + name + dir);
      continue;
    }
    if (ob.field_name.substr(0, dot) != "metrics") {
      invalid("Invalid order by field name: " + ob.field_name + ". Only metrics are supported.");
    }
    const std::string a = next_alias();
    b.sql(" LEFT OUTER JOIN ");
    latest_metric_subquery(b, ob.field_name.substr(dot + 1), options.datasets, ob.dataset_name,
                           ob.dataset_digest, experiment_ids);
    b.sql(" " + a + " ON " + a + ".model_id = lm.model_id");
    order_terms.push_back("CASE WHEN " + a + ".metric_value IS NULL THEN 1 ELSE 0 END ASC");
    order_terms.push_back(a + ".metric_value" + dir);
  }
  if (!has_creation) order_terms.push_back("lm.creation_timestamp_ms DESC");
  if (!has_model_id) order_terms.push_back("lm.model_id ASC");

  b.sql(" WHERE lm.lifecycle_stage != 'deleted' AND lm.experiment_id IN ")
      .integer_list(experiment_ids);
  for (const Comparison* c : attributes) {
    b.sql(" AND ");
    if (c->key == "status") {
      // Status names ("READY") compare as the stored integers.
      if (c->op != "=" && c->op != "!=" && c->op != "IN" && c->op != "NOT IN") {
        invalid("Invalid comparison operator for status: " + c->op);
      }
      Comparison as_int = *c;
      std::vector<std::string> names = c->is_list ? c->list : std::vector<std::string>{c->text};
      std::vector<std::int64_t> ints;
      for (const std::string& n : names) {
        if (n != "UNSPECIFIED" && n != "PENDING" && n != "READY" && n != "FAILED") {
          invalid("Unknown model status in filter: " +
                  (c->is_list ? std::string("(...)") : python_repr(c->text)));
        }
        ints.push_back(static_cast<std::int64_t>(logged_model_status_from_string(n)));
      }
      if (c->is_list) {
        b.sql(std::string("lm.status") + (c->op == "IN" ? " IN " : " NOT IN ")).integer_list(ints);
      } else {
        b.sql("lm.status " + c->op + " ").integer(ints[0]);
      }
      continue;
    }
    compare(b, "lm." + c->key, *c);
  }
  b.sql(" ORDER BY ");
  for (std::size_t k = 0; k < order_terms.size(); ++k) b.sql(k ? ", " : "").sql(order_terms[k]);
  b.sql(" LIMIT ").integer(limit).sql(" OFFSET ").integer(offset);
  return b.take();
}

// ---- page token: base64 JSON of (experiment_ids, filter_string, order_by, offset), as
// SearchLoggedModelsPaginationToken; a token only continues the query it came from. ----

nlohmann::json order_by_json(const std::vector<LoggedModelOrderBy>& order_by) {
  if (order_by.empty()) return nullptr;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : order_by) {
    nlohmann::json e = {{"field_name", o.field_name}, {"ascending", o.ascending}};
    if (o.dataset_name) e["dataset_name"] = *o.dataset_name;
    if (o.dataset_digest) e["dataset_digest"] = *o.dataset_digest;
    out.push_back(std::move(e));
  }
  return out;
}

std::string encode_token(const std::vector<std::string>& experiment_ids,
                         const SearchLoggedModelsOptions& options, std::int64_t offset) {
  nlohmann::ordered_json j;
  j["experiment_ids"] = experiment_ids;
  j["filter_string"] = options.filter_string.empty()
                           ? nlohmann::ordered_json(nullptr)
                           : nlohmann::ordered_json(options.filter_string);
  j["order_by"] = nlohmann::ordered_json::parse(order_by_json(options.order_by).dump());
  j["offset"] = offset;
  return base64_encode(j.dump());
}

std::int64_t decode_token(const std::string& token, const std::vector<std::string>& experiment_ids,
                          const SearchLoggedModelsOptions& options) {
  if (token.empty()) return 0;
  const nlohmann::json j =
      nlohmann::json::parse(python_b64decode(token).value_or(""), nullptr, false);
  if (j.is_discarded() || !j.is_object()) invalid("Invalid page token: " + token + ".");
  if (j.value("experiment_ids", nlohmann::json()) != nlohmann::json(experiment_ids)) {
    invalid(
        "Experiment IDs in the page token do not match the requested experiment IDs. Expected: " +
        nlohmann::json(experiment_ids).dump() +
        ". Found: " + j.value("experiment_ids", nlohmann::json()).dump());
  }
  const nlohmann::json filter = j.value("filter_string", nlohmann::json());
  const std::string token_filter = filter.is_string() ? filter.get<std::string>() : "";
  if (token_filter != options.filter_string) {
    invalid(
        "Filter string in the page token does not match the requested filter string. "
        "Expected: " +
        options.filter_string + ". Found: " + token_filter);
  }
  const nlohmann::json order = j.value("order_by", nlohmann::json());
  if (order != order_by_json(options.order_by)) {
    invalid("Order by in the page token does not match the requested order by. Expected: " +
            order_by_json(options.order_by).dump() + ". Found: " + order.dump());
  }
  const nlohmann::json offset = j.value("offset", nlohmann::json());
  return offset.is_number_integer() ? offset.get<std::int64_t>() : 0;
}

}  // namespace

// ---- metrics linked to models (called from log_batch) ----

void insert_logged_model_metrics(Connection& c, const std::string& run_id,
                                 std::int64_t experiment_id, Span<Metric> metrics) {
  for (const Metric& m : metrics) {
    if (!m.model_id) continue;
    const double value = sqlite::to_stored(m.value).value;  // the table has no is_nan column
    c.run(
        "INSERT INTO logged_model_metrics (model_id, metric_name, metric_timestamp_ms, "
        "metric_step, metric_value, experiment_id, run_id, dataset_uuid, dataset_name, "
        "dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT DO NOTHING",
        *m.model_id, m.key, m.timestamp, m.step, value, experiment_id, run_id, m.dataset_name,
        m.dataset_digest);
    if (c.changes() != 0) continue;
    // Python ignores an exact duplicate of an existing point and fails on the primary key
    // for a point that differs only in value or dataset.
    auto s = c.query(
        "SELECT metric_value, dataset_name, dataset_digest FROM logged_model_metrics WHERE "
        "model_id = ? AND metric_name = ? AND metric_timestamp_ms = ? AND metric_step = ? AND "
        "run_id = ?",
        *m.model_id, m.key, m.timestamp, m.step, run_id);
    if (s->step() && s->real(0) == value && s->opt_text(1) == m.dataset_name &&
        s->opt_text(2) == m.dataset_digest) {
      continue;
    }
    throw_error(ErrorCode::kBadRequest,
                "UNIQUE constraint failed: logged_model_metrics.model_id, "
                "logged_model_metrics.metric_name, logged_model_metrics.metric_timestamp_ms, "
                "logged_model_metrics.metric_step, logged_model_metrics.run_id (model " +
                    *m.model_id + ", metric '" + m.key + "', timestamp " +
                    std::to_string(m.timestamp) + ", step " + std::to_string(m.step) +
                    " already has another value)");
  }
}

// ---- the store ----

namespace {

// The experiment a new model goes to: it must exist and be active; returns its artifact
// location.
std::string require_active_experiment_location(Connection& c, std::int64_t exp_id) {
  auto s = c.query(
      "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?", exp_id);
  if (!s->step()) {
    throw_error(ErrorCode::kResourceDoesNotExist,
                "No Experiment with id=" + std::to_string(exp_id) + " exists");
  }
  if (s->text(0) != "active") {
    invalid("The experiment " + std::to_string(exp_id) +
            " must be in the 'active' state. Current state is " + s->text(0) + ".");
  }
  return s->text(1);
}

void insert_params(Connection& c, const std::string& model_id, std::int64_t exp_id,
                   const KeyValues& params) {
  for (const auto& [k, v] : params) {
    c.run(
        "INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value) "
        "VALUES (?, ?, ?, ?)",
        model_id, exp_id, k, v);
  }
}

void upsert_tags(Connection& c, const std::string& model_id, std::int64_t exp_id,
                 const KeyValues& tags) {
  for (const auto& [k, v] : tags) {
    c.run(
        "INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (model_id, tag_key) DO UPDATE SET "
        "tag_value = excluded.tag_value",
        model_id, exp_id, k, v);
  }
}

}  // namespace

SqliteLoggedModelStore::SqliteLoggedModelStore(std::shared_ptr<sqlite::Database> db)
    : db_(std::move(db)) {}

LoggedModel SqliteLoggedModelStore::create_logged_model(const CreateLoggedModelRequest& request) {
  validate_name(request.name);
  const std::int64_t exp_id = to_experiment_id(request.experiment_id);
  return db_->write([&](Connection& c) {
    const std::string location = require_active_experiment_location(c, exp_id);
    const std::string model_id = "m-" + uuid4_hex();
    const std::int64_t now = now_millis();
    c.run(
        "INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, "
        "creation_timestamp_ms, last_updated_timestamp_ms, status, lifecycle_stage, model_type, "
        "source_run_id, status_message) VALUES (?, ?, ?, ?, ?, ?, 1, 'active', ?, ?, NULL)",
        model_id, exp_id, request.name ? *request.name : random_run_name(),
        model_artifact_location(location, model_id), now, now, request.model_type,
        request.source_run_id);
    insert_params(c, model_id, exp_id, request.params);
    for (const auto& [k, v] : request.tags) {
      c.run(
          "INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value) "
          "VALUES (?, ?, ?, ?)",
          model_id, exp_id, k, v);
    }
    return load_model(c, model_id, true);
  });
}

void SqliteLoggedModelStore::log_logged_model_params(const std::string& model_id,
                                                     const KeyValues& params) {
  db_->write(
      [&](Connection& c) { insert_params(c, model_id, require_model(c, model_id), params); });
}

LoggedModel SqliteLoggedModelStore::get_logged_model(const std::string& model_id,
                                                     bool allow_deleted) {
  return db_->read([&](Connection& c) { return load_model(c, model_id, allow_deleted); });
}

void SqliteLoggedModelStore::delete_logged_model(const std::string& model_id) {
  db_->write([&](Connection& c) {
    require_model(c, model_id);
    c.run(
        "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? "
        "WHERE model_id = ?",
        now_millis(), model_id);
  });
}

LoggedModel SqliteLoggedModelStore::finalize_logged_model(const std::string& model_id,
                                                          LoggedModelStatus status) {
  return db_->write([&](Connection& c) {
    require_model(c, model_id);
    c.run("UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?",
          static_cast<std::int64_t>(status), now_millis(), model_id);
    return load_model(c, model_id, true);
  });
}

void SqliteLoggedModelStore::set_logged_model_tags(const std::string& model_id,
                                                   const KeyValues& tags) {
  db_->write([&](Connection& c) { upsert_tags(c, model_id, require_model(c, model_id), tags); });
}

void SqliteLoggedModelStore::delete_logged_model_tag(const std::string& model_id,
                                                     const std::string& key) {
  db_->write([&](Connection& c) {
    require_model(c, model_id);
    c.run("DELETE FROM logged_model_tags WHERE model_id = ? AND tag_key = ?", model_id, key);
    if (c.changes() == 0) {
      throw_error(ErrorCode::kResourceDoesNotExist, "No tag with key " + python_repr(key) +
                                                        " found for model with ID " +
                                                        python_repr(model_id) + ".");
    }
  });
}

PagedList<LoggedModel> SqliteLoggedModelStore::search_logged_models(
    const std::vector<std::string>& experiment_ids, const SearchLoggedModelsOptions& options) {
  for (const auto& d : options.datasets) {
    if (d.dataset_name.empty())
      invalid("`dataset_name` in the `datasets` clause must be specified.");
  }
  const std::int64_t offset = decode_token(options.page_token, experiment_ids, options);
  const std::int64_t max_results =
      options.max_results && *options.max_results > 0 ? *options.max_results : kDefaultMaxResults;
  std::vector<std::int64_t> ids;
  for (const std::string& id : experiment_ids) ids.push_back(to_experiment_id(id));
  const sqlite::SqlQuery q = build_query(ids, options, offset, max_results + 1);
  PagedList<LoggedModel> page = db_->read([&](Connection& c) {
    PagedList<LoggedModel> found;
    for (const std::string& id : c.first_column(q)) found.items.push_back(load_model(c, id, true));
    return found;
  });
  if (static_cast<std::int64_t>(page.items.size()) > max_results) {
    page.items.resize(static_cast<std::size_t>(max_results));
    page.token = encode_token(experiment_ids, options, offset + max_results);
  }
  return page;
}

void SqliteLoggedModelStore::log_outputs(const std::string& run_id,
                                         const std::vector<ModelOutput>& models) {
  db_->write([&](Connection& c) {
    {
      auto s = c.query("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?", run_id);
      if (!s->step()) {
        throw_error(ErrorCode::kResourceDoesNotExist, "Run with id=" + run_id + " not found");
      }
      if (s->text(0) != "active") {
        invalid("The run " + run_id + " must be in the 'active' state. Current state is " +
                s->text(0) + ".");
      }
    }
    for (const ModelOutput& m : models) {
      c.run(
          "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, "
          "destination_id, step) VALUES (?, 'RUN_OUTPUT', ?, 'MODEL_OUTPUT', ?, ?)",
          uuid4_hex(), run_id, m.model_id, m.step);
    }
  });
}

}  // namespace mlflow::internal
