// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// append_to_uri_path with the urllib.parse rules Python's version relies on (CPython 3.11).

#include "fluent/artifact_uri.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "artifacts/artifact_path.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

// Schemes urllib writes with "//" even when the netloc is empty (urllib.parse.uses_netloc).
constexpr std::string_view kUsesNetloc[] = {
    "",        "ftp",   "http",  "gopher", "nntp",     "telnet", "imap",  "wais",         "file",
    "mms",     "https", "shttp", "snews",  "prospero", "rtsp",   "rtspu", "rsync",        "svn",
    "svn+ssh", "sftp",  "nfs",   "git",    "git+ssh",  "ws",     "wss",   "itms-services"};
// Schemes whose last path segment carries ";params" (urllib.parse.uses_params).
constexpr std::string_view kUsesParams[] = {"",     "ftp",   "hdl",   "prospero", "http",
                                            "imap", "https", "shttp", "rtsp",     "rtspu",
                                            "sip",  "sips",  "mms",   "sftp",     "tel"};

template <std::size_t N>
bool contains(const std::string_view (&list)[N], const std::string& value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

struct ParsedUri {
  std::string scheme;
  std::optional<std::string> netloc;  // set when the URI had "//"
  std::string path;
  std::string params;
  std::string query;
  std::string fragment;
};

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

// Python's _decode: unquotes until the text no longer changes.
std::string decode_fully(std::string text) {
  for (int i = 0; i < 10; ++i) {
    std::string next = percent_decode(text);
    if (next == text) break;
    text = std::move(next);
  }
  return text;
}

// urllib.parse.urlparse.
ParsedUri parse(std::string rest) {
  ParsedUri out;
  const auto colon = rest.find(':');
  if (colon != std::string::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(rest[0])) != 0 &&
      std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(colon),
                  is_scheme_char)) {
    out.scheme = rest.substr(0, colon);
    std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    rest = rest.substr(colon + 1);
  }
  if (rest.compare(0, 2, "//") == 0) {
    const auto end = rest.find_first_of("/?#", 2);
    out.netloc = rest.substr(2, end == std::string::npos ? std::string::npos : end - 2);
    rest = end == std::string::npos ? std::string() : rest.substr(end);
  }
  if (const auto hash = rest.find('#'); hash != std::string::npos) {
    out.fragment = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (const auto question = rest.find('?'); question != std::string::npos) {
    out.query = rest.substr(question + 1);
    rest.resize(question);
  }
  if (contains(kUsesParams, out.scheme) && rest.find(';') != std::string::npos) {
    const auto slash = rest.rfind('/');
    const auto semicolon = rest.find(';', slash == std::string::npos ? 0 : slash);
    if (semicolon != std::string::npos) {
      out.params = rest.substr(semicolon + 1);
      rest.resize(semicolon);
    }
  }
  out.path = rest;
  return out;
}

// urllib.parse.urlunparse.
std::string unparse(const ParsedUri& uri) {
  std::string url = uri.path;
  if (!uri.params.empty()) url += ";" + uri.params;
  const bool has_netloc = uri.netloc && !uri.netloc->empty();
  if (has_netloc ||
      (!uri.scheme.empty() && contains(kUsesNetloc, uri.scheme) && url.compare(0, 2, "//") != 0)) {
    if (!url.empty() && url[0] != '/') url = "/" + url;
    url = "//" + uri.netloc.value_or("") + url;
  }
  if (!uri.scheme.empty()) url = uri.scheme + ":" + url;
  if (!uri.query.empty()) url += "?" + uri.query;
  if (!uri.fragment.empty()) url += "#" + uri.fragment;
  return url;
}

// posixpath.join(prefix, suffix) after dropping the suffix's leading slashes; an empty prefix
// gives the suffix unchanged (_join_posixpaths_and_append_absolute_suffixes).
std::string join_appending(const std::string& prefix, const std::string& suffix) {
  if (prefix.empty()) return suffix;
  const auto first = suffix.find_first_not_of('/');
  const std::string relative = first == std::string::npos ? std::string() : suffix.substr(first);
  if (prefix.back() == '/') return prefix + relative;
  return prefix + "/" + relative;
}

}  // namespace

std::string append_to_uri_path(const std::string& uri, const std::string& path) {
  ParsedUri parsed = parse(uri);
  // validate_query_string: a ".." in the (decoded) query could be resolved as part of the path.
  if (decode_fully(parsed.query).find("..") != std::string::npos) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Invalid query string '" + parsed.query +
                    "' in the artifact URI: it must not contain '..' (path traversal).");
  }
  if (parsed.scheme.empty()) return join_appending(uri, path);
  std::string prefix;
  if (parsed.path.empty() || parsed.path[0] != '/') {
    // urlunparse would turn "file:rel" into "file:///rel"; keep the relative form as Python.
    prefix = parsed.scheme + ":";
    parsed.scheme.clear();
  }
  parsed.path = join_appending(parsed.path, path);
  return prefix + unparse(parsed);
}

}  // namespace mlflow::internal
