// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The layer rules of issue 10 (ADR 0013, ADR 0016) checked over the source tree, so that a
// change breaking one fails here rather than in a later review: public headers name no
// library-internal type, nothing above the stores casts to a concrete store, and the async
// layer includes nothing of the client.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/test_env.hpp"

namespace fs = std::filesystem;
using mlflow::testing::file_bytes;
using mlflow::testing::source_dir;

namespace {

// "path:line: text" of every line of the C++ files under `folder` matching `pattern`.
std::vector<std::string> matching_lines(const std::string& folder, const std::regex& pattern) {
  std::vector<std::string> hits;
  const fs::path root = fs::path(source_dir()) / folder;
  EXPECT_TRUE(fs::is_directory(root)) << root;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".hpp" && ext != ".cpp")) continue;
    const std::string text = file_bytes(entry.path().string());
    std::size_t start = 0;
    for (int line = 1; start <= text.size(); ++line) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string content = text.substr(start, end - start);
      if (std::regex_search(content, pattern)) {
        hits.push_back(entry.path().string() + ":" + std::to_string(line) + ": " + content);
      }
      start = end + 1;
    }
  }
  return hits;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST(Layering, PublicHeadersNameNoInternalNamespace) {
  const auto hits = matching_lines("include/mlflow", std::regex("internal::"));
  EXPECT_TRUE(hits.empty()) << joined(hits);
}

TEST(Layering, NothingAboveTheStoresCastsToAConcreteStore) {
  const std::regex cast(R"((dynamic|static)_(pointer_)?cast\s*<[^>]*(Rest|Sqlite)\w*Store)");
  for (const char* folder :
       {"src/client", "src/fluent", "src/async", "src/artifacts", "src/tracing", "src/prompts",
        "src/store", "src/system_metrics", "tools"}) {
    const auto hits = matching_lines(folder, cast);
    EXPECT_TRUE(hits.empty()) << joined(hits);
  }
}

TEST(Layering, AsyncLayerIncludesNothingOfTheClient) {
  const auto hits = matching_lines("src/async", std::regex(R"(#include\s+"client/)"));
  EXPECT_TRUE(hits.empty()) << joined(hits);
}
