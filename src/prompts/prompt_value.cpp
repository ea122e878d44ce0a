// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "mlflow/prompt_value.hpp"

#include "core/strings.hpp"
#include "prompts/python_json.hpp"

namespace mlflow {

PromptValue PromptValue::list(std::vector<PromptValue> items) {
  PromptValue v;
  v.kind_ = Kind::kList;
  v.items_ = std::move(items);
  return v;
}

PromptValue PromptValue::map(const std::vector<std::pair<std::string, PromptValue>>& entries) {
  PromptValue v;
  v.kind_ = Kind::kMap;
  for (const auto& [key, value] : entries) {
    bool replaced = false;
    for (std::size_t i = 0; i < v.keys_.size(); ++i) {
      if (v.keys_[i] == key) {
        v.items_[i] = value;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      v.keys_.push_back(key);
      v.items_.push_back(value);
    }
  }
  return v;
}

const PromptValue* PromptValue::find(const std::string& key) const noexcept {
  if (kind_ != Kind::kMap) return nullptr;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

std::string PromptValue::repr() const {
  switch (kind_) {
    case Kind::kString:
      return internal::python_repr(string_);
    case Kind::kList: {
      std::string out = "[";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        out += items_[i].repr();
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        out += internal::python_repr(keys_[i]) + ": " + items_[i].repr();
      }
      return out + "}";
    }
    default:
      return str();
  }
}

std::string PromptValue::str() const {
  switch (kind_) {
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return int_ ? "True" : "False";
    case Kind::kInt:
      return std::to_string(int_);
    case Kind::kFloat:
      return internal::pyjson::float_repr(float_);
    case Kind::kString:
      return string_;
    default:
      return repr();
  }
}

bool operator==(const PromptValue& a, const PromptValue& b) noexcept {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case PromptValue::Kind::kNone:
      return true;
    case PromptValue::Kind::kBool:
    case PromptValue::Kind::kInt:
      return a.int_ == b.int_;
    case PromptValue::Kind::kFloat:
      return a.float_ == b.float_;
    case PromptValue::Kind::kString:
      return a.string_ == b.string_;
    default:
      return a.keys_ == b.keys_ && a.items_ == b.items_;
  }
}

}  // namespace mlflow
