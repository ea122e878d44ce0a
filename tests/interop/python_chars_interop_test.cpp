// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The character classes behind MLflow's name rules, asked of the pinned MLflow for every code
// point: the key rule (mlflow.utils.validation.validate_param_and_metric_name, `[/\w.\- :]`
// with Python's Unicode \w) and what str.strip() removes (blank experiment and model names).
// core/python_chars must answer exactly the same, so the embedded store refuses what Python's
// store and the server refuse.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/python_chars.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace mlflow::internal {
namespace {

// Ranges "first-last" (hex) of code points where `accepted` is true.
std::string ranges(bool (*accepted)(char32_t)) {
  std::ostringstream out;
  char32_t start = 0;
  bool inside = false;
  for (char32_t cp = 0; cp <= 0x110000; ++cp) {
    const bool yes = cp <= 0x10FFFF && accepted(cp);
    if (yes && !inside) start = cp;
    if (!yes && inside) out << std::hex << start << "-" << (cp - 1) << " ";
    inside = yes;
  }
  return out.str();
}

bool scalar(char32_t cp) { return cp < 0xD800 || cp > 0xDFFF; }  // UTF-8 cannot hold surrogates

bool key_character(char32_t cp) {
  return scalar(cp) &&
         (is_python_word_char(cp) || cp == '/' || cp == '.' || cp == '-' || cp == ' ' || cp == ':');
}

bool space(char32_t cp) { return scalar(cp) && is_python_space(cp); }

TEST(PythonCharsInterop, KeyCharactersAndWhitespaceAreMlflowsForEveryCodePoint) {
  const auto py = mlflow::testing::run_command(
      mlflow::testing::python_peer_command("python_chars_interop.py", {}));
  ASSERT_EQ(py.exit_code, 0) << py.output;
  std::istringstream lines(py.output);
  std::string keys, spaces;
  std::getline(lines, keys);
  std::getline(lines, spaces);
  EXPECT_EQ(ranges(key_character), keys);
  EXPECT_EQ(ranges(space), spaces);
  EXPECT_GT(keys.size(), 1000u);  // hundreds of ranges: the answer is not trivially empty
}

}  // namespace
}  // namespace mlflow::internal
