// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// MLflow's filter and order_by language. MLflow hands the filter to sqlparse and then walks the
// token groups it gets back; the lexer below produces the same kinds of top-level tokens
// (identifiers, strings, numbers, comparison operators, keywords, parenthesised groups), and the
// walk groups them the way sqlparse and MLflow's `_join_in_comparison_tokens` do, so that the
// same inputs are accepted and errors name the same offending tokens.
#include "sqlite/search_filter.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/errors.hpp"
#include "sqlite/sql_builder.hpp"

namespace mlflow::internal::sqlite_search {
namespace {

[[noreturn]] void invalid(const std::string& message) { sqlite::invalid_parameter(message); }

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  // Bytes >= 0x80 are parts of UTF-8 letters, which sqlparse's \w accepts in names.
  return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

enum class Tok {
  kSpace,
  kIdentifier,  // a name, a quoted name (`x`, "x") or dotted parts of them
  kString,      // 'x'
  kNumber,
  kComparator,  // = != <> == < <= > >= LIKE ILIKE ...
  kKeyword,     // AND OR NOT IN IS NULL, "NOT NULL", other SQL words
  kParen,       // a balanced ( ... ) group
  kFunction,    // name( ... ): sqlparse makes a function call of it
  kBuiltin,     // a bare type name sqlparse reads as Name.Builtin (trace search: timestamp, text)
  kComment,
  kOther,  // anything else, one character (or one unterminated quote)
};

struct Token {
  Tok kind;
  std::string text;
  bool integer = false;  // kNumber: no fraction or exponent
};

// Words sqlparse tokenizes as keywords; they never start an identifier.
const std::set<std::string>& keywords() {
  static const std::set<std::string> k = {
      "AND",    "OR",      "NOT",    "IN",     "IS",    "NULL",   "TRUE",   "FALSE",
      "SELECT", "FROM",    "WHERE",  "DROP",   "TABLE", "DELETE", "INSERT", "UPDATE",
      "UNION",  "BETWEEN", "EXISTS", "CASE",   "WHEN",  "THEN",   "ELSE",   "END",
      "ORDER",  "BY",      "GROUP",  "HAVING", "LIMIT", "OFFSET", "JOIN",   "ON",
      "AS",     "ALL",     "ANY",    "ESCAPE", "INTO",  "VALUES", "CREATE", "ALTER"};
  return k;
}

const std::set<std::string>& word_comparators() {
  static const std::set<std::string> k = {"LIKE", "ILIKE", "RLIKE", "REGEXP"};
  return k;
}

// Scans a quoted run starting at `i` (s[i] is the quote). Returns the index past the closing
// quote, or npos when unterminated. A doubled quote stands for itself; in single-quoted
// strings a backslash escapes the next character, as in sqlparse's string pattern.
std::size_t scan_quoted(const std::string& s, std::size_t i) {
  const char q = s[i];
  std::size_t j = i + 1;
  while (j < s.size()) {
    if (q == '\'' && s[j] == '\\' && j + 1 < s.size()) {
      j += 2;
      continue;
    }
    if (s[j] == q) {
      if (j + 1 < s.size() && s[j + 1] == q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return std::string::npos;
}

// Index past the ')' matching s[i] == '(', or npos.
std::size_t scan_paren(const std::string& s, std::size_t i) {
  int depth = 0;
  std::size_t j = i;
  while (j < s.size()) {
    const char c = s[j];
    if (c == '\'' || c == '"' || c == '`') {
      const std::size_t end = scan_quoted(s, j);
      if (end == std::string::npos) return std::string::npos;
      j = end;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return j + 1;
    ++j;
  }
  return std::string::npos;
}

// A number literal at i: -?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?, not followed by a word character.
// Returns its length, 0 if none.
std::size_t scan_number(const std::string& s, std::size_t i, bool* integer) {
  std::size_t j = i;
  if (j < s.size() && s[j] == '-') ++j;
  const std::size_t digits_start = j;
  while (j < s.size() && is_digit(s[j])) ++j;
  bool has_int = j > digits_start;
  *integer = true;
  if (j < s.size() && s[j] == '.') {
    std::size_t k = j + 1;
    while (k < s.size() && is_digit(s[k])) ++k;
    if (!has_int && k == j + 1) return 0;
    *integer = false;
    has_int = true;
    j = k;
  }
  if (!has_int) return 0;
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    std::size_t k = j + 1;
    if (k < s.size() && (s[k] == '-' || s[k] == '+')) ++k;
    const std::size_t exp_start = k;
    while (k < s.size() && is_digit(s[k])) ++k;
    if (k > exp_start) {
      *integer = false;
      j = k;
    }
  }
  if (j < s.size() && is_word_char(s[j])) return 0;
  return j - i;
}

// One identifier part at i: a word, or a `backtick`, "double" or (after a dot) 'single' quoted
// name. Returns the index past it, or i when there is none.
std::size_t scan_name_part(const std::string& s, std::size_t i, bool after_dot) {
  if (i >= s.size()) return i;
  const char c = s[i];
  if (c == '`' || c == '"' || (after_dot && c == '\'')) {
    const std::size_t end = scan_quoted(s, i);
    return end == std::string::npos ? i : end;
  }
  std::size_t j = i;
  while (j < s.size() && is_word_char(s[j])) ++j;
  return j;
}

std::vector<Token> tokenize(const std::string& s, bool builtins = false) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      std::size_t j = i;
      while (j < s.size() && is_space(s[j])) ++j;
      out.push_back({Tok::kSpace, s.substr(i, j - i)});
      i = j;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      std::size_t j = s.find('\n', i);
      j = j == std::string::npos ? s.size() : j;
      out.push_back({Tok::kComment, s.substr(i, j - i)});
      i = j;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      std::size_t j = s.find("*/", i + 2);
      j = j == std::string::npos ? s.size() : j + 2;
      out.push_back({Tok::kComment, s.substr(i, j - i)});
      i = j;
      continue;
    }
    bool integer = false;
    if (const std::size_t n = scan_number(s, i, &integer); n > 0) {
      out.push_back({Tok::kNumber, s.substr(i, n), integer});
      i += n;
      continue;
    }
    if (c == '\'' || c == '(') {
      // A quoted string or a parenthesised list; unclosed, the opening character alone.
      const bool quote = c == '\'';
      const std::size_t end = quote ? scan_quoted(s, i) : scan_paren(s, i);
      if (end == std::string::npos) {
        out.push_back({Tok::kOther, std::string(1, c)});
        ++i;
      } else {
        out.push_back({quote ? Tok::kString : Tok::kParen, s.substr(i, end - i)});
        i = end;
      }
      continue;
    }
    if (c == '<' || c == '>' || c == '=' || c == '!') {
      std::size_t n = 1;
      if (i + 1 < s.size()) {
        const char d = s[i + 1];
        if ((c == '<' && (d == '=' || d == '>')) || (c == '>' && d == '=') ||
            (c == '=' && d == '=') || (c == '!' && d == '=')) {
          n = 2;
        }
      }
      if (c == '!' && n == 1) {
        out.push_back({Tok::kOther, "!"});
      } else {
        out.push_back({Tok::kComparator, s.substr(i, n)});
      }
      i += n;
      continue;
    }
    const std::size_t first_end = scan_name_part(s, i, false);
    if (first_end > i) {
      const bool quoted = c == '`' || c == '"';
      const std::string word = s.substr(i, first_end - i);
      const std::string upper = to_upper(word);
      const bool dotted = first_end < s.size() && s[first_end] == '.';
      if (!quoted && !dotted) {
        if (first_end < s.size() && s[first_end] == '(' && upper != "IN") {
          const std::size_t end = scan_paren(s, first_end);
          if (end != std::string::npos) {
            out.push_back({Tok::kFunction, s.substr(i, end - i)});
            i = end;
            continue;
          }
        }
        if (upper == "NOT") {
          // sqlparse reads "NOT NULL", "NOT LIKE" and "NOT ILIKE" as single tokens.
          std::size_t j = first_end;
          while (j < s.size() && is_space(s[j])) ++j;
          const std::size_t k = scan_name_part(s, j, false);
          const std::string next = to_upper(s.substr(j, k - j));
          if (j > first_end && (next == "NULL" || next == "LIKE" || next == "ILIKE")) {
            out.push_back({next == "NULL" ? Tok::kKeyword : Tok::kComparator, s.substr(i, k - i)});
            i = k;
            continue;
          }
        }
        if (builtins && (upper == "TIMESTAMP" || upper == "TEXT")) {
          out.push_back({Tok::kBuiltin, word});
          i = first_end;
          continue;
        }
        if (word_comparators().count(upper) != 0) {
          out.push_back({Tok::kComparator, word});
          i = first_end;
          continue;
        }
        if (keywords().count(upper) != 0) {
          out.push_back({Tok::kKeyword, word});
          i = first_end;
          continue;
        }
      }
      std::size_t j = first_end;
      while (j < s.size() && s[j] == '.') j = scan_name_part(s, j + 1, true);
      out.push_back({Tok::kIdentifier, s.substr(i, j - i)});
      i = j;
      continue;
    }
    if (c == '`' || c == '"') {  // an unterminated quoted name
      out.push_back({Tok::kOther, std::string(1, c)});
      ++i;
      continue;
    }
    // Anything else, a UTF-8 sequence kept whole so messages stay valid text.
    const std::size_t n = utf8::step(s, i);
    out.push_back({Tok::kOther, s.substr(i, n)});
    i += n;
  }
  return out;
}

bool is_quoted(const std::string& v, char q) {
  return v.size() >= 2 && v.front() == q && v.back() == q;
}

std::string trim_backticks(const std::string& v) {
  return is_quoted(v, '`') ? v.substr(1, v.size() - 2) : v;
}

std::string strip_quotes(const std::string& v) {
  return (is_quoted(v, '\'') || is_quoted(v, '"')) ? v.substr(1, v.size() - 2) : v;
}

std::string strip_quotes_expected(const std::string& v) {
  if (is_quoted(v, '\'') || is_quoted(v, '"')) return v.substr(1, v.size() - 2);
  invalid(
      "Parameter value is either not quoted or unidentified quote types used for string "
      "value " +
      v + ". Use either single or double quotes.");
}

// How the two searches differ; the rest of the language is shared.
struct Dialect {
  bool experiments;
  const std::vector<std::string>* search_keys;  // in the order MLflow's messages print them
  const std::vector<std::string>* order_by_keys;
  const std::vector<std::string>* numeric_keys;
  const char* list_key;
  // Model registry searches (SearchModelUtils / SearchModelVersionUtils): entity types
  // attribute/tag/tags, IN lists on `name` (and `run_id`), IS NULL refused.
  bool registry = false;
  // Trace search (SearchTraceUtils): its own entity types, values and key aliases.
  bool traces = false;
};

const std::vector<std::string> kRunSearchKeys = {
    "run_id", "run_name",   "run name", "Run name",     "Run Name", "user_id",
    "status", "start_time", "end_time", "artifact_uri", "created",  "Created"};
const std::vector<std::string> kRunOrderKeys = {"run_id",       "run_name",   "user_id",
                                                "status",       "start_time", "end_time",
                                                "artifact_uri", "created",    "Created"};
const std::vector<std::string> kRunNumericKeys = {"start_time", "end_time", "created", "Created"};
const std::vector<std::string> kExperimentKeys = {"name", "experiment_id", "creation_time",
                                                  "last_update_time"};
const std::vector<std::string> kExperimentNumericKeys = {"creation_time", "last_update_time"};

const Dialect kRuns{false, &kRunSearchKeys, &kRunOrderKeys, &kRunNumericKeys, "run_id"};
const Dialect kExperiments{true, &kExperimentKeys, &kExperimentKeys, &kExperimentNumericKeys,
                           "experiment_id"};
const std::vector<std::string> kModelKeys = {"name"};
const std::vector<std::string> kModelOrderKeys = {"name", "creation_timestamp",
                                                  "last_updated_timestamp", "timestamp"};
const std::vector<std::string> kNoKeys = {};
const std::vector<std::string> kVersionKeys = {"name", "version_number", "run_id", "source_path"};
const std::vector<std::string> kVersionOrderKeys = {"name", "version_number", "creation_timestamp",
                                                    "last_updated_timestamp"};
const std::vector<std::string> kVersionNumericKeys = {"version_number", "creation_timestamp",
                                                      "last_updated_timestamp"};
const Dialect kRegisteredModels{true, &kModelKeys, &kModelOrderKeys, &kNoKeys, "name", true};
const Dialect kModelVersions{true,     &kVersionKeys, &kVersionOrderKeys, &kVersionNumericKeys,
                             "run_id", true};
// SearchTraceUtils' key sets (Python prints them as sets, in no fixed order).
const std::vector<std::string> kTraceSearchKeys = {
    "request_id", "timestamp",   "timestamp_ms", "execution_time",    "execution_time_ms",
    "end_time",   "end_time_ms", "status",       "client_request_id", "name",
    "run_id",     "prompt",      "text"};
const std::vector<std::string> kTraceOrderKeys = {
    "experiment_id",     "timestamp", "timestamp_ms", "execution_time",
    "execution_time_ms", "end_time",  "end_time_ms",  "status",
    "request_id",        "name",      "run_id"};
const std::vector<std::string> kTraceNumericKeys = {
    "timestamp_ms", "timestamp", "execution_time_ms", "execution_time", "end_time_ms", "end_time"};
const std::vector<std::string> kTraceListKeys = {"name", "status", "request_id", "run_id",
                                                 "client_request_id"};
const Dialect kTraces{
    false, &kTraceSearchKeys, &kTraceOrderKeys, &kTraceNumericKeys, "request_id", false, true};

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

struct Identifier {
  EntityType type;
  std::string key;
};

EntityType run_entity(const std::string& raw_entity) {
  const std::string e = trim_backticks(raw_entity);
  if (e == "metric" || e == "metrics") return EntityType::kMetric;
  if (e == "parameter" || e == "parameters" || e == "param" || e == "params") {
    return EntityType::kParam;
  }
  if (e == "tag" || e == "tags") return EntityType::kTag;
  if (e == "attribute" || e == "attributes" || e == "attr" || e == "run") {
    return EntityType::kAttribute;
  }
  if (e == "dataset" || e == "datasets") return EntityType::kDataset;
  invalid("Invalid entity type '" + e +
          "'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']");
}

// SearchTraceUtils._valid_entity_type: its identifiers and their aliases.
EntityType trace_entity(const std::string& raw_entity) {
  const std::string e = trim_backticks(raw_entity);
  if (e == "tag" || e == "tags") return EntityType::kTag;
  if (e == "attribute" || e == "attributes" || e == "trace") return EntityType::kAttribute;
  if (e == "request_metadata" || e == "metadata") return EntityType::kMetadata;
  if (e == "span") return EntityType::kSpan;
  if (e == "feedback") return EntityType::kFeedback;
  if (e == "expectation") return EntityType::kExpectation;
  if (e == "issue") return EntityType::kIssue;
  invalid("Invalid entity type '" + e +
          "'. Valid values are {'tag', 'tags', 'attribute', 'attributes', 'trace', "
          "'request_metadata', 'metadata', 'span', 'feedback', 'expectation', 'issue'}");
}

Identifier get_identifier(const Dialect& d, const std::string& identifier,
                          const std::vector<std::string>& valid_attributes) {
  Identifier id{EntityType::kAttribute, identifier};
  const std::size_t dot = identifier.find('.');
  if (dot != std::string::npos) {
    const std::string entity = identifier.substr(0, dot);
    id.key = identifier.substr(dot + 1);
    if (d.registry) {
      if (entity != "attribute" && entity != "tag" && entity != "tags") {
        invalid("Invalid entity type '" + entity +
                "'. Valid entity types are ('attribute', 'tag', 'tags')");
      }
    } else if (d.experiments) {
      if (entity != "attribute" && entity != "attributes" && entity != "tag" && entity != "tags") {
        invalid("Invalid entity type '" + entity +
                "'. Valid entity types are ('attribute', 'attributes', 'tag', 'tags')");
      }
    }
    id.type = d.traces ? trace_entity(entity) : run_entity(entity);
  }
  id.key = trim_backticks(strip_quotes(id.key));
  if (id.type == EntityType::kAttribute && !contains(valid_attributes, id.key)) {
    invalid("Invalid attribute key '" + id.key + "' specified. Valid keys are '" +
            python_set_repr(valid_attributes) + "'");
  }
  if (id.type == EntityType::kDataset && id.key != "name" && id.key != "digest" &&
      id.key != "context") {
    invalid("Invalid dataset key '" + id.key +
            "' specified. Valid keys are '{'name', 'digest', 'context'}'");
  }
  return id;
}

// ---- IN lists: MLflow evaluates the parenthesised text as a Python literal. ----

[[noreturn]] void ill_formed_list() {
  invalid(
      "While parsing a list in the query, expected a non-empty list of string values, but "
      "got ill-formed list.");
}

struct ListItem {
  bool is_string;
  std::string text;  // the string's value, or the literal as written
};

std::string python_literal_string(const std::string& s, std::size_t* i) {
  const char q = s[*i];
  std::string out;
  std::size_t j = *i + 1;
  while (j < s.size() && s[j] != q) {
    if (s[j] == '\n') ill_formed_list();
    if (s[j] == '\\' && j + 1 < s.size()) {
      const char e = s[j + 1];
      switch (e) {
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '\n':
          break;
        default:
          out += '\\';
          out += e;
          break;
      }
      j += 2;
      continue;
    }
    out += s[j++];
  }
  if (j >= s.size()) ill_formed_list();
  *i = j + 1;
  return out;
}

std::vector<std::string> parse_list(const std::string& paren) {
  const std::string s = paren.substr(1, paren.size() - 2);
  std::vector<ListItem> items;
  bool trailing_comma = false;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && is_space(s[i])) ++i;
  };
  skip_space();
  while (i < s.size()) {
    if (s[i] == '\'' || s[i] == '"') {
      ListItem item{true, {}};
      // Adjacent string literals concatenate, as in Python.
      while (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
        item.text += python_literal_string(s, &i);
        skip_space();
      }
      items.push_back(item);
    } else {
      bool integer = false;
      std::size_t n = scan_number(s, i, &integer);
      std::size_t word_end = i;
      while (word_end < s.size() && is_word_char(s[word_end])) ++word_end;
      const std::string word = s.substr(i, word_end - i);
      if (n == 0 && (word == "True" || word == "False" || word == "None")) n = word.size();
      if (n == 0) ill_formed_list();
      items.push_back({false, s.substr(i, n)});
      i += n;
      skip_space();
    }
    trailing_comma = false;
    if (i < s.size()) {
      if (s[i] != ',') ill_formed_list();
      ++i;
      trailing_comma = true;
      skip_space();
    }
  }
  if (items.empty() && trailing_comma) ill_formed_list();
  if (items.empty()) {
    invalid(
        "While parsing a list in the query, expected a non-empty list of string values, but "
        "got empty list");
  }
  // A single value with no comma is not a tuple in Python, but MLflow wraps it into one.
  const bool all_strings =
      std::all_of(items.begin(), items.end(), [](const ListItem& it) { return it.is_string; });
  if (!all_strings) {
    std::string repr = "(";
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k > 0) repr += ", ";
      repr += items[k].is_string ? python_repr(items[k].text) : items[k].text;
    }
    repr += items.size() == 1 ? ",)" : ")";
    invalid(
        "While parsing a list in the query, expected string value, punctuation, or "
        "whitespace, but got different type in list: " +
        repr);
  }
  std::vector<std::string> out;
  out.reserve(items.size());
  for (auto& it : items) out.push_back(std::move(it.text));
  return out;
}

