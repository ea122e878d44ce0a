// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// PromptVersion::format against Python MLflow 3.18's PromptVersion.format over a generated table
// of cases (tests/interop/data/prompt_format_cases.json, from gen_prompt_format_cases.py):
// double-brace templates (whitespace, dotted names, missing/extra variables, partial
// formatting, value types) and every Jinja2 construct mlflow-cpp claims. Every output and every
// error/non-error must agree.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "mlflow/prompt.hpp"
#include "support/python_peer.hpp"
#include "support/test_env.hpp"

namespace {

using mlflow::ChatMessage;
using mlflow::PromptValue;
using mlflow::PromptValues;
using mlflow::PromptVersion;
using nlohmann::ordered_json;

PromptValue to_value(const ordered_json& j) {
  switch (j.type()) {
    case ordered_json::value_t::null:
      return PromptValue();
    case ordered_json::value_t::boolean:
      return PromptValue(j.get<bool>());
    case ordered_json::value_t::number_integer:
    case ordered_json::value_t::number_unsigned:
      return PromptValue(static_cast<long long>(j.get<std::int64_t>()));
    case ordered_json::value_t::number_float:
      return PromptValue(j.get<double>());
    case ordered_json::value_t::string:
      return PromptValue(j.get<std::string>());
    case ordered_json::value_t::array: {
      std::vector<PromptValue> items;
      for (const auto& x : j) items.push_back(to_value(x));
      return PromptValue::list(std::move(items));
    }
    default: {
      std::vector<std::pair<std::string, PromptValue>> entries;
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(it.key(), to_value(*it));
      return PromptValue::map(entries);
    }
  }
}

std::string cases_path() {
  return mlflow::testing::source_dir() + "/tests/interop/data/prompt_format_cases.json";
}

struct Outcome {
  bool ok = false;
  ordered_json result{};
  std::string error{};
};

Outcome render_cpp(const ordered_json& c) {
  Outcome out;
  try {
    PromptVersion pv;
    if (c["template"].is_string()) {
      pv = PromptVersion("interop-prompt", 1, c["template"].get<std::string>());
    } else {
      std::vector<ChatMessage> messages;
      for (const auto& m : c["template"]) {
        messages.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
      }
      pv = PromptVersion("interop-prompt", 1, messages);
    }
    PromptValues values;
    for (auto it = c["values"].begin(); it != c["values"].end(); ++it) {
      values[it.key()] = to_value(*it);
    }
    mlflow::FormatOptions options;
    options.allow_partial = c["partial"].get<bool>();
    const PromptVersion formatted = pv.format(values, options);
    if (formatted.is_text_prompt()) {
      out.result = formatted.template_text();
    } else {
      out.result = ordered_json::array();
      for (const auto& m : formatted.messages()) {
        out.result.push_back({{"role", m.role}, {"content", m.content}});
      }
    }
    out.ok = true;
  } catch (const mlflow::MlflowException& e) {
    out.error = e.what();
  }
  return out;
}

TEST(PromptFormatInterop, EveryCaseMatchesPythonMlflow) {
  std::ifstream in(cases_path());
  ASSERT_TRUE(in) << "missing " << cases_path();
  const ordered_json cases = ordered_json::parse(in);
  ASSERT_GT(cases.size(), 500u);

  const auto py = mlflow::testing::run_command(
      mlflow::testing::python_peer_command("prompt_format_interop.py", {cases_path()}));
  ASSERT_EQ(py.exit_code, 0) << py.output;
  const ordered_json expected = ordered_json::parse(py.output);
  ASSERT_EQ(expected.size(), cases.size());

  int mismatches = 0, errors_agreed = 0, outputs_agreed = 0;
  for (const auto& c : cases) {
    const std::string id = c["id"].get<std::string>();
    const ordered_json& want = expected.at(id);
    const Outcome got = render_cpp(c);
    const bool want_ok = want["ok"].get<bool>();
    bool same = got.ok == want_ok;
    if (same && want_ok) {
      ordered_json want_result = want["result"];
      // Python's partial result of a chat prompt is its message list, with extra keys dropped.
      same = got.result == want_result;
    }
    if (!same) {
      if (++mismatches <= 40) {
        ADD_FAILURE() << id << ": template " << c["template"].dump() << " values "
                      << c["values"].dump() << " partial " << c["partial"]
                      << "\n  python: " << want.dump()
                      << "\n  c++:    " << (got.ok ? got.result.dump() : "error: " + got.error);
      }
    } else if (want_ok) {
      ++outputs_agreed;
    } else {
      ++errors_agreed;
    }
  }
  EXPECT_EQ(mismatches, 0);
  // Both kinds of outcome must be exercised, or the table lost its point.
  EXPECT_GT(outputs_agreed, 400);
  EXPECT_GT(errors_agreed, 50);
  std::cout << "prompt format interop: " << outputs_agreed << " identical outputs, "
            << errors_agreed << " errors on both sides, " << mismatches << " mismatches\n";
}

}  // namespace
