// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Evaluation of the parsed Jinja2 subset with Python's semantics (operators on int/float/str,
// Undefined for missing names and keys, SandboxedEnvironment's attribute lookup: a method name
// on a dict shadows the key of the same name, so such lookups are refused rather than guessed).
#include <climits>
#include <cmath>
#include <map>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "prompts/jinja.hpp"
#include "prompts/jinja_ast.hpp"
#include "prompts/jinja_value.hpp"

namespace mlflow::internal::jinja {

[[noreturn]] void runtime_error(const std::string& what) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue, "Jinja2 template error: " + what);
}
[[noreturn]] void unsupported_runtime(const std::string& construct) {
  runtime_error(construct +
                " is not supported by mlflow-cpp's Jinja2 subset (see "
                "docs/adr/0009-prompt-registry.md).");
}
[[noreturn]] void undefined_error(const Val& v) {
  runtime_error(v.hint.empty() ? "an undefined value was used" : v.hint);
}

namespace {

bool is_method_name(const PromptValue& obj, const std::string& name) {
  static const char* const kDict[] = {"items", "keys",       "values",  "get",
                                      "pop",   "popitem",    "update",  "copy",
                                      "clear", "setdefault", "fromkeys"};
  static const char* const kStr[] = {
      "capitalize",   "casefold",    "center",    "count",      "encode",       "endswith",
      "expandtabs",   "find",        "format",    "format_map", "index",        "isalnum",
      "isalpha",      "isascii",     "isdecimal", "isdigit",    "isidentifier", "islower",
      "isnumeric",    "isprintable", "isspace",   "istitle",    "isupper",      "join",
      "ljust",        "lower",       "lstrip",    "maketrans",  "partition",    "removeprefix",
      "removesuffix", "replace",     "rfind",     "rindex",     "rjust",        "rpartition",
      "rsplit",       "rstrip",      "split",     "splitlines", "startswith",   "strip",
      "swapcase",     "title",       "translate", "upper",      "zfill"};
  static const char* const kList[] = {"append", "clear", "copy",   "count",   "extend", "index",
                                      "insert", "pop",   "remove", "reverse", "sort"};
  static const char* const kNum[] = {
      "real",       "imag",      "numerator", "denominator", "conjugate",
      "bit_length", "bit_count", "to_bytes",  "from_bytes",  "as_integer_ratio",
      "is_integer", "hex",       "fromhex"};
  const auto in = [&name](const auto& list) {
    for (const char* m : list) {
      if (name == m) return true;
    }
    return false;
  };
  switch (obj.kind()) {
    case PromptValue::Kind::kMap:
      return in(kDict);
    case PromptValue::Kind::kString:
      return in(kStr);
    case PromptValue::Kind::kList:
      return in(kList);
    case PromptValue::Kind::kInt:
    case PromptValue::Kind::kBool:
    case PromptValue::Kind::kFloat:
      return in(kNum);
    default:
      return false;
  }
}

std::int64_t checked(bool overflow, std::int64_t v) {
  if (overflow) unsupported_runtime("integer arithmetic beyond 64 bits");
  return v;
}

Val arith(const std::string& op, const Val& a, const Val& b) {
  if (a.undefined) undefined_error(a);
  if (b.undefined) undefined_error(b);
  const PromptValue& x = a.v;
  const PromptValue& y = b.v;
  using K = PromptValue::Kind;
  const bool xi = x.kind() == K::kInt || x.kind() == K::kBool;
  const bool yi = y.kind() == K::kInt || y.kind() == K::kBool;
  if (is_number(x) && is_number(y)) {
    if (xi && yi && op != "/") {
      const std::int64_t p = x.as_int(), q = y.as_int();
      std::int64_t r = 0;
      if (op == "+" || op == "-" || op == "*") {
        // The overflow flag is computed before r is read (argument order is unspecified).
        const bool overflow = op == "+"   ? __builtin_add_overflow(p, q, &r)
                              : op == "-" ? __builtin_sub_overflow(p, q, &r)
                                          : __builtin_mul_overflow(p, q, &r);
        return Val::of(PromptValue(static_cast<long long>(checked(overflow, r))));
      }
      if (op == "//" || op == "%") {
        if (q == 0) runtime_error("integer division or modulo by zero");
        if (p == INT64_MIN && q == -1) unsupported_runtime("integer arithmetic beyond 64 bits");
        std::int64_t quot = p / q;
        if ((p % q != 0) && ((p < 0) != (q < 0))) --quot;
        if (op == "//") return Val::of(PromptValue(static_cast<long long>(quot)));
        return Val::of(PromptValue(static_cast<long long>(p - quot * q)));
      }
      if (op == "**") {
        if (q < 0) {
          if (p == 0) runtime_error("0 cannot be raised to a negative power");
          return Val::of(PromptValue(std::pow(static_cast<double>(p), static_cast<double>(q))));
        }
        std::int64_t result = 1;
        for (std::int64_t k = 0; k < q; ++k) {
          const bool overflow = __builtin_mul_overflow(result, p, &result);
          checked(overflow, result);
          if (result == 0 || result == 1) break;
        }
        if (result == 1 && p == -1 && (q % 2)) result = -1;
        return Val::of(PromptValue(static_cast<long long>(result)));
      }
    }
    const double p = as_double(x), q = as_double(y);
    if (op == "+") return Val::of(PromptValue(p + q));
    if (op == "-") return Val::of(PromptValue(p - q));
    if (op == "*") return Val::of(PromptValue(p * q));
    if (op == "/") {
      if (q == 0) runtime_error("division by zero");
      return Val::of(PromptValue(p / q));
    }
    if (op == "//" || op == "%") {
      if (q == 0) runtime_error("float division or modulo by zero");
      // CPython's float_divmod.
      double mod = std::fmod(p, q);
      double div = (p - mod) / q;
      if (mod != 0) {
        if ((q < 0) != (mod < 0)) {
          mod += q;
          div -= 1.0;
        }
      } else {
        mod = std::copysign(0.0, q);
      }
      if (op == "%") return Val::of(PromptValue(mod));
      double floordiv = std::copysign(0.0, p / q);
      if (div != 0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
      }
      return Val::of(PromptValue(floordiv));
    }
    if (op == "**") {
      if (p == 0 && q < 0) runtime_error("0.0 cannot be raised to a negative power");
      return Val::of(PromptValue(std::pow(p, q)));
    }
  }
  if (op == "+" && x.kind() == K::kString && y.kind() == K::kString) {
    return Val::of(PromptValue(x.as_string() + y.as_string()));
  }
  if (op == "+" && x.kind() == K::kList && y.kind() == K::kList) {
    std::vector<PromptValue> items = x.items();
    items.insert(items.end(), y.items().begin(), y.items().end());
    return Val::of(PromptValue::list(std::move(items)));
  }
  if (op == "*" && ((x.kind() == K::kString || x.kind() == K::kList) && yi)) {
    const std::int64_t n = y.as_int();
    if (n > 100000) unsupported_runtime("repeating a value more than 100000 times");
    if (x.kind() == K::kString) {
      std::string out;
      for (std::int64_t k = 0; k < n; ++k) out += x.as_string();
      return Val::of(PromptValue(out));
    }
    std::vector<PromptValue> out;
    for (std::int64_t k = 0; k < n; ++k) out.insert(out.end(), x.items().begin(), x.items().end());
    return Val::of(PromptValue::list(std::move(out)));
  }
  if (op == "*" && xi && (y.kind() == K::kString || y.kind() == K::kList)) return arith(op, b, a);
  if (op == "%" && x.kind() == K::kString) unsupported_runtime("printf-style '%' formatting");
  runtime_error(std::string("unsupported operand types for ") + op + ": '" + type_name(x) +
                "' and '" + type_name(y) + "'");
}

// <, <=, >, >= on numbers or strings, as Python orders them.
bool ordered(const Val& a, const Val& b, const std::string& op) {
  if (a.undefined) undefined_error(a);
  if (b.undefined) undefined_error(b);
  int c = 0;
  using K = PromptValue::Kind;
  if (is_number(a.v) && is_number(b.v)) {
    if (a.v.kind() != K::kFloat && b.v.kind() != K::kFloat) {
      c = a.v.as_int() < b.v.as_int() ? -1 : (a.v.as_int() > b.v.as_int() ? 1 : 0);
    } else {
      const double x = as_double(a.v), y = as_double(b.v);
      if (std::isnan(x) || std::isnan(y)) return false;
      c = x < y ? -1 : (x > y ? 1 : 0);
    }
  } else if (a.v.kind() == K::kString && b.v.kind() == K::kString) {
    // UTF-8 byte order is code point order, which is how Python compares str.
    c = a.v.as_string().compare(b.v.as_string());
    c = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else if (a.v.kind() == K::kList && b.v.kind() == K::kList) {
    unsupported_runtime("ordering comparisons of lists");
  } else {
    runtime_error("'" + op + "' not supported between instances of '" + type_name(a.v) + "' and '" +
                  type_name(b.v) + "'");
  }
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

bool contains(const Val& container, const Val& item) {
  if (container.undefined) return false;
  using K = PromptValue::Kind;
  const PromptValue& c = container.v;
  switch (c.kind()) {
    case K::kString:
      if (item.undefined || item.v.kind() != K::kString) {
        runtime_error("'in <string>' requires string as left operand");
      }
      return c.as_string().find(item.v.as_string()) != std::string::npos;
    case K::kList:
      for (const auto& x : c.items()) {
        if (py_equal(Val::of(x), item)) return true;
      }
      return false;
    case K::kMap:
      if (item.undefined) return false;
      if (item.v.kind() == K::kList || item.v.kind() == K::kMap) {
        runtime_error("unhashable type used with 'in' on a dict");
      }
      for (const auto& k : c.keys()) {
        if (py_equal(Val::of(PromptValue(k)), item)) return true;
      }
      return false;
    default:
      runtime_error(std::string("argument of type '") + type_name(c) + "' is not iterable");
  }
}

const std::string* as_index_key(const PromptValue& v) {
  return v.kind() == PromptValue::Kind::kString ? &v.as_string() : nullptr;
}

class Renderer {
 public:
  explicit Renderer(const PromptValues& values) : values_(values) { scopes_.emplace_back(); }

  void render(const Body& body, std::string& out) {
    for (const auto& node : body) render_node(*node, out);
  }

 private:
  void render_node(const Node& n, std::string& out) {
    switch (n.kind) {
      case Node::Kind::kText:
        out += n.text;
        return;
      case Node::Kind::kOutput:
        out += to_str(eval(*n.expr));
        return;
      case Node::Kind::kSet:
        scopes_.back()[n.targets[0]] = eval(*n.expr);
        return;
      case Node::Kind::kIf:
        for (const auto& [cond, body] : n.branches) {
          if (truthy(eval(*cond))) {
            render(body, out);
            return;
          }
        }
        render(n.else_body, out);
        return;
      case Node::Kind::kFor:
        render_for(n, out);
        return;
    }
  }

  void render_for(const Node& n, std::string& out) {
    const std::vector<PromptValue> items = iterate(eval(*n.expr), "a for loop");
    if (items.empty()) {
      render(n.else_body, out);
      return;
    }
    const auto length = static_cast<long long>(items.size());
    for (long long i = 0; i < length; ++i) {
      scopes_.emplace_back();
      auto& scope = scopes_.back();
      const PromptValue& item = items[static_cast<std::size_t>(i)];
      if (n.targets.size() == 1) {
        scope[n.targets[0]] = Val::of(item);
      } else {
        std::vector<PromptValue> parts;
        if (item.kind() == PromptValue::Kind::kList) {
          parts = item.items();
        } else if (item.kind() == PromptValue::Kind::kString) {
          for (auto& ch : utf8::split(item.as_string())) parts.emplace_back(ch);
        } else {
          runtime_error(std::string("cannot unpack non-iterable ") + type_name(item) + " object");
        }
        if (parts.size() != n.targets.size()) {
          runtime_error("cannot unpack " + std::to_string(parts.size()) + " values into " +
                        std::to_string(n.targets.size()) + " loop variables");
        }
        for (std::size_t k = 0; k < parts.size(); ++k) scope[n.targets[k]] = Val::of(parts[k]);
      }
      Val loop = Val::of(PromptValue::map({{"index", PromptValue(i + 1)},
                                           {"index0", PromptValue(i)},
                                           {"revindex", PromptValue(length - i)},
                                           {"revindex0", PromptValue(length - i - 1)},
                                           {"first", PromptValue(i == 0)},
                                           {"last", PromptValue(i == length - 1)},
                                           {"length", PromptValue(length)}}));
      loop.is_loop = true;
      scope["loop"] = std::move(loop);
      render(n.body, out);
      scopes_.pop_back();
    }
  }

  Val lookup(const std::string& name) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      const auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
    const auto found = values_.find(name);
    if (found != values_.end()) return Val::of(found->second);
    return Val::undef("'" + name + "' is undefined");
  }

  static Val no_attribute(const PromptValue& obj, const std::string& name) {
    return Val::undef("'" + std::string(type_name(obj)) + " object' has no attribute '" + name +
                      "'");
  }

  Val get_attr(const Val& obj, const std::string& name) {
    if (obj.undefined) undefined_error(obj);
    if (name.rfind("__", 0) == 0) unsupported_runtime("access to the attribute '" + name + "'");
    if (obj.is_loop) {
      if (const PromptValue* v = obj.v.find(name)) return Val::of(*v);
      unsupported_runtime("loop." + name);
    }
    if (is_method_name(obj.v, name)) {
      unsupported_runtime("referring to the method '" + name + "' of a " + type_name(obj.v) +
                          " without calling it (Python renders the method object, not a value)");
    }
    if (const PromptValue* v = obj.v.find(name)) return Val::of(*v);
    return no_attribute(obj.v, name);
  }

  Val get_item(const Val& obj, const Val& index) {
    if (obj.undefined) undefined_error(obj);
    if (index.undefined) undefined_error(index);
    using K = PromptValue::Kind;
    const PromptValue& o = obj.v;
    const PromptValue& k = index.v;
    if (o.kind() == K::kMap) {
      if (const std::string* key = as_index_key(k)) {
        if (const PromptValue* v = o.find(*key)) return Val::of(*v);
        return get_attr(obj, *key);
      }
      return Val::undef("no such element");
    }
    if ((o.kind() == K::kList || o.kind() == K::kString) &&
        (k.kind() == K::kInt || k.kind() == K::kBool)) {
      std::vector<PromptValue> items;
      if (o.kind() == K::kList) {
        items = o.items();
      } else {
        for (auto& ch : utf8::split(o.as_string())) items.emplace_back(ch);
      }
      std::int64_t i = k.as_int();
      const auto n = static_cast<std::int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return Val::undef("index out of range");
      return Val::of(items[static_cast<std::size_t>(i)]);
    }
    if (const std::string* key = as_index_key(k)) return get_attr(obj, *key);
    return Val::undef("no such element");
  }

  Val call(const Expr& e) {
    std::vector<Val> args;
    for (std::size_t i = e.method ? 1 : 0; i < e.args.size(); ++i) args.push_back(eval(*e.args[i]));
    if (!e.method) {
      const bool shadowed = !lookup(e.name).undefined;
      if (e.name != "range" || shadowed || !e.kwargs.empty()) {
        unsupported_runtime("calling '" + e.name + "()'");
      }
      if (args.empty() || args.size() > 3) runtime_error("range() takes 1 to 3 arguments");
      std::int64_t bounds[3] = {0, 0, 1};
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].undefined) undefined_error(args[i]);
        const auto kind = args[i].v.kind();
        if (kind != PromptValue::Kind::kInt && kind != PromptValue::Kind::kBool) {
          runtime_error(std::string("range() needs integers, not '") + type_name(args[i].v) + "'");
        }
      }
      if (args.size() == 1) {
        bounds[1] = args[0].v.as_int();
      } else {
        bounds[0] = args[0].v.as_int();
        bounds[1] = args[1].v.as_int();
        if (args.size() == 3) bounds[2] = args[2].v.as_int();
      }
      if (bounds[2] == 0) runtime_error("range() arg 3 must not be zero");
      std::vector<PromptValue> out;
      for (std::int64_t i = bounds[0]; bounds[2] > 0 ? i < bounds[1] : i > bounds[1];
           i += bounds[2]) {
        // SandboxedEnvironment's MAX_RANGE.
        if (out.size() >= 100000) runtime_error("range too big; the sandbox allows 100000 items");
        out.emplace_back(static_cast<long long>(i));
      }
      return Val::of(PromptValue::list(std::move(out)));
    }
    const Val obj = eval(*e.args[0]);
    if (obj.undefined) undefined_error(obj);
    if (!e.kwargs.empty()) unsupported_runtime("keyword arguments in method calls");
    using K = PromptValue::Kind;
    const PromptValue& o = obj.v;
    if (o.kind() == K::kMap && !obj.is_loop) {
      if ((e.name == "items" || e.name == "keys" || e.name == "values") && args.empty()) {
        std::vector<PromptValue> out;
        for (std::size_t i = 0; i < o.keys().size(); ++i) {
          if (e.name == "items") {
            out.push_back(PromptValue::list({PromptValue(o.keys()[i]), o.items()[i]}));
          } else if (e.name == "keys") {
            out.emplace_back(o.keys()[i]);
          } else {
            out.push_back(o.items()[i]);
          }
        }
        return Val::of(PromptValue::list(std::move(out)));
      }
      if (e.name == "get" && (args.size() == 1 || args.size() == 2)) {
        if (args[0].undefined) undefined_error(args[0]);
        if (const std::string* key = as_index_key(args[0].v)) {
          if (const PromptValue* v = o.find(*key)) return Val::of(*v);
        }
        return args.size() == 2 ? args[1] : Val::of(PromptValue());
      }
    }
    if (o.kind() == K::kString && args.empty() &&
        (e.name == "upper" || e.name == "lower" || e.name == "strip")) {
      return apply_filter(e.name == "strip" ? "trim" : e.name, obj, {}, {});
    }
    unsupported_runtime("the method call ." + e.name + "() on a " + type_name(o));
  }

  Val eval(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kLiteral:
        return Val::of(e.literal);
      case Expr::Kind::kName:
        return lookup(e.name);
      case Expr::Kind::kGetAttr:
        return get_attr(eval(*e.args[0]), e.name);
      case Expr::Kind::kGetItem:
        return get_item(eval(*e.args[0]), eval(*e.args[1]));
      case Expr::Kind::kCall:
        return call(e);
      case Expr::Kind::kFilter: {
        const Val value = eval(*e.args[0]);
        std::vector<Val> args;
        for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(eval(*e.args[i]));
        std::vector<std::pair<std::string, Val>> kwargs;
        for (const auto& [k, v] : e.kwargs) kwargs.emplace_back(k, eval(*v));
        return apply_filter(e.name, value, args, kwargs);
      }
      case Expr::Kind::kTest: {
        const Val value = eval(*e.args[0]);
        std::vector<Val> args;
        for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(eval(*e.args[i]));
        if (!e.kwargs.empty()) unsupported_runtime("keyword arguments in tests");
        const bool r = apply_test(e.name, value, args);
        return Val::of(PromptValue(e.negated ? !r : r));
      }
      case Expr::Kind::kNeg:
      case Expr::Kind::kPos: {
        const Val v = eval(*e.args[0]);
        if (v.undefined) undefined_error(v);
        if (!is_number(v.v)) {
          runtime_error(std::string("bad operand type for unary ") +
                        (e.kind == Expr::Kind::kNeg ? "-" : "+") + ": '" + type_name(v.v) + "'");
        }
        if (e.kind == Expr::Kind::kPos) {
          return v.v.kind() == PromptValue::Kind::kBool
                     ? Val::of(PromptValue(static_cast<long long>(v.v.as_int())))
                     : v;
        }
        if (v.v.kind() == PromptValue::Kind::kFloat) return Val::of(PromptValue(-v.v.as_float()));
        if (v.v.as_int() == INT64_MIN) unsupported_runtime("integer arithmetic beyond 64 bits");
        return Val::of(PromptValue(static_cast<long long>(-v.v.as_int())));
      }
      case Expr::Kind::kNot:
        return Val::of(PromptValue(!truthy(eval(*e.args[0]))));
      case Expr::Kind::kAnd: {
        Val a = eval(*e.args[0]);
        return truthy(a) ? eval(*e.args[1]) : a;
      }
      case Expr::Kind::kOr: {
        Val a = eval(*e.args[0]);
        return truthy(a) ? a : eval(*e.args[1]);
      }
      case Expr::Kind::kBinary:
        return arith(e.name, eval(*e.args[0]), eval(*e.args[1]));
      case Expr::Kind::kConcat: {
        std::string out;
        for (const auto& a : e.args) out += to_str(eval(*a));
        return Val::of(PromptValue(out));
      }
      case Expr::Kind::kCompare: {
        Val left = eval(*e.args[0]);
        for (std::size_t i = 0; i < e.ops.size(); ++i) {
          Val right = eval(*e.args[i + 1]);
          const std::string& op = e.ops[i];
          bool r;
          if (op == "==") {
            r = py_equal(left, right);
          } else if (op == "!=") {
            r = !py_equal(left, right);
          } else if (op == "in") {
            r = contains(right, left);
          } else if (op == "not in") {
            r = !contains(right, left);
          } else {
            r = ordered(left, right, op);
          }
          if (!r) return Val::of(PromptValue(false));
          left = std::move(right);
        }
        return Val::of(PromptValue(true));
      }
      case Expr::Kind::kCondExpr:
        if (truthy(eval(*e.args[0]))) return eval(*e.args[1]);
        if (e.args.size() > 2) return eval(*e.args[2]);
        return Val::undef("the inline if expression evaluated to false and has no else");
      case Expr::Kind::kList: {
        std::vector<PromptValue> items;
        for (const auto& a : e.args) {
          Val v = eval(*a);
          if (v.undefined) unsupported_runtime("an undefined value inside a list literal");
          items.push_back(std::move(v.v));
        }
        return Val::of(PromptValue::list(std::move(items)));
      }
    }
    runtime_error("unknown expression");
  }

  const PromptValues& values_;
  std::vector<std::map<std::string, Val>> scopes_;
};

}  // namespace

std::string render(const std::string& source, const PromptValues& values) {
  const Body body = parse(source);
  std::string out;
  Renderer(values).render(body, out);
  return out;
}

}  // namespace mlflow::internal::jinja