// ---- values ----

FilterValue string_value(const std::string& raw) {
  FilterValue v;
  v.kind = FilterValue::Kind::kString;
  v.text = strip_quotes_expected(raw);
  return v;
}

FilterValue get_value(const Dialect& d, EntityType type, const std::string& key,
                      const Token& token) {
  const bool stringish = token.kind == Tok::kString || token.kind == Tok::kIdentifier;
  FilterValue v;
  switch (type) {
    case EntityType::kMetric:
      if (token.kind != Tok::kNumber) {
        invalid("Expected numeric value type for metric. Found " + token.text);
      }
      v.kind = FilterValue::Kind::kNumber;
      v.text = token.text;
      v.is_integer = token.integer;
      return v;
    case EntityType::kParam:
    case EntityType::kTag:
      if (stringish) return string_value(token.text);
      invalid(std::string("Expected a quoted string value for ") + entity_name(type) +
              " (e.g. 'my-value'). Got value " + token.text);
    case EntityType::kAttribute:
      if (d.registry) {
        if (stringish) return string_value(token.text);
        if (token.kind == Tok::kParen) {
          if (key != "name" && key != d.list_key) {
            // The server prints its sorted key list: ['name'] or ['name', 'run_id'].
            const std::string keys = std::string(d.list_key) == "name"
                                         ? "['name']"
                                         : "['name', '" + std::string(d.list_key) + "']";
            invalid("Only " + keys +
                    " attributes support comparison with a list of quoted string values.");
          }
          v.kind = FilterValue::Kind::kList;
          v.list = parse_list(token.text);
          return v;
        }
        if (token.kind == Tok::kNumber) {
          if (!contains(*d.numeric_keys, key)) {
            invalid("Only the '" + python_set_repr(*d.numeric_keys) +
                    "' attributes support comparison with numeric values.");
          }
          v.kind = FilterValue::Kind::kNumber;
          v.text = token.text;
          v.is_integer = token.integer;
          return v;
        }
        invalid(
            "Expected a quoted string value or a list of quoted string values for attributes. "
            "Got value " +
            token.text);
      }
      if (contains(*d.numeric_keys, key)) {
        if (token.kind != Tok::kNumber) {
          invalid("Expected numeric value type for numeric attribute: " + key + ". Found " +
                  token.text);
        }
        v.kind = FilterValue::Kind::kNumber;
        v.text = token.text;
        v.is_integer = token.integer;
        return v;
      }
      if (stringish) return string_value(token.text);
      if (token.kind == Tok::kParen) {
        if (key != d.list_key) {
          invalid(std::string("Only ['") + d.list_key +
                  "'] attributes support comparison with a list of quoted string values.");
        }
        v.kind = FilterValue::Kind::kList;
        v.list = parse_list(token.text);
        return v;
      }
      invalid("Expected a quoted string value for attributes. Got value " + token.text);
    case EntityType::kDataset:
      if (stringish) return string_value(token.text);
      if (token.kind == Tok::kParen) {
        v.kind = FilterValue::Kind::kList;
        v.list = parse_list(token.text);
        return v;
      }
      invalid("Expected a quoted string value for dataset attributes. Got value " + token.text);
    case EntityType::kMetadata:
    case EntityType::kSpan:
    case EntityType::kFeedback:
    case EntityType::kExpectation:
    case EntityType::kIssue:
      break;
  }
  invalid("Invalid identifier type.");
}

