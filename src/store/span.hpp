// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A read-only view of contiguous elements (C++17 has no std::span). Lets MlflowClient hand
// slices of a large log_batch to a store without copying metrics.

#include <cstddef>
#include <initializer_list>
#include <vector>

namespace mlflow::internal {

template <typename T>
class Span {
 public:
  Span() = default;
  Span(const T* data, std::size_t size) : data_(data), size_(size) {}
  Span(const std::vector<T>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT: implicit
  // For brace lists written in a call, `store.log_batch(id, {m}, {}, {})`: the list's array
  // lives until the end of that full-expression, which outlasts the call. GCC cannot see that
  // and warns; a Span made this way must never be stored.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  Span(std::initializer_list<T> list) : data_(list.begin()), size_(list.size()) {}  // NOLINT
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  Span subspan(std::size_t offset, std::size_t count) const noexcept {
    return Span(data_ + offset, count);
  }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace mlflow::internal
