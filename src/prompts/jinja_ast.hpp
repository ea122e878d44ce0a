// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// The parsed form of a Jinja2 template (see jinja.hpp for the supported subset).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/prompt_value.hpp"

namespace mlflow::internal::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind {
    kLiteral,   // literal
    kName,      // name
    kGetAttr,   // args[0].name
    kGetItem,   // args[0][args[1]]
    kCall,      // name(args...) when args_are_method is false; args[0].name(args[1..]) otherwise
    kFilter,    // args[0] | name(args[1..], kwargs)
    kTest,      // args[0] is [not] name(args[1..])
    kNeg,       // -args[0]
    kPos,       // +args[0]
    kNot,       // not args[0]
    kAnd,       // args[0] and args[1]
    kOr,        // args[0] or args[1]
    kBinary,    // args[0] <name> args[1]: + - * / // % **
    kConcat,    // args joined with ~
    kCompare,   // args[0] ops[0] args[1] ops[1] args[2] ...
    kCondExpr,  // args[1] if args[0] else args[2] (args.size() == 2: no else)
    kList,      // [args...]
  };
  Kind kind = Kind::kLiteral;
  PromptValue literal{};
  std::string name{};
  bool method = false;   // kCall: a method call on args[0]
  bool negated = false;  // kTest: "is not"
  std::vector<ExprPtr> args{};
  std::vector<std::pair<std::string, ExprPtr>> kwargs{};
  std::vector<std::string> ops{};  // kCompare
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
using Body = std::vector<NodePtr>;

struct Node {
  enum class Kind { kText, kOutput, kIf, kFor, kSet };
  Kind kind = Kind::kText;
  std::string text{};                                // kText
  ExprPtr expr{};                                    // kOutput, kFor (iterable), kSet
  std::vector<std::pair<ExprPtr, Body>> branches{};  // kIf: condition -> body
  std::vector<std::string> targets{};                // kFor loop variables, kSet name
  Body body{};                                       // kFor
  Body else_body{};                                  // kIf, kFor
};

/// Parses a template; throws InvalidArgument for syntax errors and unsupported constructs.
Body parse(const std::string& source);

}  // namespace mlflow::internal::jinja
