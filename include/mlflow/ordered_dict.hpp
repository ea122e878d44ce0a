// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// OrderedDict: key/value pairs in the order they were given, as a Python dict keeps them.

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mlflow {

namespace detail {
template <class Range, class V, class = void>
struct is_pair_range : std::false_type {};
template <class Range, class V>
struct is_pair_range<
    Range, V,
    std::void_t<decltype(std::string(std::begin(std::declval<const Range&>())->first)),
                decltype(V(std::begin(std::declval<const Range&>())->second)),
                decltype(std::end(std::declval<const Range&>()))>> : std::true_type {};
}  // namespace detail

/// The argument of the calls whose Python counterpart takes a dict and keeps its insertion
/// order (log_params, log_metrics, set_tags, log_model_params ...): MLflow stores the items in
/// that order, and the UI lists them so. Built from
///   * a braced list: `mlflow::log_params({{"lr", "0.1"}, {"epochs", "10"}, {"batch", "32"}});`
///   * a std::map (its key order, as before this type existed) or any other range of pairs,
///     e.g. a `std::vector<std::pair<std::string, std::string>>` filled in a loop.
/// A repeated key keeps its first place and takes its last value, as in a Python dict literal.
/// Read-only once built: iterate it, or look a key up with find().
template <class V>
class OrderedDict {
 public:
  using key_type = std::string;
  using mapped_type = V;
  using value_type = std::pair<std::string, V>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  OrderedDict() = default;
  OrderedDict(std::initializer_list<value_type> items) { assign(items.begin(), items.end()); }
  template <class Range,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<Range>, OrderedDict> &&
                                     detail::is_pair_range<Range, V>::value>>
  OrderedDict(const Range& items) {  // NOLINT(google-explicit-constructor): std::map callers
    assign(std::begin(items), std::end(items));
  }

  const_iterator begin() const noexcept { return items_.begin(); }
  const_iterator end() const noexcept { return items_.end(); }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  /// The item with `key`, or end().
  const_iterator find(std::string_view key) const {
    for (auto it = items_.begin(); it != items_.end(); ++it) {
      if (it->first == key) return it;
    }
    return items_.end();
  }

 private:
  template <class It>
  void assign(It first, It last) {
    std::unordered_map<std::string, std::size_t> position;
    for (; first != last; ++first) {
      std::string key(first->first);
      const auto [at, inserted] = position.emplace(key, items_.size());
      if (inserted) {
        items_.emplace_back(std::move(key), V(first->second));
      } else {
        items_[at->second].second = V(first->second);
      }
    }
  }

  std::vector<value_type> items_;
};

template <class V>
bool operator==(const OrderedDict<V>& a, const OrderedDict<V>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace mlflow
