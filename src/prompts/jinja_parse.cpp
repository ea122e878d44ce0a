// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Lexer and recursive-descent parser for the Jinja2 subset (grammar and precedence as in
// jinja2/parser.py: or < and < not < compare < + - < ~ < * / // % < ** < unary < filters).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

#include "mlflow/errors.hpp"
#include "prompts/jinja_ast.hpp"

namespace mlflow::internal::jinja {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue, "Jinja2 template error: " + what);
}

[[noreturn]] void unsupported(const std::string& construct) {
  fail(construct +
       " is not supported by mlflow-cpp's Jinja2 subset (supported: {{ expr }}, if/elif/else, "
       "for/else with loop.*, set, comments, whitespace control, common filters and tests; see "
       "docs/adr/0009-prompt-registry.md). Use a plain {{ var }} template or render it in "
       "Python.");
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// ---- template level: text and tags ----

struct Segment {
  enum class Type { kText, kVar, kBlock };
  Type type = Type::kText;
  std::string content{};
};

// Jinja normalizes \r\n and \r to \n and drops one trailing newline (keep_trailing_newline off).
std::string normalize(const std::string& source) {
  std::string out;
  out.reserve(source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out.push_back(source[i]);
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Index of the closing marker ("}}" or "%}") of a tag whose content starts at `pos`; quotes
// are honoured so that "}}" inside a string literal does not end the tag.
std::size_t find_tag_end(const std::string& s, std::size_t pos, char close_first) {
  char quote = 0;
  for (std::size_t i = pos; i + 1 < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == close_first && s[i + 1] == '}') {
      return i;
    }
  }
  return std::string::npos;
}

std::vector<Segment> split_segments(const std::string& raw) {
  const std::string s = normalize(raw);
  std::vector<Segment> out;
  std::string text;
  bool strip_next = false;
  std::size_t pos = 0;
  const auto flush_text = [&] {
    if (!text.empty()) out.push_back({Segment::Type::kText, text});
    text.clear();
  };
  while (pos < s.size()) {
    const std::size_t open = s.find('{', pos);
    std::size_t tag = std::string::npos;
    for (std::size_t k = open; k != std::string::npos && k + 1 < s.size(); k = s.find('{', k + 1)) {
      const char n = s[k + 1];
      if (n == '{' || n == '%' || n == '#') {
        tag = k;
        break;
      }
    }
    std::string chunk = s.substr(pos, tag == std::string::npos ? std::string::npos : tag - pos);
    if (strip_next) {
      std::size_t b = 0;
      while (b < chunk.size() && is_space(chunk[b])) ++b;
      chunk.erase(0, b);
      strip_next = false;
    }
    text += chunk;
    if (tag == std::string::npos) break;
    const char kind = s[tag + 1];
    std::size_t start = tag + 2;
    bool strip_before = false;
    if (start < s.size() && s[start] == '-') {
      strip_before = true;
      ++start;
    } else if (start < s.size() && s[start] == '+') {
      ++start;  // "{%+" only disables lstrip_blocks, which is off anyway
    }
    if (strip_before) {
      while (!text.empty() && is_space(text.back())) text.pop_back();
    }
    std::size_t end;
    if (kind == '#') {
      end = s.find("#}", start);
      if (end == std::string::npos) fail("a comment ({# ... #}) is not closed");
    } else {
      end = find_tag_end(s, start, kind == '{' ? '}' : '%');
      if (end == std::string::npos) {
        fail(std::string("a tag opened with '{") + kind + "' is not closed");
      }
    }
    std::size_t content_end = end;
    if (content_end > start && s[content_end - 1] == '-') {
      strip_next = true;
      --content_end;
    }
    if (kind != '#') {
      flush_text();
      out.push_back({kind == '{' ? Segment::Type::kVar : Segment::Type::kBlock,
                     s.substr(start, content_end - start)});
    }
    pos = end + 2;
  }
  flush_text();
  return out;
}

// ---- expression tokens ----

struct Token {
  enum class Type { kName, kInt, kFloat, kString, kOp, kEnd };
  Type type = Type::kEnd;
  std::string text{};
  PromptValue value{};
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::Type::kName, s.substr(i, j - i), {}});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      std::string digits;
      bool is_float = false;
      const auto take_digits = [&] {
        while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) ||
                                (s[j] == '_' && j + 1 < s.size() &&
                                 std::isdigit(static_cast<unsigned char>(s[j + 1]))))) {
          if (s[j] != '_') digits.push_back(s[j]);
          ++j;
        }
      };
      take_digits();
      if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
        is_float = true;
        digits.push_back('.');
        ++j;
        take_digits();
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          is_float = true;
          digits.append(s, j, k - j);
          j = k;
          take_digits();
        }
      }
      Token t{is_float ? Token::Type::kFloat : Token::Type::kInt, s.substr(i, j - i), {}};
      if (is_float) {
        t.value = PromptValue(std::strtod(digits.c_str(), nullptr));
      } else {
        if (digits.size() > 18) unsupported("the integer literal " + digits + " (beyond int64)");
        t.value = PromptValue(static_cast<long long>(std::strtoll(digits.c_str(), nullptr, 10)));
      }
      out.push_back(std::move(t));
      i = j;
    } else if (c == '\'' || c == '"') {
      std::string value;
      std::size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        const char d = s[j];
        if (d == c) {
          closed = true;
          ++j;
          break;
        }
        if (d == '\\' && j + 1 < s.size()) {
          const char e = s[j + 1];
          // Python's escapes this renderer supports: the letter and what it stands for.
          static constexpr std::pair<char, char> kEscapes[] = {
              {'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'\\', '\\'}, {'\'', '\''}, {'"', '"'}};
          const auto* known = std::find_if(std::begin(kEscapes), std::end(kEscapes),
                                           [e](const auto& x) { return x.first == e; });
          if (known != std::end(kEscapes)) {
            value.push_back(known->second);
          } else if (e != '\n') {  // a backslash-newline joins the lines
            if (e == 'x' || e == 'u' || e == 'U' || e == 'N' || (e >= '0' && e <= '7') ||
                e == 'a' || e == 'b' || e == 'f' || e == 'v') {
              unsupported(std::string("the string escape \\") + e);
            }
            value.push_back('\\');  // an unknown escape stays as written
            value.push_back(e);
          }
          j += 2;
          continue;
        }
        value.push_back(d);
        ++j;
      }
      if (!closed) fail("unterminated string literal");
      out.push_back({Token::Type::kString, s.substr(i, j - i), PromptValue(value)});
      i = j;
    } else {
      static const char* const kOps[] = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/",
                                         "%",  "*",  "~",  "[",  "]",  "(",  ")", "{", "}",
                                         "==", ">",  "<",  "=",  ".",  ":",  "|", ",", ";"};
      bool matched = false;
      for (const char* op : kOps) {
        const std::string o(op);
        if (s.compare(i, o.size(), o) == 0) {
          out.push_back({Token::Type::kOp, o, {}});
          i += o.size();
          matched = true;
          break;
        }
      }
      if (!matched) fail(std::string("unexpected character '") + c + "'");
    }
  }
  out.push_back({Token::Type::kEnd, "", {}});
  return out;
}

