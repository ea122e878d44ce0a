// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Python value semantics and the filters/tests of the Jinja2 subset, following
// jinja2/filters.py and jinja2/tests.py (3.1): upper, lower, title, capitalize, trim,
// default/d, length/count, join, replace, int, float, string, first, last, abs.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/python_chars.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "prompts/jinja_value.hpp"

namespace mlflow::internal::jinja {

using K = PromptValue::Kind;

bool is_number(const PromptValue& v) {
  return v.kind() == K::kInt || v.kind() == K::kFloat || v.kind() == K::kBool;
}
double as_double(const PromptValue& v) {
  return v.kind() == K::kFloat ? v.as_float() : static_cast<double>(v.as_int());
}

const char* type_name(const PromptValue& v) {
  switch (v.kind()) {
    case K::kNone:
      return "NoneType";
    case K::kBool:
      return "bool";
    case K::kInt:
      return "int";
    case K::kFloat:
      return "float";
    case K::kString:
      return "str";
    case K::kList:
      return "list";
    case K::kMap:
      return "dict";
  }
  return "object";
}

bool truthy(const Val& v) {
  if (v.undefined) return false;
  switch (v.v.kind()) {
    case K::kNone:
      return false;
    case K::kBool:
    case K::kInt:
      return v.v.as_int() != 0;
    case K::kFloat:
      return v.v.as_float() != 0.0;
    case K::kString:
      return !v.v.as_string().empty();
    default:
      return !v.v.items().empty();
  }
}

std::string to_str(const Val& v) { return v.undefined ? std::string() : v.v.str(); }

bool py_equal(const Val& a, const Val& b) {
  if (a.undefined || b.undefined) return a.undefined && b.undefined;
  const PromptValue& x = a.v;
  const PromptValue& y = b.v;
  if (is_number(x) && is_number(y)) {
    if (x.kind() != K::kFloat && y.kind() != K::kFloat) return x.as_int() == y.as_int();
    return as_double(x) == as_double(y);
  }
  if (x.kind() != y.kind()) return false;
  if (x.kind() == K::kMap) {
    if (x.keys().size() != y.keys().size()) return false;
    for (std::size_t i = 0; i < x.keys().size(); ++i) {
      const PromptValue* other = y.find(x.keys()[i]);
      if (!other || !py_equal(Val::of(x.items()[i]), Val::of(*other))) return false;
    }
    return true;
  }
  if (x.kind() == K::kList) {
    if (x.items().size() != y.items().size()) return false;
    for (std::size_t i = 0; i < x.items().size(); ++i) {
      if (!py_equal(Val::of(x.items()[i]), Val::of(y.items()[i]))) return false;
    }
    return true;
  }
  return x == y;
}

std::vector<PromptValue> iterate(const Val& v, const char* context) {
  if (v.undefined) return {};
  switch (v.v.kind()) {
    case K::kList:
      return v.v.items();
    case K::kMap: {
      std::vector<PromptValue> keys;
      for (const auto& k : v.v.keys()) keys.emplace_back(k);
      return keys;
    }
    case K::kString: {
      std::vector<PromptValue> chars;
      for (auto& ch : utf8::split(v.v.as_string())) chars.emplace_back(std::move(ch));
      return chars;
    }
    default:
      runtime_error(std::string("'") + type_name(v.v) + "' object is not iterable (in " + context +
                    ")");
  }
}

namespace {

// The code point of one item of utf8::split (0 for an invalid byte).
char32_t code_point(const std::string& ch) { return utf8::decode(ch, 0).code_point; }

// Case mapping is done for ASCII only; letters of other cased scripts would map differently
// from Python, so they are refused instead of rendered wrongly.
void check_case_mappable(const std::string& s, const char* filter) {
  for (const auto& ch : utf8::split(s)) {
    const char32_t cp = code_point(ch);
    if ((cp >= 0xB5 && cp <= 0x58F) || (cp >= 0x10A0 && cp <= 0x10FF) ||
        (cp >= 0x13A0 && cp <= 0x13FF) || (cp >= 0x1C80 && cp <= 0x1CBF) ||
        (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x2100 && cp <= 0x218F) ||
        (cp >= 0x24B6 && cp <= 0x24E9) || (cp >= 0x2C00 && cp <= 0x2D2F) ||
        (cp >= 0xA640 && cp <= 0xA7FF) || (cp >= 0xAB30 && cp <= 0xABBF) ||
        (cp >= 0xFB00 && cp <= 0xFB17) || (cp >= 0xFF21 && cp <= 0xFF5A) || cp >= 0x10400) {
      unsupported_runtime(std::string("the '") + filter +
                          "' filter on non-ASCII letters (case mapping is ASCII-only)");
    }
  }
}

std::string strip(const std::string& s, const Val* chars) {
  std::vector<std::string> cs = utf8::split(s);
  std::vector<std::string> set;
  if (chars) set = utf8::split(chars->v.as_string());
  const auto removable = [&](const std::string& ch) {
    if (!chars) return is_python_space(code_point(ch));
    for (const auto& c : set) {
      if (c == ch) return true;
    }
    return false;
  };
  std::size_t b = 0, e = cs.size();
  while (b < e && removable(cs[b])) ++b;
  while (e > b && removable(cs[e - 1])) --e;
  std::string out;
  for (std::size_t i = b; i < e; ++i) out += cs[i];
  return out;
}

// Python int(str): optional whitespace, sign, decimal digits with single '_' between digits.
bool parse_py_int(const std::string& text, std::int64_t& out) {
  const std::string s = strip(text, nullptr);
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i >= s.size()) return false;
  std::string digits;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i]);
    } else if (s[i] == '_' && !digits.empty() && i + 1 < s.size() && s[i + 1] >= '0' &&
               s[i + 1] <= '9') {
      continue;
    } else {
      return false;
    }
  }
  if (digits.empty()) return false;
  errno = 0;
  const long long v = std::strtoll(digits.c_str(), nullptr, 10);
  if (errno == ERANGE) unsupported_runtime("integers beyond 64 bits");
  out = neg ? -v : v;
  return true;
}

