// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// libFuzzer entry point for the search translator (clang only; not built by default):
//   clang++ -std=c++17 -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
//     tests/fuzz/search_filter_fuzzer.cpp src/sqlite/search_filter.cpp src/sqlite/search_sql.cpp \
//     src/core/errors.cpp src/core/enums.cpp -o search_filter_fuzzer
// The first byte picks runs or experiments and whether the rest is also an order_by clause.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mlflow/errors.hpp"
#include "sqlite/search_sql.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mlflow::internal::sqlite_search;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    std::vector<std::string> order_by;
    if (mode & 2) order_by.push_back(text);
    if (mode & 1) {
      (void)build_search_experiments_query(mlflow::ViewType::kAll, text, order_by, 0, 10);
    } else {
      (void)build_search_runs_query({"1"}, mlflow::ViewType::kAll, text, order_by, 0, 10);
    }
    (void)decode_page_token(text);
  } catch (const mlflow::MlflowException&) {
  }
  return 0;
}
