// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/sql_builder.hpp"

#include <utility>

#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {

SqlBuilder& SqlBuilder::sql(const std::string& fragment) {
  query_.sql += fragment;
  return *this;
}

SqlBuilder& SqlBuilder::placeholder(Bind value) {
  query_.sql += '?';
  query_.binds.push_back(std::move(value));
  return *this;
}

SqlBuilder& SqlBuilder::text(const std::string& value) {
  return placeholder(Bind{Bind::kText, value, 0, 0.0});
}

SqlBuilder& SqlBuilder::integer(std::int64_t value) {
  return placeholder(Bind{Bind::kInt, {}, value, 0.0});
}

SqlBuilder& SqlBuilder::real(double value) { return placeholder(Bind{Bind::kReal, {}, 0, value}); }

SqlBuilder& SqlBuilder::append(const SqlBuilder& other) {
  query_.sql += other.query_.sql;
  query_.binds.insert(query_.binds.end(), other.query_.binds.begin(), other.query_.binds.end());
  return *this;
}

void append_string_comparison(SqlBuilder& b, const std::string& column,
                              const std::string& comparator, const std::string& value,
                              const std::vector<std::string>& list) {
  if (comparator == "ILIKE") {
    b.sql("lower(" + column + ") LIKE lower(").text(value).sql(")");
  } else if (comparator == "IN" || comparator == "NOT IN") {
    b.sql("(" + column + (comparator == "IN" ? " IN " : " NOT IN ")).text_list(list).sql(")");
  } else {
    b.sql(column + " " + comparator + " ").text(value);
  }
}

void invalid_parameter(const std::string& message) {
  throw_error(ErrorCode::kInvalidParameterValue, message);
}

}  // namespace mlflow::internal::sqlite
