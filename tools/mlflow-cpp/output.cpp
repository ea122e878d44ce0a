// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "output.hpp"

#include <algorithm>
#include <ctime>
#include <iostream>
#include <sstream>

namespace mlflow_cli {

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add(std::vector<std::string> row) {
  row.resize(headers_.size());
  rows_.push_back(std::move(row));
}

std::string Table::render() const {
  std::vector<std::size_t> width(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i) width[i] = headers_[i].size();
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) text += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    out << text << '\n';
  };
  line(headers_);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows_) line(row);
  if (rows_.empty()) out << "(none)\n";
  return out.str();
}

namespace {

std::string pretty(const mlflow::JsonValue& json) {
  mlflow::JsonValue::DumpOptions options;
  options.indent = 2;
  options.ensure_ascii = false;
  return json.dump(options);
}

std::string cell(const mlflow::JsonValue& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.as_string();
  mlflow::JsonValue::DumpOptions options;
  options.ensure_ascii = false;
  return value.dump(options);
}

}  // namespace

void emit(const Context& context, const mlflow::JsonValue& json, const Table& table) {
  std::cout << (context.options.json ? pretty(json) + "\n" : table.render()) << std::flush;
}

void emit(const Context& context, const mlflow::JsonValue& json, const std::string& text) {
  std::cout << (context.options.json ? pretty(json) : text) << '\n' << std::flush;
}

void emit_lifecycle(const Context& context, const std::string& id_key, const std::string& id,
                    bool deleted, const std::string& subject) {
  emit(context,
       mlflow::JsonValue::object(
           {{id_key, id}, {"lifecycle_stage", deleted ? "deleted" : "active"}}),
       subject + " has been " + (deleted ? "deleted." : "restored."));
}

Table fields_table(const mlflow::JsonValue& object) {
  Table table({"Field", "Value"});
  for (const auto& [key, value] : object.as_object()) table.add({key, cell(value)});
  return table;
}

std::string format_time_ms(std::optional<std::int64_t> ms) {
  if (!ms) return "";
  const std::time_t seconds = static_cast<std::time_t>(*ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  return text;
}

std::string format_number(double value) { return mlflow::JsonValue(value).dump(); }

}  // namespace mlflow_cli