FilterValue number_value(const Token& token) {
  FilterValue v;
  v.kind = FilterValue::Kind::kNumber;
  v.text = token.text;
  v.is_integer = token.integer;
  return v;
}

FilterValue list_value(const Token& token) {
  FilterValue v;
  v.kind = FilterValue::Kind::kList;
  v.list = parse_list(token.text);
  return v;
}

bool is_numeric_assessment_comparator(const std::string& c) {
  return c == ">" || c == ">=" || c == "<" || c == "<=";
}

// SearchTraceUtils._validate_assessment_comparison_value: feedback and expectation values are
// numbers exactly for the ordering comparators (as written, not upper-cased).
void check_assessment_value(EntityType type, const std::string& comparator, const Token& token) {
  if (type != EntityType::kFeedback && type != EntityType::kExpectation) return;
  const bool numeric = is_numeric_assessment_comparator(comparator);
  const std::string name = entity_name(type);
  const std::string message = numeric ? "Expected a numeric value for " + name +
                                            " when using comparator '" + comparator +
                                            "'. Got value " + token.text
                                      : "Expected a quoted string value for " + name +
                                            " (e.g. 'my-value'). Got value " + token.text;
  const bool stringish = token.kind == Tok::kString || token.kind == Tok::kIdentifier;
  if (stringish ? numeric : token.kind != Tok::kNumber || !numeric) invalid(message);
}

