// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// One table per enum gives both directions of its string form (enumerator -> name and
// name -> enumerator), so no enum spells its names twice in a switch and a loop.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace mlflow::internal {

// One enumerator and the name MLflow (or Python) gives it.
template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name `table` gives `value`, or `fallback` for a value the table does not list.
template <typename Enum, std::size_t N>
constexpr const char* name_in(const EnumName<Enum> (&table)[N], Enum value,
                              const char* fallback) noexcept {
  for (const EnumName<Enum>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return fallback;
}

// The first enumerator, in table order, whose name `accepts` (a predicate on const char*).
template <typename Enum, std::size_t N, typename Accepts>
std::optional<Enum> value_in(const EnumName<Enum> (&table)[N], Accepts accepts) {
  for (const EnumName<Enum>& entry : table) {
    if (accepts(entry.name)) return entry.value;
  }
  return std::nullopt;
}

// The enumerator spelt exactly `name` in `table`.
template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const EnumName<Enum> (&table)[N], const std::string& name) {
  return value_in(table, [&name](const char* candidate) { return name == candidate; });
}

}  // namespace mlflow::internal
