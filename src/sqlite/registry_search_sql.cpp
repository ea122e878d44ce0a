// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/registry_search_sql.hpp"

#include <map>
#include <set>

#include "core/strings.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/search_filter.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

constexpr const char* kIsPrompt = "mlflow.prompt.is_prompt";

using Builder = sqlite::SqlBuilder;

[[noreturn]] void invalid(const std::string& message) { sqlite::invalid_parameter(message); }

bool one_of(const std::string& c, std::initializer_list<const char*> set) {
  for (const char* s : set) {
    if (c == s) return true;
  }
  return false;
}

void compare(Builder& b, const std::string& column, const std::string& comparator,
             const FilterValue& v) {
  sqlite::append_string_comparison(b, column, comparator, v.text, v.list);
}

// Python's _is_querying_prompt: the first clause on the prompt tag decides.
bool is_querying_prompt(const std::vector<FilterClause>& clauses) {
  for (const auto& c : clauses) {
    if (c.type != EntityType::kTag || c.key != kIsPrompt) continue;
    const std::string comparator = to_upper(c.comparator);
    const std::string value = to_lower(c.value.text);
    return (comparator == "=" && value == "true") || (comparator == "!=" && value == "false");
  }
  return false;
}

// Tag clauses grouped by key, in first-seen order: each key must match on one tag row.
using TagGroups = std::vector<std::pair<std::string, std::vector<const FilterClause*>>>;

void add_tag_clause(TagGroups& groups, const FilterClause& c) {
  for (auto& [key, list] : groups) {
    if (key == c.key) {
      list.push_back(&c);
      return;
    }
  }
  groups.push_back({c.key, {&c}});
}

// EXISTS (a tag row of this entity with key K satisfying every clause on K).
void tag_exists(Builder& b, const std::string& table, const std::string& join,
                const std::string& key, const std::vector<const FilterClause*>& clauses) {
  b.sql(" AND EXISTS (SELECT 1 FROM " + table + " t WHERE " + join + " AND t.key = ").text(key);
  for (const FilterClause* c : clauses) {
    b.sql(" AND ");
    compare(b, "t.value", to_upper(c->comparator), c->value);
  }
  b.sql(")");
}

void check_tag_comparator(const std::string& comparator) {
  if (!one_of(comparator, {"=", "!=", "LIKE", "ILIKE"})) {
    invalid("Invalid comparator for tag: " + comparator);
  }
}

void add_page(Builder& b, std::int64_t offset, std::int64_t limit) {
  b.sql(" LIMIT ").integer(limit).sql(" OFFSET ").integer(offset);
}

std::string duplicate_order_by_message(const std::vector<std::string>& order_by) {
  std::string list = "[";
  for (std::size_t i = 0; i < order_by.size(); ++i) {
    if (i > 0) list += ", ";
    list += python_repr(order_by[i]);
  }
  return "`order_by` contains duplicate fields: " + list + "]";
}

}  // namespace

