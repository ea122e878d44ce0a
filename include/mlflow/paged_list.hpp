// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// PagedList (one page of results, like Python's PagedList) and PageRange (a lazy range over
/// every page).

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mlflow {

/// One page of search results. `token` is the next page token; empty on the last page.
template <typename T>
struct PagedList {
  std::vector<T> items;
  std::string token;

  std::size_t size() const noexcept { return items.size(); }
  bool empty() const noexcept { return items.empty(); }
  const T& operator[](std::size_t i) const { return items[i]; }
  typename std::vector<T>::const_iterator begin() const noexcept { return items.begin(); }
  typename std::vector<T>::const_iterator end() const noexcept { return items.end(); }
  /// True when more pages follow.
  bool has_next_page() const noexcept { return !token.empty(); }
};

/// A lazy input range over every item of every page. Pages are fetched on demand as the
/// iteration advances; a failing fetch throws from `operator++` / `begin()`.
///
///   for (const mlflow::Run& run : client.search_runs_all({"1"})) { ... }
template <typename T>
class PageRange {
 public:
  /// Fetches the page that starts at `page_token` ("" = first page).
  using Fetch = std::function<PagedList<T>(const std::string& page_token)>;

  explicit PageRange(Fetch fetch) : fetch_(std::move(fetch)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    iterator() = default;
    reference operator*() const { return state_->page.items[state_->index]; }
    pointer operator->() const { return &state_->page.items[state_->index]; }
    iterator& operator++() {
      if (++state_->index >= state_->page.items.size()) advance_page();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.state_ == b.state_;
    }
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class PageRange;
    struct State {
      Fetch fetch;
      PagedList<T> page;
      std::size_t index = 0;
    };
    explicit iterator(Fetch fetch) : state_(std::make_shared<State>()) {
      state_->fetch = std::move(fetch);
      state_->page = state_->fetch("");
      if (state_->page.items.empty()) advance_page();
    }
    // Skips empty pages (a server may return an empty page with a token); becomes end().
    void advance_page() {
      while (true) {
        if (state_->page.token.empty()) {
          state_.reset();
          return;
        }
        state_->page = state_->fetch(state_->page.token);
        state_->index = 0;
        if (!state_->page.items.empty()) return;
      }
    }
    std::shared_ptr<State> state_;
  };

  iterator begin() const { return iterator(fetch_); }
  iterator end() const noexcept { return iterator(); }

  /// Reads every page into one vector.
  std::vector<T> to_vector() const {
    std::vector<T> out;
    for (auto it = begin(); it != end(); ++it) out.push_back(*it);
    return out;
  }

 private:
  Fetch fetch_;
};

}  // namespace mlflow
