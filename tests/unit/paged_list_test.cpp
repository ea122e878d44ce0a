// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/paged_list.hpp"

#include <gtest/gtest.h>

#include <map>

namespace mlflow {
namespace {

TEST(PageRange, IteratesEveryPageLazilyAndSkipsEmptyPages) {
  std::map<std::string, PagedList<int>> pages{
      {"", {{1, 2}, "a"}}, {"a", {{}, "b"}}, {"b", {{3}, "c"}}, {"c", {{4, 5}, ""}}};
  std::vector<std::string> fetched;
  PageRange<int> range([&](const std::string& token) {
    fetched.push_back(token);
    return pages.at(token);
  });
  EXPECT_TRUE(fetched.empty());  // nothing fetched before iteration starts
  std::vector<int> items;
  for (int v : range) items.push_back(v);
  EXPECT_EQ(items, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(fetched, (std::vector<std::string>{"", "a", "b", "c"}));
}

TEST(PageRange, EmptyResult) {
  PageRange<int> range([](const std::string&) { return PagedList<int>{}; });
  EXPECT_TRUE(range.begin() == range.end());
  EXPECT_TRUE(range.to_vector().empty());
}

TEST(PageRange, FetchErrorsPropagate) {
  PageRange<int> range([](const std::string& token) -> PagedList<int> {
    if (token.empty()) return {{1}, "next"};
    throw std::runtime_error("boom");
  });
  auto it = range.begin();
  EXPECT_EQ(*it, 1);
  EXPECT_THROW(++it, std::runtime_error);
}

}  // namespace
}  // namespace mlflow