// Python float(str): whitespace, decimal/exponent forms, inf/infinity/nan in any case,
// underscores between digits.
bool parse_py_float(const std::string& text, double& out) {
  std::string s = strip(text, nullptr);
  std::string clean;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      const bool ok = i > 0 && i + 1 < s.size() &&
                      std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                      std::isdigit(static_cast<unsigned char>(s[i + 1]));
      if (!ok) return false;
      continue;
    }
    clean.push_back(s[i]);
  }
  if (clean.empty()) return false;
  std::string body = to_lower(clean);
  std::size_t start = (body[0] == '+' || body[0] == '-') ? 1 : 0;
  const std::string word = body.substr(start);
  if (word == "inf" || word == "infinity" || word == "nan") {
    out = word == "nan" ? NAN : HUGE_VAL;
    if (body[0] == '-') out = -out;
    return true;
  }
  for (std::size_t i = start; i < body.size(); ++i) {
    const char c = body[i];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' ||
          c == '-')) {
      return false;  // no hex floats or other strtod extensions
    }
  }
  char* end = nullptr;
  out = std::strtod(clean.c_str(), &end);
  return end && *end == '\0';
}

const Val* arg(const std::vector<Val>& args, const std::vector<std::pair<std::string, Val>>& kwargs,
               std::size_t index, const char* name) {
  if (index < args.size()) return &args[index];
  for (const auto& [k, v] : kwargs) {
    if (k == name) return &v;
  }
  return nullptr;
}

void check_arity(const std::string& filter, const std::vector<Val>& args,
                 const std::vector<std::pair<std::string, Val>>& kwargs, std::size_t max,
                 std::initializer_list<const char*> names) {
  if (args.size() > max) runtime_error("too many arguments for the '" + filter + "' filter");
  for (const auto& [k, v] : kwargs) {
    bool known = false;
    for (const char* n : names) known = known || k == n;
    if (!known) runtime_error("the '" + filter + "' filter has no argument '" + k + "'");
  }
}

std::string title(const std::string& s) {
  // Jinja's title: words begin after runs of whitespace, '-', '(', '{', '[' or '<'; each word
  // gets its first character upper-cased and the rest lower-cased.
  std::string out;
  bool word_start = true;
  for (const auto& ch : utf8::split(s)) {
    const char32_t cp = code_point(ch);
    const bool sep =
        is_python_space(cp) || ch == "-" || ch == "(" || ch == "{" || ch == "[" || ch == "<";
    if (sep) {
      out += ch;
      word_start = true;
    } else {
      out += word_start ? to_upper(ch) : to_lower(ch);
      word_start = false;
    }
  }
  return out;
}

}  // namespace