// ---- expressions ----

class ExprParser {
 public:
  explicit ExprParser(const std::string& source) : toks_(tokenize(source)) {}

  ExprPtr parse_expression() { return parse_condexpr(); }
  bool at_end() const { return peek().type == Token::Type::kEnd; }
  void expect_end(const std::string& where) {
    if (!at_end()) fail("unexpected '" + peek().text + "' in " + where);
  }
  bool next_is_name(const char* name) const {
    return peek().type == Token::Type::kName && peek().text == name;
  }
  bool next_is_op(const char* op) const {
    return peek().type == Token::Type::kOp && peek().text == op;
  }
  std::string take_name(const std::string& context) {
    if (peek().type != Token::Type::kName) fail("expected a name " + context);
    return toks_[pos_++].text;
  }
  void expect_op(const char* op) {
    if (!next_is_op(op)) {
      fail(std::string("expected '") + op + "' but found '" +
           (at_end() ? std::string("end of tag") : peek().text) + "'");
    }
    ++pos_;
  }
  void skip() { ++pos_; }
  // An or-level expression without the inline if (for loop iterables, as Jinja does).
  ExprPtr parse_or_expression() { return parse_or(); }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return toks_[std::min(pos_ + ahead, toks_.size() - 1)];
  }

  static ExprPtr make(Expr::Kind kind) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    return e;
  }
  static ExprPtr make2(Expr::Kind kind, ExprPtr a, ExprPtr b, std::string name = {}) {
    auto e = make(kind);
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    e->name = std::move(name);
    return e;
  }

  ExprPtr parse_condexpr() {
    ExprPtr expr = parse_or();
    while (next_is_name("if")) {
      skip();
      auto cond = make(Expr::Kind::kCondExpr);
      cond->args.push_back(parse_or());
      cond->args.push_back(std::move(expr));
      if (next_is_name("else")) {
        skip();
        cond->args.push_back(parse_condexpr());
      }
      expr = std::move(cond);
    }
    return expr;
  }
  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    while (next_is_name("or")) {
      skip();
      left = make2(Expr::Kind::kOr, std::move(left), parse_and());
    }
    return left;
  }
  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    while (next_is_name("and")) {
      skip();
      left = make2(Expr::Kind::kAnd, std::move(left), parse_not());
    }
    return left;
  }
  ExprPtr parse_not() {
    if (next_is_name("not")) {
      skip();
      auto e = make(Expr::Kind::kNot);
      e->args.push_back(parse_not());
      return e;
    }
    return parse_compare();
  }
  ExprPtr parse_compare() {
    ExprPtr first = parse_math1();
    ExprPtr cmp;
    while (true) {
      std::string op;
      const Token& t = peek();
      if (t.type == Token::Type::kOp && (t.text == "==" || t.text == "!=" || t.text == "<" ||
                                         t.text == "<=" || t.text == ">" || t.text == ">=")) {
        op = t.text;
        skip();
      } else if (next_is_name("in")) {
        op = "in";
        skip();
      } else if (next_is_name("not") && peek(1).type == Token::Type::kName &&
                 peek(1).text == "in") {
        op = "not in";
        skip();
        skip();
      } else {
        break;
      }
      if (!cmp) {
        cmp = make(Expr::Kind::kCompare);
        cmp->args.push_back(std::move(first));
      }
      cmp->ops.push_back(op);
      cmp->args.push_back(parse_math1());
    }
    return cmp ? std::move(cmp) : std::move(first);
  }
  ExprPtr parse_math1() {
    ExprPtr left = parse_concat();
    while (next_is_op("+") || next_is_op("-")) {
      const std::string op = peek().text;
      skip();
      left = make2(Expr::Kind::kBinary, std::move(left), parse_concat(), op);
    }
    return left;
  }
  ExprPtr parse_concat() {
    ExprPtr first = parse_math2();
    if (!next_is_op("~")) return first;
    auto e = make(Expr::Kind::kConcat);
    e->args.push_back(std::move(first));
    while (next_is_op("~")) {
      skip();
      e->args.push_back(parse_math2());
    }
    return e;
  }
  ExprPtr parse_math2() {
    ExprPtr left = parse_pow();
    while (next_is_op("*") || next_is_op("/") || next_is_op("//") || next_is_op("%")) {
      const std::string op = peek().text;
      skip();
      left = make2(Expr::Kind::kBinary, std::move(left), parse_pow(), op);
    }
    return left;
  }
  ExprPtr parse_pow() {
    ExprPtr left = parse_unary(true);
    while (next_is_op("**")) {
      skip();
      left = make2(Expr::Kind::kBinary, std::move(left), parse_unary(true), "**");
    }
    return left;
  }
  ExprPtr parse_unary(bool with_filter) {
    ExprPtr node;
    if (next_is_op("-") || next_is_op("+")) {
      const bool neg = peek().text == "-";
      skip();
      node = make(neg ? Expr::Kind::kNeg : Expr::Kind::kPos);
      node->args.push_back(parse_unary(false));
    } else {
      node = parse_postfix(parse_primary());
    }
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }
  ExprPtr parse_primary() {
    const Token t = peek();
    switch (t.type) {
      case Token::Type::kName: {
        skip();
        auto lit = make(Expr::Kind::kLiteral);
        if (t.text == "true" || t.text == "True") {
          lit->literal = PromptValue(true);
        } else if (t.text == "false" || t.text == "False") {
          lit->literal = PromptValue(false);
        } else if (t.text == "none" || t.text == "None") {
          lit->literal = PromptValue();
        } else {
          auto name = make(Expr::Kind::kName);
          name->name = t.text;
          return name;
        }
        return lit;
      }
      case Token::Type::kString: {
        std::string value;
        while (peek().type == Token::Type::kString) {  // adjacent literals concatenate
          value += peek().value.as_string();
          skip();
        }
        auto lit = make(Expr::Kind::kLiteral);
        lit->literal = PromptValue(value);
        return lit;
      }
      case Token::Type::kInt:
      case Token::Type::kFloat: {
        skip();
        auto lit = make(Expr::Kind::kLiteral);
        lit->literal = t.value;
        return lit;
      }
      case Token::Type::kOp:
        if (t.text == "(") {
          skip();
          if (next_is_op(")")) unsupported("the empty tuple ()");
          ExprPtr inner = parse_expression();
          if (next_is_op(",")) unsupported("tuple literals");
          expect_op(")");
          return inner;
        }
        if (t.text == "[") {
          skip();
          auto list = make(Expr::Kind::kList);
          while (!next_is_op("]")) {
            if (!list->args.empty()) expect_op(",");
            if (next_is_op("]")) break;
            list->args.push_back(parse_expression());
          }
          expect_op("]");
          return list;
        }
        if (t.text == "{") unsupported("dict literals ({...})");
        fail("unexpected '" + t.text + "'");
      case Token::Type::kEnd:
        fail("unexpected end of expression");
    }
    fail("unexpected token");
  }
  void parse_call_args(Expr& call) {
    expect_op("(");
    // Filters and tests already hold their subject in args[0].
    const std::size_t first = call.args.size();
    while (!next_is_op(")")) {
      if (call.args.size() > first || !call.kwargs.empty()) {
        expect_op(",");
        if (next_is_op(")")) break;
      }
      if (next_is_op("*") || next_is_op("**")) unsupported("*args / **kwargs in calls");
      if (peek().type == Token::Type::kName && peek(1).type == Token::Type::kOp &&
          peek(1).text == "=") {
        std::string key = peek().text;
        skip();
        skip();
        call.kwargs.emplace_back(std::move(key), parse_expression());
      } else {
        if (!call.kwargs.empty()) fail("a positional argument follows a keyword argument");
        call.args.push_back(parse_expression());
      }
    }
    expect_op(")");
  }
  ExprPtr parse_postfix(ExprPtr node) {
    while (true) {
      if (next_is_op(".")) {
        skip();
        const Token t = peek();
        if (t.type == Token::Type::kName) {
          skip();
          if (next_is_op("(")) {
            auto call = make(Expr::Kind::kCall);
            call->method = true;
            call->name = t.text;
            call->args.push_back(std::move(node));
            parse_call_args(*call);
            node = std::move(call);
          } else {
            auto get = make(Expr::Kind::kGetAttr);
            get->name = t.text;
            get->args.push_back(std::move(node));
            node = std::move(get);
          }
        } else if (t.type == Token::Type::kInt) {
          skip();
          auto lit = make(Expr::Kind::kLiteral);
          lit->literal = t.value;
          node = make2(Expr::Kind::kGetItem, std::move(node), std::move(lit));
        } else {
          fail("expected an attribute name after '.'");
        }
      } else if (next_is_op("[")) {
        skip();
        if (next_is_op(":")) unsupported("slices ([a:b])");
        ExprPtr index = parse_expression();
        if (next_is_op(":") || next_is_op(",")) unsupported("slices ([a:b])");
        expect_op("]");
        node = make2(Expr::Kind::kGetItem, std::move(node), std::move(index));
      } else if (next_is_op("(")) {
        if (node->kind != Expr::Kind::kName) unsupported("calling the result of an expression");
        auto call = make(Expr::Kind::kCall);
        call->name = node->name;
        parse_call_args(*call);
        node = std::move(call);
      } else {
        return node;
      }
    }
  }
  ExprPtr parse_filter_expr(ExprPtr node) {
    while (true) {
      if (next_is_op("|")) {
        skip();
        std::string name = take_name("after '|'");
        while (next_is_op(".")) {  // dotted filter names
          skip();
          name += "." + take_name("after '.'");
        }
        auto f = make(Expr::Kind::kFilter);
        f->name = name;
        f->args.push_back(std::move(node));
        if (next_is_op("(")) parse_call_args(*f);
        node = std::move(f);
      } else if (next_is_name("is")) {
        skip();
        auto test = make(Expr::Kind::kTest);
        if (next_is_name("not")) {
          skip();
          test->negated = true;
        }
        test->name = take_name("after 'is'");
        test->args.push_back(std::move(node));
        if (next_is_op("(")) {
          parse_call_args(*test);
        } else if (peek().type == Token::Type::kInt || peek().type == Token::Type::kFloat ||
                   peek().type == Token::Type::kString ||
                   (peek().type == Token::Type::kName && peek().text != "else" &&
                    peek().text != "or" && peek().text != "and" && peek().text != "if" &&
                    peek().text != "is" && peek().text != "in" && peek().text != "not")) {
          // "x is divisibleby 3": one argument without parentheses
          test->args.push_back(parse_primary());
        }
        node = std::move(test);
      } else {
        return node;
      }
    }
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
};

