// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "prompts/template_vars.hpp"

#include "core/python_chars.hpp"
#include "core/utf8.hpp"

namespace mlflow::internal::prompts {
namespace {

// Length of the Python-whitespace code point at s[i], or 0.
std::size_t space_at(const std::string& s, std::size_t i) {
  const utf8::Decoded d = utf8::decode(s, i);
  return d.length != 0 && is_python_space(d.code_point) ? d.length : 0;
}

std::size_t skip_space(const std::string& s, std::size_t i) {
  while (i < s.size()) {
    const std::size_t n = space_at(s, i);
    if (!n) break;
    i += n;
  }
  return i;
}

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

// Matches `\{\{\s*NAME\s*\}\}` at i (NAME = identifier(.identifier)*); returns the end or npos.
std::size_t match_variable(const std::string& s, std::size_t i, std::string& name) {
  std::size_t k = skip_space(s, i + 2);
  const std::size_t start = k;
  while (true) {
    if (k >= s.size() || !ident_start(s[k])) return std::string::npos;
    while (k < s.size() && ident_char(s[k])) ++k;
    // A dot continues the name only when an identifier follows it (regex backtracking).
    if (k + 1 < s.size() && s[k] == '.' && ident_start(s[k + 1])) {
      ++k;
      continue;
    }
    break;
  }
  name = s.substr(start, k - start);
  k = skip_space(s, k);
  if (s.compare(k, 2, "}}") != 0) return std::string::npos;
  return k + 2;
}

// Matches `\{\{\s*KEY\s*\}\}` at i for a literal key; returns the end or npos. (A key
// starting with whitespace could match with less leading \s* in Python; such keys are not
// variable names and are not worth the backtracking.)
std::size_t match_key(const std::string& s, std::size_t i, const std::string& key) {
  const std::size_t start = skip_space(s, i + 2);
  if (s.compare(start, key.size(), key) != 0) return std::string::npos;
  const std::size_t after = skip_space(s, start + key.size());
  if (s.compare(after, 2, "}}") != 0) return std::string::npos;
  return after + 2;
}

}  // namespace

std::set<std::string> find_variables(const std::string& text) {
  std::set<std::string> out;
  std::size_t i = text.find("{{");
  while (i != std::string::npos) {
    std::string name;
    const std::size_t end = match_variable(text, i, name);
    if (end != std::string::npos) {
      out.insert(name);
      i = text.find("{{", end);
    } else {
      i = text.find("{{", i + 1);
    }
  }
  return out;
}

std::string substitute(const std::string& text, const PromptValues& values) {
  if (values.empty()) return text;
  std::string out;
  std::size_t pos = 0;
  std::size_t i = text.find("{{");
  while (i != std::string::npos) {
    bool replaced = false;
    for (const auto& [key, value] : values) {
      const std::size_t end = match_key(text, i, key);
      if (end != std::string::npos) {
        out.append(text, pos, i - pos);
        out += value.str();
        pos = end;
        i = text.find("{{", end);
        replaced = true;
        break;
      }
    }
    if (!replaced) i = text.find("{{", i + 1);
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::string to_single_brace(const std::string& text, const std::set<std::string>& variables) {
  PromptValues braces;
  for (const auto& v : variables) braces[v] = PromptValue("{" + v + "}");
  return substitute(text, braces);
}

}  // namespace mlflow::internal::prompts