// SearchTraceUtils._get_value.
FilterValue trace_value(EntityType type, const std::string& key, const Token& token) {
  const bool stringish = token.kind == Tok::kString || token.kind == Tok::kIdentifier;
  if (stringish) return string_value(token.text);
  const std::string name = entity_name(type);
  switch (type) {
    case EntityType::kTag:
    case EntityType::kSpan:
      if (token.kind == Tok::kParen) return list_value(token);
      break;
    case EntityType::kAttribute:
      if (token.kind == Tok::kParen) {
        if (!contains(kTraceListKeys, key)) {
          invalid("Only attributes in " + python_set_repr(kTraceListKeys) +
                  " supports comparison with a list of quoted string values.");
        }
        return list_value(token);
      }
      if (token.kind == Tok::kNumber) {
        if (!contains(kTraceNumericKeys, key)) {
          invalid("Only the '" + python_set_repr(kTraceNumericKeys) +
                  "' attributes support comparison with numeric values.");
        }
        return number_value(token);
      }
      invalid(
          "Expected a quoted string value or a list of quoted string values for attributes. "
          "Got value " +
          token.text);
    case EntityType::kFeedback:
    case EntityType::kExpectation:
      if (token.kind == Tok::kNumber) return number_value(token);
      invalid("Expected a quoted string value or numeric value for " + name +
              " (e.g. 'my-value' or 0.8). Got value " + token.text);
    default:
      break;
  }
  invalid("Expected a quoted string value for " + name + " (e.g. 'my-value'). Got value " +
          token.text);
}

