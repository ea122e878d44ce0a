// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "batch_input.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "mlflow/errors.hpp"
#include "mlflow/json_value.hpp"

namespace mlflow_cli {
namespace {

using mlflow::JsonValue;

[[noreturn]] void bad_line(std::size_t line, const std::string& why) {
  throw mlflow::InvalidArgument(
      mlflow::ErrorCode::kInvalidParameterValue,
      "Batch input line " + std::to_string(line) + ": " + why + " Nothing was logged.");
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos;
}

// A number as Python's float() reads it ("nan", "inf", "-Infinity" included).
bool parse_double(const std::string& text, double& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

bool parse_int(const std::string& text, std::int64_t& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

std::int64_t int_field(const JsonValue& object, const char* name, std::int64_t fallback,
                       std::size_t line) {
  const JsonValue* value = object.find(name);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_int()) bad_line(line, std::string("\"") + name + "\" must be an integer.");
  return value->as_int();
}

std::string string_field(const JsonValue& object, const char* name, std::size_t line) {
  const JsonValue* value = object.find(name);
  if (value == nullptr || !value->is_string()) {
    bad_line(line, std::string("\"") + name + "\" must be a string.");
  }
  return value->as_string();
}

double metric_value(const JsonValue& value, std::size_t line) {
  if (value.is_number()) return value.as_double();
  double parsed = 0;
  if (value.is_string() && parse_double(value.as_string(), parsed)) return parsed;
  bad_line(line, "a metric \"value\" must be a number (or \"NaN\"/\"Infinity\").");
}

void add_item(Batch& batch, const std::string& type, const std::string& key,
              const std::string& value_text, double value, std::int64_t step,
              std::int64_t timestamp, std::size_t line) {
  if (key.empty()) bad_line(line, "the key is empty.");
  if (type == "metric") {
    batch.metrics.push_back(mlflow::Metric{key, value, timestamp, step});
  } else if (type == "param") {
    batch.params.push_back(mlflow::Param{key, value_text});
  } else if (type == "tag") {
    batch.tags.push_back(mlflow::RunTag{key, value_text});
  } else {
    bad_line(line, "unknown type '" + type + "': use metric, param or tag.");
  }
}

Batch parse_json_lines(const std::string& text, std::int64_t now) {
  Batch batch;
  const auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t line = i + 1;
    if (is_blank(lines[i])) continue;
    JsonValue object;
    try {
      object = JsonValue::parse(lines[i]);
    } catch (const std::exception& e) {
      bad_line(line, std::string("not JSON (") + e.what() + ").");
    }
    if (!object.is_object()) bad_line(line, "expected a JSON object with \"key\" and \"value\".");
    const JsonValue* type_field = object.find("type");
    const std::string type = type_field == nullptr ? "metric" : string_field(object, "type", line);
    const std::string key = string_field(object, "key", line);
    const JsonValue* value = object.find("value");
    if (value == nullptr) bad_line(line, "\"value\" is missing.");
    if (type == "metric") {
      add_item(batch, type, key, "", metric_value(*value, line), int_field(object, "step", 0, line),
               int_field(object, "timestamp", now, line), line);
    } else {
      if (!value->is_string()) bad_line(line, "a " + type + " \"value\" must be a string.");
      add_item(batch, type, key, value->as_string(), 0, 0, 0, line);
    }
  }
  return batch;
}

// One CSV record: fields split at commas, "quoted" fields with "" for a quote (RFC 4180,
// without line breaks inside fields).
std::vector<std::string> csv_fields(const std::string& line, std::size_t number) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) bad_line(number, "an unterminated quoted field.");
  return fields;
}

int column_of(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Batch parse_csv(const std::string& text, std::int64_t now) {
  Batch batch;
  const auto lines = lines_of(text);
  std::size_t first = 0;
  while (first < lines.size() && is_blank(lines[first])) ++first;
  if (first == lines.size()) return batch;
  const auto header = csv_fields(lines[first], first + 1);
  const int key_col = column_of(header, "key");
  const int value_col = column_of(header, "value");
  const int step_col = column_of(header, "step");
  const int time_col = column_of(header, "timestamp");
  const int type_col = column_of(header, "type");
  if (key_col >= 0 && value_col < 0)
    bad_line(first + 1, "the header has \"key\" but no \"value\".");
  for (std::size_t i = first + 1; i < lines.size(); ++i) {
    const std::size_t line = i + 1;
    if (is_blank(lines[i])) continue;
    const auto fields = csv_fields(lines[i], line);
    if (fields.size() != header.size()) {
      bad_line(line, std::to_string(fields.size()) + " fields where the header has " +
                         std::to_string(header.size()) + ".");
    }
    std::int64_t step = 0;
    std::int64_t timestamp = now;
    if (step_col >= 0 && !fields[step_col].empty() && !parse_int(fields[step_col], step)) {
      bad_line(line, "step '" + fields[step_col] + "' is not an integer.");
    }
    if (time_col >= 0 && !fields[time_col].empty() && !parse_int(fields[time_col], timestamp)) {
      bad_line(line, "timestamp '" + fields[time_col] + "' is not an integer (milliseconds).");
    }
    if (key_col >= 0) {
      const std::string type =
          type_col >= 0 && !fields[type_col].empty() ? fields[type_col] : "metric";
      double value = 0;
      if (type == "metric" && !parse_double(fields[value_col], value)) {
        bad_line(line, "metric value '" + fields[value_col] + "' is not a number.");
      }
      add_item(batch, type, fields[key_col], fields[value_col], value, step, timestamp, line);
      continue;
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (static_cast<int>(c) == step_col || static_cast<int>(c) == time_col || fields[c].empty()) {
        continue;
      }
      double value = 0;
      if (!parse_double(fields[c], value)) {
        bad_line(line, "column '" + header[c] + "': '" + fields[c] + "' is not a number.");
      }
      add_item(batch, "metric", header[c], "", value, step, timestamp, line);
    }
  }
  return batch;
}

}  // namespace

BatchFormat detect_batch_format(const std::string& path, const std::string& text) {
  if (ends_with(path, ".csv")) return BatchFormat::kCsv;
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".json")) {
    return BatchFormat::kJsonLines;
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{' ? BatchFormat::kJsonLines
                                                          : BatchFormat::kCsv;
}

Batch parse_batch(const std::string& text, BatchFormat format, std::int64_t now_ms) {
  if (format == BatchFormat::kAuto) format = detect_batch_format("", text);
  return format == BatchFormat::kCsv ? parse_csv(text, now_ms) : parse_json_lines(text, now_ms);
}

}  // namespace mlflow_cli
