// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Governance attribution: GENOPS_* variables, merging, genops.* tags, per-thread scopes.
#include "core/config.hpp"
#include "mlflow/governance_attributes.hpp"

namespace mlflow::governance {
namespace {

// The named fields, in tag order: the one table from_env, get, merged_with and to_tags read.
struct Field {
  const char* name;
  const char* env;
  std::string Attributes::*member;
};
constexpr Field kFields[] = {
    {"team", "GENOPS_TEAM", &Attributes::team},
    {"project", "GENOPS_PROJECT", &Attributes::project},
    {"customer_id", "GENOPS_CUSTOMER_ID", &Attributes::customer_id},
    {"environment", "GENOPS_ENVIRONMENT", &Attributes::environment},
    {"cost_center", "GENOPS_COST_CENTER", &Attributes::cost_center},
    {"feature", "GENOPS_FEATURE", &Attributes::feature},
};

thread_local std::shared_ptr<const Attributes> t_scoped;

}  // namespace

Attributes Attributes::from_env() {
  const internal::EnvLookup env = internal::process_env();
  Attributes attributes;
  for (const Field& field : kFields) {
    attributes.*field.member = env(field.env).value_or("");
  }
  return attributes;
}

Attributes Attributes::merged_with(const Attributes& overrides) const {
  Attributes merged = *this;
  for (const Field& field : kFields) {
    if (!(overrides.*field.member).empty()) merged.*field.member = overrides.*field.member;
  }
  for (const auto& [key, value] : overrides.extras) merged.extras[key] = value;
  return merged;
}

std::string Attributes::get(const std::string& name) const {
  for (const Field& field : kFields) {
    if (name == field.name) return this->*field.member;
  }
  const auto extra = extras.find(name);
  return extra == extras.end() ? std::string() : extra->second;
}

std::vector<std::pair<std::string, std::string>> Attributes::to_tags() const {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const Field& field : kFields) {
    const std::string& value = this->*field.member;
    if (!value.empty()) tags.emplace_back(std::string(kTagPrefix) + field.name, value);
  }
  for (const auto& [key, value] : extras) {
    if (!value.empty()) tags.emplace_back(kTagPrefix + key, value);
  }
  return tags;
}

bool Attributes::empty() const {
  for (const Field& field : kFields) {
    if (!(this->*field.member).empty()) return false;
  }
  return extras.empty();
}

AttributionScope::AttributionScope(const Attributes& overrides) : previous_(t_scoped) {
  t_scoped =
      std::make_shared<const Attributes>(previous_ ? previous_->merged_with(overrides) : overrides);
}

AttributionScope::~AttributionScope() { t_scoped = std::move(previous_); }

std::shared_ptr<const Attributes> scoped_attributes() noexcept { return t_scoped; }

}  // namespace mlflow::governance