// SearchTraceUtils.is_span's checks as _get_comparison makes them (comparator as written).
void check_span_key(const std::string& key, const std::string& comparator) {
  static const std::vector<std::string> kComparators = {"!=",   "=",     "IN",   "NOT IN",
                                                        "LIKE", "ILIKE", "RLIKE"};
  if (key.rfind("attributes.", 0) == 0 || key == "name" || key == "type" || key == "status") {
    if (key == "attributes.") {
      invalid("Span attribute name cannot be empty after 'attributes.'");
    }
    if (!contains(kComparators, comparator)) {
      invalid("span." + key + " comparator '" + comparator + "' not one of '" +
              python_set_repr(kComparators) + "'");
    }
    return;
  }
  if (key == "content") {
    if (comparator != "LIKE" && comparator != "ILIKE") {
      invalid("span." + key + " comparator '" + comparator + "' not one of '{'LIKE', 'ILIKE'}'");
    }
    return;
  }
  invalid("Invalid span attribute '" + key +
          "'. Supported attributes: name, status, type, attributes.<attribute_name>.");
}

// SearchTraceUtils._replace_key_to_tag_or_metadata: search keys that live elsewhere. Span keys
// have their own namespace; the others are matched lower-cased, whatever their entity type.
void replace_trace_key(EntityType* type, std::string* key) {
  if (*type == EntityType::kSpan) return;
  const std::string lower = to_lower(*key);
  if (lower == "name") {
    *type = EntityType::kTag;
    *key = "mlflow.traceName";
  } else if (lower == "prompt") {
    *type = EntityType::kTag;
    *key = "mlflow.linkedPrompts";
  } else if (lower == "run_id") {
    *type = EntityType::kMetadata;
    *key = "mlflow.sourceRun";
  } else if (lower == "text") {
    *type = EntityType::kSpan;
    *key = "content";
  } else if (lower == "timestamp") {
    *key = "timestamp_ms";
  } else if (lower == "execution_time") {
    *key = "execution_time_ms";
  } else if (lower == "end_time") {
    *key = "end_time_ms";
  }
}

