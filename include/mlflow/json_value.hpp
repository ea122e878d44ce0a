// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// JsonValue: a JSON document as a C++ value (null, bool, integer, floating point, string,
/// array, object with insertion order), for span inputs and outputs, attributes, assessment
/// values and anything else the API takes as "any JSON-serialisable value" in Python.
///
/// Built from C++ literals and containers:
///
///     mlflow::JsonValue v = {{"question", "why?"}, {"top_k", 3}, {"temps", {0.1, 0.7}}};
///     mlflow::JsonValue list = std::vector<std::string>{"a", "b"};
///     mlflow::JsonValue dict = std::map<std::string, double>{{"x", 1.5}};
///
/// A braced list is an object when every element is a two-element list whose first element is
/// a string (`{{"k", 1}, {"j", 2}}`), and an array otherwise (`{1, 2, 3}`); use
/// JsonValue::array() or JsonValue::object() to say which when that rule guesses wrong
/// (`JsonValue::array({{"a", 1}})` is `[["a", 1]]`).
///
/// dump() writes what Python's `json.dumps` writes for the same value (", " and ": "
/// separators, ensure_ascii escapes, float repr, NaN/Infinity), so text produced here is
/// byte-identical to Python's wherever MLflow stores JSON text.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace mlflow {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  using Array = std::vector<JsonValue>;
  using Member = std::pair<std::string, JsonValue>;
  /// Members in insertion order (Python dicts keep it, and so does MLflow's stored JSON).
  using Object = std::vector<Member>;

  /// null
  JsonValue() noexcept = default;
  JsonValue(std::nullptr_t) noexcept {}             // NOLINT(google-explicit-constructor)
  JsonValue(bool value) noexcept : data_(value) {}  // NOLINT
  /// Every integer type but bool and the character types. Unsigned values above INT64_MAX
  /// become doubles (JSON numbers either way).
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                 !std::is_same_v<T, char> && !std::is_same_v<T, char16_t> &&
                                 !std::is_same_v<T, char32_t> && !std::is_same_v<T, wchar_t>,
                             int> = 0>
  JsonValue(T value) noexcept  // NOLINT
      : data_(make_integer(value)) {}
  JsonValue(double value) noexcept : data_(value) {}                      // NOLINT
  JsonValue(float value) noexcept : data_(static_cast<double>(value)) {}  // NOLINT
  JsonValue(const char* text) : data_(std::string(text)) {}               // NOLINT
  JsonValue(std::string text) noexcept : data_(std::move(text)) {}        // NOLINT
  JsonValue(std::string_view text) : data_(std::string(text)) {}          // NOLINT
  /// An object when every item is a [string, value] pair, an array otherwise (see the file
  /// comment).
  JsonValue(std::initializer_list<JsonValue> items);
  JsonValue(Array items) noexcept : data_(std::move(items)) {}       // NOLINT
  JsonValue(Object members) noexcept : data_(std::move(members)) {}  // NOLINT
  /// Any vector of convertible values: an array.
  template <typename T,
            std::enable_if_t<std::is_constructible_v<JsonValue, const T&> &&
                                 !std::is_same_v<T, JsonValue> && !std::is_same_v<T, Member>,
                             int> = 0>
  JsonValue(const std::vector<T>& items) : data_(Array(items.begin(), items.end())) {}  // NOLINT
  /// Maps with string keys: an object (in the map's iteration order).
  template <typename T, typename C, typename A,
            std::enable_if_t<std::is_constructible_v<JsonValue, const T&>, int> = 0>
  JsonValue(const std::map<std::string, T, C, A>& members)  // NOLINT
      : data_(to_object(members)) {}
  template <typename T, typename H, typename E, typename A,
            std::enable_if_t<std::is_constructible_v<JsonValue, const T&>, int> = 0>
  JsonValue(const std::unordered_map<std::string, T, H, E, A>& members)  // NOLINT
      : data_(to_object(members)) {}
  /// std::nullopt is null.
  template <typename T, std::enable_if_t<std::is_constructible_v<JsonValue, const T&>, int> = 0>
  JsonValue(const std::optional<T>& value)  // NOLINT
      : JsonValue(value ? JsonValue(*value) : JsonValue()) {}

  /// An array of `items`, never an object.
  static JsonValue array(Array items = {});
  /// An object of `members`, in the given order (a repeated key keeps its last value at its
  /// first position, as a Python dict built from the same pairs does).
  static JsonValue object(Object members = {});
  /// Parses JSON text (what Python's json.loads accepts, including NaN, Infinity and
  /// -Infinity). Integers that fit int64 stay integers, others become doubles; object members
  /// keep their order, a repeated key keeps its last value. Throws InvalidArgument naming the
  /// offending position when `text` is not JSON.
  static JsonValue parse(std::string_view text);

  Type type() const noexcept { return static_cast<Type>(data_.index()); }
  bool is_null() const noexcept { return type() == Type::kNull; }
  bool is_bool() const noexcept { return type() == Type::kBool; }
  bool is_int() const noexcept { return type() == Type::kInt; }
  bool is_double() const noexcept { return type() == Type::kDouble; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return type() == Type::kString; }
  bool is_array() const noexcept { return type() == Type::kArray; }
  bool is_object() const noexcept { return type() == Type::kObject; }

  /// Typed access; each throws InvalidArgument naming the actual type on a mismatch.
  bool as_bool() const;
  std::int64_t as_int() const;
  /// Integers convert.
  double as_double() const;
  const std::string& as_string() const;
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  /// Object member by key, or nullptr (also for non-objects).
  const JsonValue* find(std::string_view key) const noexcept;
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
  /// Throws NotFound-style InvalidArgument for a missing key or a non-object.
  const JsonValue& at(std::string_view key) const;
  /// Array element; throws InvalidArgument when out of range or not an array.
  const JsonValue& at(std::size_t index) const;
  /// Python's `d[key] = value`: replaces in place (keeping the position) or appends. A null
  /// value becomes an empty object first; other types throw InvalidArgument.
  void set(std::string key, JsonValue value);
  /// The member, inserted as null when absent (null becomes an object first).
  JsonValue& operator[](std::string_view key);
  /// Removes a member; false when there was none.
  bool erase(std::string_view key);
  /// Appends to an array (null becomes an array first).
  void push_back(JsonValue value);
  /// Elements of an array or members of an object; 0 for anything else.
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  struct DumpOptions {
    /// Python's ensure_ascii: non-ASCII as \uXXXX (surrogate pairs above U+FFFF).
    bool ensure_ascii = true;
    /// Python's indent: newlines and this many spaces per level (separators "," and ": ").
    std::optional<int> indent = std::nullopt;
    /// Python's sort_keys (by code point).
    bool sort_keys = false;
  };
  /// `json.dumps(value)`.
  std::string dump() const;
  /// `json.dumps(value, ensure_ascii=..., indent=..., sort_keys=...)`. Strings that are not
  /// valid UTF-8 have each bad byte replaced by U+FFFD (Python's errors="replace"), since
  /// Python strings cannot hold them.
  std::string dump(const DumpOptions& options) const;

  /// Python's ==: 1 == 1.0, objects equal regardless of member order, NaN != NaN.
  friend bool operator==(const JsonValue& a, const JsonValue& b) noexcept;
  friend bool operator!=(const JsonValue& a, const JsonValue& b) noexcept { return !(a == b); }

 private:
  using Data = std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object>;

  template <typename T>
  static Data make_integer(T value) noexcept {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(std::numeric_limits<std::int64_t>::max()))
        return Data(static_cast<double>(value));
    }
    return Data(static_cast<std::int64_t>(value));
  }
  template <typename M>
  static Object to_object(const M& members) {
    Object out;
    out.reserve(members.size());
    for (const auto& [key, value] : members) out.emplace_back(key, JsonValue(value));
    return out;
  }

  Data data_;
};

}  // namespace mlflow