SqlQuery build_search_registered_models_query(const std::string& filter,
                                              const std::vector<std::string>& order_by,
                                              std::int64_t offset, std::int64_t limit) {
  const std::vector<FilterClause> clauses = parse_registered_models_filter(filter);
  // ORDER BY is parsed before the query is built, as Python does (errors come in that order).
  std::vector<std::string> order_sql;
  std::set<std::string> seen;
  for (const auto& o : order_by) {
    const OrderByClause ob = parse_registered_models_order_by(o);
    std::string column;
    if (ob.key == "name") {
      column = "rm.name";
    } else if (ob.key == "timestamp" || ob.key == "last_updated_timestamp") {
      column = "rm.last_updated_time";
    } else {
      invalid("Invalid order by key '" + ob.key +
              "' specified.Valid keys are '{'name', 'last_updated_timestamp', 'timestamp'}'");
    }
    if (!seen.insert(column).second) {
      throw_error(ErrorCode::kInternalError, duplicate_order_by_message(order_by));
    }
    order_sql.push_back(column + (ob.ascending ? " ASC" : " DESC"));
  }
  if (seen.count("rm.name") == 0) order_sql.push_back("rm.name ASC");

  Builder b;
  b.sql("SELECT rm.name FROM registered_models rm WHERE rm.workspace = 'default'");
  TagGroups tags;
  for (const auto& c : clauses) {
    const std::string comparator = to_upper(c.comparator);
    if (c.type == EntityType::kAttribute) {
      if (c.key != "name") invalid("Invalid attribute name: " + c.key);
      if (!one_of(comparator, {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"})) {
        invalid("Invalid comparator for attribute: " + comparator);
      }
      b.sql(" AND ");
      compare(b, "rm.name", comparator, c.value);
    } else {
      check_tag_comparator(comparator);
      add_tag_clause(tags, c);
    }
  }
  const std::string join = "t.workspace = rm.workspace AND t.name = rm.name";
  if (!is_querying_prompt(clauses)) {
    // Prompts are hidden; a clause on the prompt tag itself is dropped (it could only select
    // models, which have no such tag).
    for (auto it = tags.begin(); it != tags.end(); ++it) {
      if (it->first == kIsPrompt) {
        tags.erase(it);
        break;
      }
    }
    b.sql(" AND NOT EXISTS (SELECT 1 FROM registered_model_tags t WHERE " + join + " AND t.key = ")
        .text(kIsPrompt)
        .sql(" AND t.value = ")
        .text("true")
        .sql(")");
  }
  for (const auto& [key, list] : tags) tag_exists(b, "registered_model_tags", join, key, list);
  b.sql(" ORDER BY ");
  for (std::size_t i = 0; i < order_sql.size(); ++i) b.sql((i ? ", " : "") + order_sql[i]);
  add_page(b, offset, limit);
  return b.take();
}

SqlQuery build_search_model_versions_query(const std::string& filter,
                                           const std::vector<std::string>& order_by,
                                           std::int64_t offset, std::int64_t limit) {
  const std::vector<FilterClause> clauses = parse_model_versions_filter(filter);
  Builder b;
  b.sql("SELECT mv.name, mv.version FROM model_versions mv WHERE mv.workspace = 'default'");
  TagGroups tags;
  for (const auto& c : clauses) {
    const std::string comparator = to_upper(c.comparator);
    if (c.type == EntityType::kAttribute) {
      if (c.key == "version_number") {
        if (!one_of(comparator, {"=", "!=", "<", "<=", ">", ">="})) {
          invalid("Invalid comparator for attribute " + c.key + ": " + comparator);
        }
        std::int64_t n = 0;
        bool ok = c.value.kind == FilterValue::Kind::kNumber ? c.value.is_integer : true;
        if (ok) {
          const std::string text = c.value.text;
          std::size_t i = 0;
          if (!text.empty() && (text[0] == '-' || text[0] == '+')) i = 1;
          ok = i < text.size() && text.size() - i <= 18;
          for (std::size_t k = i; ok && k < text.size(); ++k) {
            if (!std::isdigit(static_cast<unsigned char>(text[k]))) ok = false;
          }
          if (ok) n = std::stoll(text);
        }
        if (!ok) {
          invalid("Invalid value for numeric attribute '" + c.key + "': " +
                  (c.value.kind == FilterValue::Kind::kNumber ? c.value.text
                                                              : python_repr(c.value.text)));
        }
        b.sql(" AND mv.version " + comparator + " ").integer(n);
        continue;
      }
      if (!one_of(comparator, {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"}) ||
          ((comparator == "IN" || comparator == "NOT IN") && c.key != "run_id" &&
           c.key != "name")) {
        invalid("Invalid comparator for attribute: " + comparator);
      }
      const std::string column = c.key == "source_path" ? "mv.source" : "mv." + c.key;
      b.sql(" AND ");
      compare(b, column, comparator, c.value);
    } else {
      check_tag_comparator(comparator);
      add_tag_clause(tags, c);
    }
  }
  const std::string join =
      "t.workspace = mv.workspace AND t.name = mv.name AND t.version = mv.version";
  if (!is_querying_prompt(clauses)) {
    for (auto it = tags.begin(); it != tags.end(); ++it) {
      if (it->first == kIsPrompt) {
        tags.erase(it);
        break;
      }
    }
    // Any prompt-tagged version hides every version of that name (Python groups by name).
    b.sql(
         " AND NOT EXISTS (SELECT 1 FROM model_version_tags t WHERE t.workspace = mv.workspace "
         "AND t.name = mv.name AND t.key = ")
        .text(kIsPrompt)
        .sql(" AND t.value = ")
        .text("true")
        .sql(")");
  }
  for (const auto& [key, list] : tags) tag_exists(b, "model_version_tags", join, key, list);
  b.sql(" AND mv.current_stage != 'Deleted_Internal'");

  std::vector<std::string> effective = order_by;
  if (effective.empty()) {
    effective = {"last_updated_timestamp DESC", "name ASC", "version_number DESC"};
  }
  std::vector<std::string> order_sql;
  std::set<std::string> seen;
  for (const auto& o : effective) {
    const OrderByClause ob = parse_model_versions_order_by(o);
    std::string column;
    if (ob.type != EntityType::kAttribute) {
      invalid("Invalid order by key '" + ob.key +
              "' specified. Valid keys are {'name', 'version_number', 'creation_timestamp', "
              "'last_updated_timestamp'}");
    }
    if (ob.key == "name") {
      column = "mv.name";
    } else if (ob.key == "version_number") {
      column = "mv.version";
    } else if (ob.key == "creation_timestamp") {
      column = "mv.creation_time";
    } else {
      column = "mv.last_updated_time";
    }
    if (!seen.insert(column).second) {
      throw_error(ErrorCode::kInternalError, duplicate_order_by_message(effective));
    }
    order_sql.push_back(column + (ob.ascending ? " ASC" : " DESC"));
  }
  if (seen.count("mv.name") == 0) order_sql.push_back("mv.name ASC");
  if (seen.count("mv.version") == 0) order_sql.push_back("mv.version DESC");
  b.sql(" ORDER BY ");
  for (std::size_t i = 0; i < order_sql.size(); ++i) b.sql((i ? ", " : "") + order_sql[i]);
  add_page(b, offset, limit);
  return b.take();
}

}  // namespace mlflow::internal::sqlite_search