// ---- statement structure ----

struct Group {
  // A comparison: 2 tokens (identifier, IS [NOT] NULL) or 3 (left, comparator, right).
  std::vector<Token> tokens;
  std::string comparator;
};

bool is_operand(const Token& t) {
  return t.kind == Tok::kIdentifier || t.kind == Tok::kString || t.kind == Tok::kNumber ||
         t.kind == Tok::kParen || t.kind == Tok::kFunction;
}

bool is_keyword(const Token& t, const char* word) {
  return t.kind == Tok::kKeyword && to_upper(t.text) == word;
}

bool numeric_operator(const std::string& c) {
  return c == "=" || c == "!=" || c == ">" || c == ">=" || c == "<" || c == "<=";
}

std::vector<FilterClause> parse_filter(const Dialect& d, const std::string& filter) {
  if (filter.empty()) return {};
  std::vector<Token> all = tokenize(filter, d.traces);
  // sqlparse splits statements at ';': anything after one makes a second statement.
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (all[k].kind == Tok::kOther && all[k].text == ";") {
      for (std::size_t m = k + 1; m < all.size(); ++m) {
        if (all[m].kind != Tok::kSpace) {
          invalid("Search filter contained multiple expression " + python_repr(filter) +
                  ". Provide AND-ed expression list.");
        }
      }
    }
  }
  std::vector<Token> t;
  for (auto& tok : all) {
    if (tok.kind != Tok::kSpace) t.push_back(std::move(tok));
  }
  std::vector<Group> groups;
  std::vector<std::string> invalids;
  std::size_t i = 0;
  while (i < t.size()) {
    const std::size_t left = t.size() - i;
    if (t[i].kind == Tok::kIdentifier && left >= 3) {
      if (is_keyword(t[i + 1], "IN") && t[i + 2].kind == Tok::kParen) {
        groups.push_back({{t[i], t[i + 2]}, t[i + 1].text});
        i += 3;
        continue;
      }
      if (is_keyword(t[i + 1], "IS") && is_keyword(t[i + 2], "NULL")) {
        groups.push_back({{t[i]}, "IS NULL"});
        i += 3;
        continue;
      }
      if (is_keyword(t[i + 1], "IS") && t[i + 2].kind == Tok::kKeyword &&
          to_upper(t[i + 2].text) == "NOT NULL") {
        groups.push_back({{t[i]}, "IS NOT NULL"});
        i += 3;
        continue;
      }
      if (left >= 4 && is_keyword(t[i + 1], "NOT") && is_keyword(t[i + 2], "IN") &&
          t[i + 3].kind == Tok::kParen) {
        groups.push_back({{t[i], t[i + 3]}, "NOT IN"});
        i += 4;
        continue;
      }
    }
    // Trace search joins a bare `timestamp` (a type name to sqlparse, never an identifier)
    // with a numeric comparator and an integer into a comparison.
    if (d.traces && left >= 3 && t[i].kind == Tok::kBuiltin && t[i].text == "timestamp" &&
        t[i + 1].kind == Tok::kComparator && numeric_operator(t[i + 1].text) &&
        t[i + 2].kind == Tok::kNumber && t[i + 2].integer) {
      groups.push_back({{Token{Tok::kIdentifier, t[i].text}, t[i + 2]}, t[i + 1].text});
      i += 3;
      continue;
    }
    if (left >= 3 && is_operand(t[i]) && t[i + 1].kind == Tok::kComparator &&
        (is_operand(t[i + 2]) || is_keyword(t[i + 2], "NULL"))) {
      groups.push_back({{t[i], t[i + 2]}, t[i + 1].text});
      i += 3;
      continue;
    }
    if (!is_keyword(t[i], "AND")) invalids.push_back(t[i].text);
    ++i;
  }
  if (!invalids.empty()) {
    std::string list;
    for (std::size_t k = 0; k < invalids.size(); ++k) {
      if (k > 0) list += ", ";
      // Runs quote each clause; experiments print them bare.
      list += d.experiments ? invalids[k] : "'" + invalids[k] + "'";
    }
    invalid("Invalid clause(s) in filter string: " + list);
  }

  std::vector<FilterClause> clauses;
  for (const Group& g : groups) {
    const Token& lhs = g.tokens[0];
    if (lhs.kind != Tok::kIdentifier) {
      invalid("Invalid comparison clause. Expected 'Identifier' found '" + lhs.text + "'");
    }
    const Identifier id = get_identifier(d, lhs.text, *d.search_keys);
    FilterClause c;
    c.type = id.type;
    c.key = id.key;
    c.comparator = g.comparator;
    if (d.traces) {
      if (g.tokens.size() == 2) {
        check_assessment_value(c.type, c.comparator, g.tokens[1]);
        c.value = trace_value(c.type, c.key, g.tokens[1]);
        if (c.type == EntityType::kSpan) check_span_key(c.key, c.comparator);
      }
      replace_trace_key(&c.type, &c.key);
    } else if (g.tokens.size() == 1) {
      if (d.registry) {
        invalid("IS NULL / IS NOT NULL is not supported for registered model search.");
      }
      if (d.experiments && c.type != EntityType::kTag) {
        invalid("IS NULL / IS NOT NULL is only supported for tags, not for attribute '" + c.key +
                "'");
      }
      if (!d.experiments && c.type != EntityType::kTag && c.type != EntityType::kParam) {
        invalid(std::string("IS NULL / IS NOT NULL is only supported for tags and params, not "
                            "for '") +
                entity_name(c.type) + "' '" + c.key + "'");
      }
    } else {
      c.value = get_value(d, c.type, c.key, g.tokens[1]);
    }
    clauses.push_back(std::move(c));
  }
  return clauses;
}

