// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/json_value.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/json_text.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
// Python's float repr lives with the prompt JSON writer, its first user; one copy for both.

namespace mlflow {
namespace {

[[noreturn]] void type_error(const char* wanted, JsonValue::Type actual) {
  static const char* const kNames[] = {"null", "bool", "int", "float", "string", "array", "object"};
  throw InvalidArgument(
      ErrorCode::kInvalidParameterValue,
      std::string("JSON value is ") + kNames[static_cast<int>(actual)] + ", not " + wanted + ".");
}

bool is_pair_item(const JsonValue& item) {
  return item.is_array() && item.as_array().size() == 2 && item.as_array()[0].is_string();
}

// ---- serialisation ----------------------------------------------------------------------------

void append_u_escape(std::string& out, unsigned unit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

void append_json_string(std::string& out, std::string_view text, bool ensure_ascii) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const internal::utf8::Decoded d = internal::utf8::decode(text, i);
    // A byte Python could not have in a str becomes U+FFFD, as errors="replace".
    const char32_t cp = d.length == 0 ? 0xFFFD : d.code_point;
    i += d.length == 0 ? 1 : d.length;
    if (cp < 0x80) {
      if (const std::optional<char> letter =
              internal::json_text::short_escape_letter(static_cast<char>(cp))) {
        out.push_back('\\');
        out.push_back(*letter);
        continue;
      }
    }
    if (cp < 0x20) {
      append_u_escape(out, static_cast<unsigned>(cp));
    } else if (!ensure_ascii || cp <= 0x7E) {
      internal::utf8::append(out, cp);
    } else if (cp < 0x10000) {
      append_u_escape(out, static_cast<unsigned>(cp));
    } else {
      const char32_t v = cp - 0x10000;
      append_u_escape(out, static_cast<unsigned>(0xD800 + (v >> 10)));
      append_u_escape(out, static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
    }
  }
  out.push_back('"');
}

class Writer {
 public:
  Writer(std::string& out, const JsonValue::DumpOptions& options) : out_(out), options_(options) {}

  void write(const JsonValue& v, int depth) {
    switch (v.type()) {
      case JsonValue::Type::kNull:
        out_ += "null";
        break;
      case JsonValue::Type::kBool:
        out_ += v.as_bool() ? "true" : "false";
        break;
      case JsonValue::Type::kInt:
        out_ += std::to_string(v.as_int());
        break;
      case JsonValue::Type::kDouble:
        internal::json_text::append_python_double(out_, v.as_double());
        break;
      case JsonValue::Type::kString:
        append_json_string(out_, v.as_string(), options_.ensure_ascii);
        break;
      case JsonValue::Type::kArray:
        write_array(v.as_array(), depth);
        break;
      case JsonValue::Type::kObject:
        write_object(v.as_object(), depth);
        break;
    }
  }

 private:
  void separator(bool first, int depth) {
    if (options_.indent) {
      if (!first) out_.push_back(',');
      out_.push_back('\n');
      out_.append(static_cast<std::size_t>(*options_.indent * depth), ' ');
    } else if (!first) {
      out_ += ", ";
    }
  }
  void close(int depth) {
    if (options_.indent) {
      out_.push_back('\n');
      out_.append(static_cast<std::size_t>(*options_.indent * depth), ' ');
    }
  }
  void write_array(const JsonValue::Array& items, int depth) {
    if (items.empty()) {
      out_ += "[]";
      return;
    }
    out_.push_back('[');
    bool first = true;
    for (const auto& item : items) {
      separator(first, depth + 1);
      first = false;
      write(item, depth + 1);
    }
    close(depth);
    out_.push_back(']');
  }
  void write_object(const JsonValue::Object& members, int depth) {
    if (members.empty()) {
      out_ += "{}";
      return;
    }
    std::vector<const JsonValue::Member*> order;
    order.reserve(members.size());
    for (const auto& m : members) order.push_back(&m);
    if (options_.sort_keys) {
      // Python compares str by code point; UTF-8 byte order is the same order.
      std::stable_sort(order.begin(), order.end(),
                       [](const auto* a, const auto* b) { return a->first < b->first; });
    }
    out_.push_back('{');
    bool first = true;
    for (const auto* m : order) {
      separator(first, depth + 1);
      first = false;
      append_json_string(out_, m->first, options_.ensure_ascii);
      out_ += ": ";
      write(m->second, depth + 1);
    }
    close(depth);
    out_.push_back('}');
  }

