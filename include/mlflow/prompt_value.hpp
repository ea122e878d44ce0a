// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// PromptValue: a small dynamic value (None, bool, int, float, string, list, map) passed to
/// PromptVersion::format, the C++ counterpart of the Python objects given as keyword arguments.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mlflow {

/// A value for a template variable. Renders as Python's str() would (None, True, 1.0, ['a']).
/// Maps keep insertion order, as Python dicts do.
class PromptValue {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kMap };

  PromptValue() = default;
  PromptValue(std::nullptr_t) {}                                               // NOLINT: implicit
  PromptValue(bool v) : kind_(Kind::kBool), int_(v ? 1 : 0) {}                 // NOLINT
  PromptValue(int v) : kind_(Kind::kInt), int_(v) {}                           // NOLINT
  PromptValue(long v) : kind_(Kind::kInt), int_(v) {}                          // NOLINT
  PromptValue(long long v) : kind_(Kind::kInt), int_(v) {}                     // NOLINT
  PromptValue(double v) : kind_(Kind::kFloat), float_(v) {}                    // NOLINT
  PromptValue(const char* v) : kind_(Kind::kString), string_(v) {}             // NOLINT
  PromptValue(std::string v) : kind_(Kind::kString), string_(std::move(v)) {}  // NOLINT

  /// A list value.
  static PromptValue list(std::vector<PromptValue> items);
  /// A map value; entries keep the given order (a repeated key keeps its first position and
  /// takes the last value, like a Python dict literal).
  static PromptValue map(const std::vector<std::pair<std::string, PromptValue>>& entries);

  Kind kind() const noexcept { return kind_; }
  bool is_none() const noexcept { return kind_ == Kind::kNone; }
  bool as_bool() const noexcept { return int_ != 0; }
  std::int64_t as_int() const noexcept { return int_; }
  double as_float() const noexcept { return float_; }
  const std::string& as_string() const noexcept { return string_; }
  /// List items, or the values of a map (in key order).
  const std::vector<PromptValue>& items() const noexcept { return items_; }
  /// Keys of a map, parallel to items().
  const std::vector<std::string>& keys() const noexcept { return keys_; }
  /// The value under `key` of a map, or nullptr.
  const PromptValue* find(const std::string& key) const noexcept;

  /// Python's str(value): None, True, 3, 0.5, 1e-05, ['a', 1], {'k': None}.
  std::string str() const;
  /// Python's repr(value) (strings quoted).
  std::string repr() const;

  friend bool operator==(const PromptValue& a, const PromptValue& b) noexcept;

 private:
  Kind kind_ = Kind::kNone;
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string string_{};
  std::vector<std::string> keys_{};
  std::vector<PromptValue> items_{};
};

/// The variables given to a format call, by name.
using PromptValues = std::map<std::string, PromptValue>;

}  // namespace mlflow