// ---- order_by ----

[[noreturn]] void unparsable_order_by(const std::string& order_by) {
  invalid("Invalid order_by clause '" + order_by + "'. Could not be parsed.");
}

// shlex.split (POSIX mode) of an order_by clause whose backticks were made double quotes.
std::vector<std::string> shell_split(const std::string& s, const std::string& order_by) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\'' || c == '"') {
      const std::size_t end = s.find(c, i + 1);
      if (end == std::string::npos) unparsable_order_by(order_by);
      cur += s.substr(i + 1, end - i - 1);
      i = end + 1;
      continue;
    }
    if (c == '\\' && i + 1 < s.size()) {
      cur += s[i + 1];
      i += 2;
      continue;
    }
    cur += c;
    ++i;
  }
  if (in_word) out.push_back(cur);
  return out;
}

OrderByClause parse_order_by(const Dialect& d, const std::string& order_by) {
  const std::vector<Token> t = tokenize(order_by);
  // sqlparse must see one identifier, optionally followed by ASC/DESC or an alias name.
  const bool single = t.size() == 1 && t[0].kind == Tok::kIdentifier;
  const bool with_suffix =
      t.size() == 3 && t[0].kind == Tok::kIdentifier && t[1].kind == Tok::kSpace &&
      ((t[2].kind == Tok::kIdentifier && t[2].text.find('.') == std::string::npos) ||
       (t[2].kind == Tok::kKeyword &&
        (to_upper(t[2].text) == "ASC" || to_upper(t[2].text) == "DESC")));
  if (!single && !with_suffix) unparsable_order_by(order_by);
  std::string text = order_by;
  std::replace(text.begin(), text.end(), '`', '"');
  std::vector<std::string> parts = shell_split(text, order_by);
  if (parts.empty() || parts.size() > 2) unparsable_order_by(order_by);
  OrderByClause out;
  if (parts.size() == 2) {
    const std::string dir = to_lower(parts[1]);
    if (dir != "asc" && dir != "desc") {
      invalid("Invalid ordering key in order_by clause '" + order_by + "'.");
    }
    out.ascending = dir == "asc";
  }
  const Identifier id = get_identifier(d, parts[0], *d.order_by_keys);
  out.type = id.type;
  out.key = id.key;
  if (d.traces) replace_trace_key(&out.type, &out.key);
  return out;
}

}  // namespace