Val apply_filter(const std::string& name, const Val& value, const std::vector<Val>& args,
                 const std::vector<std::pair<std::string, Val>>& kwargs) {
  if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
    check_arity(name, args, kwargs, 0, {});
    const std::string s = to_str(value);
    check_case_mappable(s, name.c_str());
    if (name == "upper") return Val::of(PromptValue(to_upper(s)));
    if (name == "lower") return Val::of(PromptValue(to_lower(s)));
    if (name == "title") return Val::of(PromptValue(title(s)));
    std::string out = to_lower(s);
    if (!out.empty()) out[0] = to_upper(out[0]);
    return Val::of(PromptValue(out));
  }
  if (name == "trim") {
    check_arity(name, args, kwargs, 1, {"chars"});
    const Val* chars = arg(args, kwargs, 0, "chars");
    if (chars && chars->v.is_none() && !chars->undefined) chars = nullptr;
    if (chars && (chars->undefined || chars->v.kind() != K::kString)) {
      runtime_error("trim's chars argument must be a string");
    }
    return Val::of(PromptValue(strip(to_str(value), chars)));
  }
  if (name == "default" || name == "d") {
    check_arity(name, args, kwargs, 2, {"default_value", "boolean"});
    const Val* fallback = arg(args, kwargs, 0, "default_value");
    const Val* boolean = arg(args, kwargs, 1, "boolean");
    if (value.undefined || (boolean && truthy(*boolean) && !truthy(value))) {
      return fallback ? *fallback : Val::of(PromptValue(""));
    }
    return value;
  }
  if (name == "length" || name == "count") {
    check_arity(name, args, kwargs, 0, {});
    if (value.undefined) return Val::of(PromptValue(0));
    if (value.v.kind() == K::kString) {
      return Val::of(PromptValue(static_cast<long long>(utf8::split(value.v.as_string()).size())));
    }
    if (value.v.kind() == K::kList || value.v.kind() == K::kMap) {
      return Val::of(PromptValue(static_cast<long long>(value.v.items().size())));
    }
    runtime_error(std::string("object of type '") + type_name(value.v) + "' has no len()");
  }
  if (name == "join") {
    check_arity(name, args, kwargs, 2, {"d", "attribute"});
    const Val* sep = arg(args, kwargs, 0, "d");
    const Val* attribute = arg(args, kwargs, 1, "attribute");
    if (attribute && !attribute->v.is_none()) unsupported_runtime("join(attribute=...)");
    const std::string d = sep ? to_str(*sep) : std::string();
    std::string out;
    bool first = true;
    for (const auto& item : iterate(value, "the join filter")) {
      if (!first) out += d;
      first = false;
      out += item.str();
    }
    return Val::of(PromptValue(out));
  }
  if (name == "replace") {
    check_arity(name, args, kwargs, 3, {"old", "new", "count"});
    const Val* old_v = arg(args, kwargs, 0, "old");
    const Val* new_v = arg(args, kwargs, 1, "new");
    const Val* count_v = arg(args, kwargs, 2, "count");
    if (!old_v || !new_v) runtime_error("the 'replace' filter needs old and new");
    const std::string s = to_str(value), old_s = to_str(*old_v), new_s = to_str(*new_v);
    std::int64_t count = -1;
    if (count_v && !count_v->v.is_none()) {
      if (count_v->undefined || (count_v->v.kind() != K::kInt && count_v->v.kind() != K::kBool)) {
        runtime_error("replace's count must be an integer");
      }
      count = count_v->v.as_int();
    }
    std::string out;
    if (old_s.empty()) {
      // Python inserts `new` before every character and at the end.
      const auto chars = utf8::split(s);
      std::int64_t done = 0;
      for (const auto& ch : chars) {
        if (count < 0 || done < count) {
          out += new_s;
          ++done;
        }
        out += ch;
      }
      if (count < 0 || done < count) out += new_s;
      return Val::of(PromptValue(out));
    }
    std::size_t pos = 0;
    std::int64_t done = 0;
    while (count < 0 || done < count) {
      const std::size_t hit = s.find(old_s, pos);
      if (hit == std::string::npos) break;
      out.append(s, pos, hit - pos);
      out += new_s;
      pos = hit + old_s.size();
      ++done;
    }
    out.append(s, pos, std::string::npos);
    return Val::of(PromptValue(out));
  }
  if (name == "int") {
    check_arity(name, args, kwargs, 2, {"default", "base"});
    const Val* fallback = arg(args, kwargs, 0, "default");
    const Val* base = arg(args, kwargs, 1, "base");
    if (base && !(base->v.kind() == K::kInt && base->v.as_int() == 10)) {
      unsupported_runtime("int(base=...) other than 10");
    }
    const Val def = fallback ? *fallback : Val::of(PromptValue(0));
    if (value.undefined) undefined_error(value);
    const PromptValue& v = value.v;
    if (v.kind() == K::kInt) return value;
    if (v.kind() == K::kBool) return Val::of(PromptValue(static_cast<long long>(v.as_int())));
    double d = 0;
    if (v.kind() == K::kString) {
      std::int64_t i = 0;
      if (parse_py_int(v.as_string(), i)) return Val::of(PromptValue(static_cast<long long>(i)));
      if (!parse_py_float(v.as_string(), d)) return def;
    } else if (v.kind() == K::kFloat) {
      d = v.as_float();
    } else {
      return def;
    }
    if (std::isnan(d) || std::isinf(d)) return def;
    if (std::fabs(d) >= 9.2e18) unsupported_runtime("integers beyond 64 bits");
    return Val::of(PromptValue(static_cast<long long>(std::trunc(d))));
  }
  if (name == "float") {
    check_arity(name, args, kwargs, 1, {"default"});
    const Val* fallback = arg(args, kwargs, 0, "default");
    const Val def = fallback ? *fallback : Val::of(PromptValue(0.0));
    if (value.undefined) undefined_error(value);
    const PromptValue& v = value.v;
    if (v.kind() == K::kFloat) return value;
    if (v.kind() == K::kInt || v.kind() == K::kBool) return Val::of(PromptValue(as_double(v)));
    double d = 0;
    if (v.kind() == K::kString && parse_py_float(v.as_string(), d)) return Val::of(PromptValue(d));
    return def;
  }
  if (name == "string") {
    check_arity(name, args, kwargs, 0, {});
    return Val::of(PromptValue(to_str(value)));
  }
  if (name == "first" || name == "last") {
    check_arity(name, args, kwargs, 0, {});
    const auto items = iterate(value, ("the " + name + " filter").c_str());
    if (items.empty()) return Val::undef("the sequence given to '" + name + "' was empty");
    return Val::of(name == "first" ? items.front() : items.back());
  }
  if (name == "abs") {
    check_arity(name, args, kwargs, 0, {});
    if (value.undefined) undefined_error(value);
    if (value.v.kind() == K::kFloat) return Val::of(PromptValue(std::fabs(value.v.as_float())));
    if (value.v.kind() == K::kInt || value.v.kind() == K::kBool) {
      const std::int64_t i = value.v.as_int();
      return Val::of(PromptValue(static_cast<long long>(i < 0 ? -i : i)));
    }
    runtime_error(std::string("bad operand type for abs(): '") + type_name(value.v) + "'");
  }
  unsupported_runtime("the filter '" + name + "'");
}

