// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// One table per enum gives both directions of its string form (enumerator -> name and
// name -> enumerator), so no enum spells its names twice in a switch and a loop.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "mlflow/errors.hpp"

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

// Every name of `table`, in table order, joined by `separator` (the "expected one of" lists of
// the refusals, so that no message repeats the names by hand).
template <typename Enum, std::size_t N>
std::string names_of(const EnumName<Enum> (&table)[N], const char* separator = ", ") {
  std::string out;
  for (const EnumName<Enum>& entry : table) {
    if (!out.empty()) out += separator;
    out += entry.name;
  }
  return out;
}

// The enumerator spelt exactly `name`, else InvalidArgument "Invalid <what> '<name>'. Expected
// one of <names>." (MLflow's wording for run and model version statuses).
template <typename Enum, std::size_t N>
Enum value_or_invalid(const EnumName<Enum> (&table)[N], const std::string& name,
                      const std::string& what) {
  if (const auto value = value_in(table, name)) return *value;
  throw InvalidArgument(
      ErrorCode::kInvalidParameterValue,
      "Invalid " + what + " '" + name + "'. Expected one of " + names_of(table) + ".");
}

}  // namespace mlflow::internal