  std::string& out_;
  const JsonValue::DumpOptions& options_;
};

// ---- parsing ----------------------------------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  JsonValue parse_document() {
    JsonValue v = parse_value(0);
    skip_ws();
    if (pos_ != text_.size()) fail("extra data");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 1000;  // Python's default recursion limit, roughly

  [[noreturn]] void fail(const char* what) const {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        std::string("Invalid JSON: ") + what + " at character " + std::to_string(pos_) + ".");
  }
  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  JsonValue parse_value(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    skip_ws();
    if (pos_ >= text_.size()) fail("expecting value");
    const char c = text_[pos_];
    switch (c) {
      case '{':
        return parse_object(depth);
      case '[':
        return parse_array(depth);
      case '"':
        return JsonValue(parse_string());
      case 't':
        if (consume("true")) return JsonValue(true);
        break;
      case 'f':
        if (consume("false")) return JsonValue(false);
        break;
      case 'n':
        if (consume("null")) return JsonValue();
        break;
      case 'N':
        if (consume("NaN")) return JsonValue(std::nan(""));
        break;
      case 'I':
        if (consume("Infinity")) return JsonValue(HUGE_VAL);
        break;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    }
    fail("expecting value");
  }

  JsonValue parse_number() {
    const std::size_t start = pos_;
    if (consume("-Infinity")) return JsonValue(-HUGE_VAL);
    if (text_[pos_] == '-') ++pos_;
    const auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    const std::size_t int_start = pos_;
    const std::size_t int_digits = digits();
    if (int_digits == 0) fail("expecting value");
    if (int_digits > 1 && text_[int_start] == '0') {
      pos_ = int_start + 1;  // Python stops after a leading 0 and then finds extra data
    }
    bool is_float = false;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      const std::size_t dot = pos_++;
      if (digits() == 0) {
        pos_ = dot;
      } else {
        is_float = true;
      }
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      const std::size_t e = pos_++;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) {
        pos_ = e;
      } else {
        is_float = true;
      }
    }
    const std::string number(text_.substr(start, pos_ - start));
    if (!is_float) {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(number.c_str(), &end, 10);
      if (errno != ERANGE) return JsonValue(static_cast<std::int64_t>(v));
    }
    return JsonValue(std::strtod(number.c_str(), nullptr));
  }

  unsigned parse_hex4() {
    if (pos_ + 4 > text_.size()) fail("invalid \\uXXXX escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        fail("invalid \\uXXXX escape");
      }
    }
    return v;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("invalid control character");
      if (c != '\\') {
        out.push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) fail("unterminated string");
      const char e = text_[pos_++];
      if (const std::optional<char> value = internal::json_text::short_escape_value(e)) {
        out.push_back(*value);
        continue;
      }
      switch (e) {
        case 'u': {
          char32_t cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            const unsigned low = parse_hex4();
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          // A lone surrogate cannot be UTF-8; Python keeps it in its str, we write U+FFFD.
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          internal::utf8::append(out, cp);
          break;
        }
        default:
          fail("invalid escape");
      }
    }
  }

  JsonValue parse_array(int depth) {
    ++pos_;
    JsonValue::Array items;
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return JsonValue(std::move(items));
    }
    do {
      items.push_back(parse_value(depth + 1));
    } while (another_item(']'));
    return JsonValue(std::move(items));
  }

  // After an item of an array or object: true at ',' (another item follows), false at `closer`
  // (consumed), else Python's "expecting ',' delimiter".
  bool another_item(char closer) {
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == closer) {
      ++pos_;
      return false;
    }
    fail("expecting ',' delimiter");
  }

  JsonValue parse_object(int depth) {
    ++pos_;
    JsonValue obj = JsonValue::object();
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return obj;
    }
    do {
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        fail("expecting property name enclosed in double quotes");
      }
      std::string key = parse_string();
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != ':') fail("expecting ':' delimiter");
      ++pos_;
      obj.set(std::move(key), parse_value(depth + 1));
    } while (another_item('}'));
    return obj;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

JsonValue::JsonValue(std::initializer_list<JsonValue> items) {
  const bool is_object = items.size() > 0 && std::all_of(items.begin(), items.end(), is_pair_item);
  if (!is_object) {
    data_ = Array(items.begin(), items.end());
    return;
  }
  JsonValue obj = object();
  for (const auto& item : items) {
    const auto& pair = item.as_array();
    obj.set(pair[0].as_string(), pair[1]);
  }
  data_ = std::move(obj.data_);
}