const char* entity_name(EntityType type) noexcept {
  static constexpr EnumName<EntityType> kNames[] = {
      {EntityType::kMetric, "metric"},
      {EntityType::kParam, "parameter"},
      {EntityType::kTag, "tag"},
      {EntityType::kAttribute, "attribute"},
      {EntityType::kDataset, "dataset"},
      {EntityType::kMetadata, "request_metadata"},
      {EntityType::kSpan, "span"},
      {EntityType::kFeedback, "feedback"},
      {EntityType::kExpectation, "expectation"},
      {EntityType::kIssue, "issue"},
  };
  return name_in(kNames, type, "attribute");
}

std::vector<FilterClause> parse_traces_filter(const std::string& filter) {
  return parse_filter(kTraces, filter);
}

OrderByClause parse_traces_order_by(const std::string& order_by) {
  return parse_order_by(kTraces, order_by);
}

std::vector<FilterClause> parse_runs_filter(const std::string& filter) {
  return parse_filter(kRuns, filter);
}

std::vector<FilterClause> parse_experiments_filter(const std::string& filter) {
  return parse_filter(kExperiments, filter);
}

std::vector<FilterClause> parse_registered_models_filter(const std::string& filter) {
  return parse_filter(kRegisteredModels, filter);
}

std::vector<FilterClause> parse_model_versions_filter(const std::string& filter) {
  return parse_filter(kModelVersions, filter);
}

OrderByClause parse_registered_models_order_by(const std::string& order_by) {
  return parse_order_by(kRegisteredModels, order_by);
}

OrderByClause parse_model_versions_order_by(const std::string& order_by) {
  return parse_order_by(kModelVersions, order_by);
}

OrderByClause parse_runs_order_by(const std::string& order_by) {
  return parse_order_by(kRuns, order_by);
}

OrderByClause parse_experiments_order_by(const std::string& order_by) {
  return parse_order_by(kExperiments, order_by);
}

}  // namespace mlflow::internal::sqlite_search
