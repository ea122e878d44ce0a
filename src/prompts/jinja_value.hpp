// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// Runtime values of the Jinja2 subset: a PromptValue, or Jinja's Undefined (a missing
// variable or key), with Python's semantics for truth, equality, str() and iteration.

#include <string>
#include <vector>

#include "mlflow/prompt_value.hpp"

namespace mlflow::internal::jinja {

struct Val {
  bool undefined = false;
  bool is_loop = false;  // the special `loop` object of a for block
  std::string hint{};    // what was undefined, for error messages
  PromptValue v{};

  static Val of(PromptValue value) {
    Val out;
    out.v = std::move(value);
    return out;
  }
  static Val undef(std::string what) {
    Val out;
    out.undefined = true;
    out.hint = std::move(what);
    return out;
  }
};

[[noreturn]] void runtime_error(const std::string& what);
[[noreturn]] void unsupported_runtime(const std::string& construct);
/// UndefinedError: an undefined value was used where Python raises.
[[noreturn]] void undefined_error(const Val& v);

bool truthy(const Val& v);
/// str(value); "" for Undefined.
std::string to_str(const Val& v);
/// Python's ==.
bool py_equal(const Val& a, const Val& b);
bool is_number(const PromptValue& v);
double as_double(const PromptValue& v);
/// Items of iterating a value in a for loop or filter (list items, map keys, characters);
/// Undefined iterates as empty. Throws for numbers, None and booleans.
std::vector<PromptValue> iterate(const Val& v, const char* context);
/// Python type name for messages ("str", "int", "dict" ...).
const char* type_name(const PromptValue& v);

/// Applies a filter. `args` are positional, `kwargs` by name.
Val apply_filter(const std::string& name, const Val& value, const std::vector<Val>& args,
                 const std::vector<std::pair<std::string, Val>>& kwargs);
/// Applies a test (x is name(args)).
bool apply_test(const std::string& name, const Val& value, const std::vector<Val>& args);

}  // namespace mlflow::internal::jinja