JsonValue JsonValue::array(Array items) { return JsonValue(std::move(items)); }

JsonValue JsonValue::object(Object members) {
  JsonValue obj;
  obj.data_ = Object();
  obj.as_object().reserve(members.size());
  for (auto& [key, value] : members) obj.set(std::move(key), std::move(value));
  return obj;
}

JsonValue JsonValue::parse(std::string_view text) { return Parser(text).parse_document(); }

bool JsonValue::as_bool() const {
  if (!is_bool()) type_error("bool", type());
  return std::get<bool>(data_);
}

std::int64_t JsonValue::as_int() const {
  if (!is_int()) type_error("int", type());
  return std::get<std::int64_t>(data_);
}

double JsonValue::as_double() const {
  if (is_int()) return static_cast<double>(std::get<std::int64_t>(data_));
  if (!is_double()) type_error("float", type());
  return std::get<double>(data_);
}

const std::string& JsonValue::as_string() const {
  if (!is_string()) type_error("string", type());
  return std::get<std::string>(data_);
}

const JsonValue::Array& JsonValue::as_array() const {
  if (!is_array()) type_error("array", type());
  return std::get<Array>(data_);
}

// The mutable accessors are the const ones (one type check each).
JsonValue::Array& JsonValue::as_array() {
  return const_cast<Array&>(std::as_const(*this).as_array());
}

const JsonValue::Object& JsonValue::as_object() const {
  if (!is_object()) type_error("object", type());
  return std::get<Object>(data_);
}

JsonValue::Object& JsonValue::as_object() {
  return const_cast<Object&>(std::as_const(*this).as_object());
}

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  const auto* members = std::get_if<Object>(&data_);
  if (members == nullptr) return nullptr;
  for (const auto& m : *members) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

const JsonValue& JsonValue::at(std::string_view key) const {
  const JsonValue* v = find(key);
  if (v == nullptr) {
    if (!is_object()) type_error("object", type());
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "JSON object has no key '" + std::string(key) + "'.");
  }
  return *v;
}

const JsonValue& JsonValue::at(std::size_t index) const {
  const auto& items = as_array();
  if (index >= items.size()) {
    throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                          "JSON array index " + std::to_string(index) + " is out of range (size " +
                              std::to_string(items.size()) + ").");
  }
  return items[index];
}

void JsonValue::set(std::string key, JsonValue value) {
  if (is_null()) data_ = Object();
  auto& members = as_object();
  for (auto& m : members) {
    if (m.first == key) {
      m.second = std::move(value);
      return;
    }
  }
  members.emplace_back(std::move(key), std::move(value));
}

JsonValue& JsonValue::operator[](std::string_view key) {
  if (is_null()) data_ = Object();
  auto& members = as_object();
  for (auto& m : members) {
    if (m.first == key) return m.second;
  }
  members.emplace_back(std::string(key), JsonValue());
  return members.back().second;
}

bool JsonValue::erase(std::string_view key) {
  auto* members = std::get_if<Object>(&data_);
  if (members == nullptr) return false;
  const auto it = std::find_if(members->begin(), members->end(),
                               [&](const Member& m) { return m.first == key; });
  if (it == members->end()) return false;
  members->erase(it);
  return true;
}

void JsonValue::push_back(JsonValue value) {
  if (is_null()) data_ = Array();
  as_array().push_back(std::move(value));
}

std::size_t JsonValue::size() const noexcept {
  if (const auto* a = std::get_if<Array>(&data_)) return a->size();
  if (const auto* o = std::get_if<Object>(&data_)) return o->size();
  return 0;
}

std::string JsonValue::dump() const { return dump(DumpOptions{}); }

std::string JsonValue::dump(const DumpOptions& options) const {
  std::string out;
  Writer(out, options).write(*this, 0);
  return out;
}

bool operator==(const JsonValue& a, const JsonValue& b) noexcept {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case JsonValue::Type::kNull:
      return true;
    case JsonValue::Type::kBool:
      return a.as_bool() == b.as_bool();
    case JsonValue::Type::kString:
      return a.as_string() == b.as_string();
    case JsonValue::Type::kArray:
      return a.as_array() == b.as_array();
    case JsonValue::Type::kObject: {
      const auto& ma = a.as_object();
      if (ma.size() != b.as_object().size()) return false;
      for (const auto& [key, value] : ma) {
        const JsonValue* other = b.find(key);
        if (other == nullptr || !(*other == value)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace mlflow