// ---- statements ----

class Parser {
 public:
  explicit Parser(std::vector<Segment> segments) : segs_(std::move(segments)) {}

  Body parse_template() {
    std::string stop;
    Body body = parse_body({}, stop);
    return body;
  }

 private:
  // Parses until one of `stops` (a block tag's first word); `stop` receives it with the
  // remaining tag text in stop_rest_.
  Body parse_body(const std::vector<std::string>& stops, std::string& stop) {
    Body body;
    while (pos_ < segs_.size()) {
      const Segment& seg = segs_[pos_++];
      if (seg.type == Segment::Type::kText) {
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::kText;
        n->text = seg.content;
        body.push_back(std::move(n));
        continue;
      }
      if (seg.type == Segment::Type::kVar) {
        ExprParser p(seg.content);
        if (p.at_end()) fail("empty expression {{ }}");
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::kOutput;
        n->expr = p.parse_expression();
        p.expect_end("{{ ... }}");
        body.push_back(std::move(n));
        continue;
      }
      auto p = std::make_unique<ExprParser>(seg.content);
      if (p->at_end()) fail("empty block tag {% %}");
      const std::string word = p->take_name("at the start of a block tag");
      for (const auto& s : stops) {
        if (s == word) {
          stop = word;
          stop_parser_ = std::move(p);
          return body;
        }
      }
      if (word == "if") {
        body.push_back(parse_if(*p));
      } else if (word == "for") {
        body.push_back(parse_for(*p));
      } else if (word == "set") {
        body.push_back(parse_set(*p));
      } else if (word == "elif" || word == "else" || word == "endif" || word == "endfor") {
        fail("unexpected '{% " + word + " %}'" +
             (stops.empty() ? std::string(" outside of a block")
                            : " (the innermost open block expects '{% " + stops.back() + " %}')"));
      } else {
        static const char* const kKnown[] = {
            "macro", "call", "filter",     "block", "extends", "include",  "import", "from",
            "raw",   "with", "autoescape", "do",    "break",   "continue", "trans"};
        for (const char* k : kKnown) {
          if (word == k) unsupported("the {% " + word + " %} tag");
        }
        fail("unknown tag '{% " + word + " %}'");
      }
    }
    if (!stops.empty()) {
      fail("a block is not closed: expected '{% " + stops.back() + " %}' before the end");
    }
    return body;
  }

