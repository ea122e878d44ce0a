// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Output for people (aligned tables, short messages) and for scripts (`--json`: one JSON
// document on stdout, indented by 2).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "context.hpp"
#include "mlflow/json_value.hpp"

namespace mlflow_cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add(std::vector<std::string> row);
  /// Columns padded to their widest cell; "(none)" for no rows.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

/// `json` with --json, else `table`.
void emit(const Context& context, const mlflow::JsonValue& json, const Table& table);
/// `json` with --json, else the line `text`.
void emit(const Context& context, const mlflow::JsonValue& json, const std::string& text);
/// What `delete` and `restore` print: {"<id_key>": id, "lifecycle_stage": "deleted" or
/// "active"} with --json, else "<subject> has been deleted." (or "restored.").
void emit_lifecycle(const Context& context, const std::string& id_key, const std::string& id,
                    bool deleted, const std::string& subject);
/// A key/value table of an object's scalar members (nested values as compact JSON).
Table fields_table(const mlflow::JsonValue& object);

/// Milliseconds since the epoch as "YYYY-MM-DD HH:MM:SS" (UTC); "" for none.
std::string format_time_ms(std::optional<std::int64_t> ms);
/// A number as JSON writes it (shortest text that reads back the same).
std::string format_number(double value);

}  // namespace mlflow_cli
