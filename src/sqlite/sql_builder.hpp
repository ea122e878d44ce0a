// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The one way the embedded store assembles SQL whose shape depends on the request (searches):
// fixed fragments of the store's own text plus `?` placeholders whose values travel beside
// them as binds, so no user text ever becomes part of the SQL.

#include <cstdint>
#include <string>
#include <vector>

namespace mlflow::internal::sqlite {

/// One positional parameter (`?`) of a query, bound in order.
struct Bind {
  enum Kind { kText, kInt, kReal } kind = kText;
  std::string text;
  std::int64_t i = 0;
  double r = 0;
};

/// SQL text and the values of its `?` placeholders, in textual order.
struct SqlQuery {
  std::string sql;
  std::vector<Bind> binds;
};

class SqlBuilder {
 public:
  /// Appends fixed SQL text (the store's own fragments, never user text).
  SqlBuilder& sql(const std::string& fragment);
  /// Appends `?` and binds the value to it.
  SqlBuilder& text(const std::string& value);
  SqlBuilder& integer(std::int64_t value);
  SqlBuilder& real(double value);
  /// `(?, ?, ...)` with one placeholder per item.
  SqlBuilder& text_list(const std::vector<std::string>& items) {
    return list(items, &SqlBuilder::text);
  }
  SqlBuilder& integer_list(const std::vector<std::int64_t>& items) {
    return list(items, &SqlBuilder::integer);
  }
  /// Appends another builder's SQL and binds (e.g. a WHERE built apart from its SELECT).
  SqlBuilder& append(const SqlBuilder& other);

  bool empty() const noexcept { return query_.sql.empty(); }
  const SqlQuery& query() const noexcept { return query_; }
  SqlQuery take() { return std::move(query_); }

 private:
  SqlBuilder& placeholder(Bind value);
  template <typename T, typename Append>
  SqlBuilder& list(const std::vector<T>& items, Append append) {
    sql("(");
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k > 0) sql(", ");
      (this->*append)(items[k]);
    }
    return sql(")");
  }

  SqlQuery query_;
};

/// `<column> <comparator> <value>` for MLflow's string comparators as SQLAlchemy renders them
/// for SQLite: =, != and LIKE (case-sensitive on the store's connection) bind `value`, ILIKE
/// lowers both sides, IN and NOT IN bind every item of `list`. `column` is the store's SQL.
void append_string_comparison(SqlBuilder& b, const std::string& column,
                              const std::string& comparator, const std::string& value,
                              const std::vector<std::string>& list);

/// Throws MlflowException(INVALID_PARAMETER_VALUE) with `message`: how the search grammars
/// report a filter, order_by or page token that MLflow would refuse.
[[noreturn]] void invalid_parameter(const std::string& message);

}  // namespace mlflow::internal::sqlite