  NodePtr parse_if(ExprParser& p) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kIf;
    ExprPtr cond = p.parse_expression();
    p.expect_end("{% if %}");
    while (true) {
      std::string stop;
      Body body = parse_body({"elif", "else", "endif"}, stop);
      n->branches.emplace_back(std::move(cond), std::move(body));
      ExprParser& sp = *stop_parser_;
      if (stop == "elif") {
        cond = sp.parse_expression();
        sp.expect_end("{% elif %}");
        continue;
      }
      if (stop == "else") {
        sp.expect_end("{% else %}");
        std::string end;
        n->else_body = parse_body({"endif"}, end);
      }
      stop_parser_->expect_end("{% endif %}");
      return n;
    }
  }

  NodePtr parse_for(ExprParser& p) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kFor;
    bool parens = false;
    if (p.next_is_op("(")) {
      p.skip();
      parens = true;
    }
    n->targets.push_back(p.take_name("after 'for'"));
    while (p.next_is_op(",")) {
      p.skip();
      n->targets.push_back(p.take_name("in the loop targets"));
    }
    if (parens) p.expect_op(")");
    if (!p.next_is_name("in")) fail("expected 'in' in {% for %}");
    p.skip();
    n->expr = p.parse_or_expression();
    if (p.next_is_name("if")) unsupported("loop filtering ({% for x in xs if cond %})");
    if (p.next_is_name("recursive")) unsupported("recursive loops");
    p.expect_end("{% for %}");
    std::string stop;
    n->body = parse_body({"else", "endfor"}, stop);
    if (stop == "else") {
      stop_parser_->expect_end("{% else %}");
      n->else_body = parse_body({"endfor"}, stop);
    }
    stop_parser_->expect_end("{% endfor %}");
    return n;
  }

  NodePtr parse_set(ExprParser& p) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kSet;
    n->targets.push_back(p.take_name("after 'set'"));
    if (p.next_is_op(",") || p.next_is_op(".")) unsupported("multiple or dotted set targets");
    if (p.at_end()) unsupported("block assignments ({% set x %}...{% endset %})");
    p.expect_op("=");
    n->expr = p.parse_expression();
    p.expect_end("{% set %}");
    return n;
  }

  std::vector<Segment> segs_;
  std::size_t pos_ = 0;
  std::unique_ptr<ExprParser> stop_parser_;
};

}  // namespace

Body parse(const std::string& source) { return Parser(split_segments(source)).parse_template(); }

}  // namespace mlflow::internal::jinja