bool apply_test(const std::string& name, const Val& value, const std::vector<Val>& args) {
  const PromptValue& v = value.v;
  if (name == "defined") return !value.undefined;
  if (name == "undefined") return value.undefined;
  if (name == "none") return !value.undefined && v.is_none();
  if (value.undefined && (name == "even" || name == "odd" || name == "divisibleby")) {
    undefined_error(value);
  }
  if (name == "number") return !value.undefined && is_number(v);
  if (name == "string") return !value.undefined && v.kind() == K::kString;
  if (name == "mapping") return !value.undefined && v.kind() == K::kMap;
  if (name == "boolean") return !value.undefined && v.kind() == K::kBool;
  if (name == "true") return !value.undefined && v.kind() == K::kBool && v.as_bool();
  if (name == "false") return !value.undefined && v.kind() == K::kBool && !v.as_bool();
  if (name == "integer") return !value.undefined && v.kind() == K::kInt;
  if (name == "float") return !value.undefined && v.kind() == K::kFloat;
  if (name == "lower" || name == "upper") {
    if (value.undefined || v.kind() != K::kString) {
      // str(value).islower() in Python; only strings are supported here.
      unsupported_runtime("the '" + name + "' test on a non-string");
    }
    check_case_mappable(v.as_string(), name.c_str());
    bool cased = false;
    for (const char c : v.as_string()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        cased = true;
        if (name == "lower" ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z')) return false;
      }
    }
    return cased;
  }
  if (name == "even" || name == "odd" || name == "divisibleby") {
    std::int64_t divisor = 2;
    if (name == "divisibleby") {
      if (args.size() != 1 || args[0].undefined ||
          (args[0].v.kind() != K::kInt && args[0].v.kind() != K::kBool)) {
        unsupported_runtime("divisibleby without one integer argument");
      }
      divisor = args[0].v.as_int();
      if (divisor == 0) runtime_error("integer division or modulo by zero");
    }
    if (v.kind() != K::kInt && v.kind() != K::kBool) {
      unsupported_runtime("the '" + name + "' test on a " + type_name(v));
    }
    std::int64_t r = v.as_int() % divisor;
    if (r != 0 && ((r < 0) != (divisor < 0))) r += divisor;
    if (name == "odd") return r == 1;
    return r == 0;
  }
  unsupported_runtime("the test '" + name + "'");
}

}  // namespace mlflow::internal::jinja
