// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// Dated LLM token prices and their application to spans (mlflow.llm.cost).
#include <algorithm>
#include <cmath>

#include "governance/calendar.hpp"
#include "mlflow/errors.hpp"
#include "mlflow/governance_llm_pricing.hpp"
#include "mlflow/span_data.hpp"

namespace mlflow::governance {
namespace {

void require_price(double price, const char* field, const std::string& model) {
  if (!std::isfinite(price) || price < 0) {
    throw_error(ErrorCode::kInvalidParameterValue, std::string("Token price of model '") + model +
                                                       "': " + field +
                                                       " must be a finite price >= 0 (USD per "
                                                       "million tokens).");
  }
}

std::int64_t token_count(const JsonValue& usage, const char* key) {
  const JsonValue* value = usage.find(key);
  return value != nullptr && value->is_number() ? static_cast<std::int64_t>(value->as_double()) : 0;
}

}  // namespace

void LlmPriceTable::add(TokenPrice price) {
  if (price.model.empty()) {
    throw_error(ErrorCode::kInvalidParameterValue, "A token price needs the model's name.");
  }
  if (!price.effective_from.empty() && !internal::is_date(price.effective_from)) {
    throw_error(ErrorCode::kInvalidParameterValue,
                "Token price of model '" + price.model + "': effective_from '" +
                    price.effective_from + "' is not a date YYYY-MM-DD (UTC).");
  }
  require_price(price.input_per_million, "input_per_million", price.model);
  require_price(price.output_per_million, "output_per_million", price.model);
  if (price.cached_input_per_million) {
    require_price(*price.cached_input_per_million, "cached_input_per_million", price.model);
  }
  auto& entries = prices_[price.model];
  const auto at = std::lower_bound(
      entries.begin(), entries.end(), price.effective_from,
      [](const TokenPrice& entry, const std::string& date) { return entry.effective_from < date; });
  if (at != entries.end() && at->effective_from == price.effective_from) {
    throw_error(ErrorCode::kResourceAlreadyExists,
                "Model '" + price.model + "' already has a token price from '" +
                    price.effective_from + "'; give the new price another effective_from date.");
  }
  entries.insert(at, std::move(price));
}

std::optional<TokenPrice> LlmPriceTable::price_on(const std::string& model,
                                                  const std::string& date) const {
  const auto found = prices_.find(model);
  if (found == prices_.end()) return std::nullopt;
  const TokenPrice* applying = nullptr;
  for (const TokenPrice& entry : found->second) {
    if (entry.effective_from <= date) applying = &entry;
  }
  if (applying == nullptr) return std::nullopt;
  return *applying;
}

std::optional<LlmCost> LlmPriceTable::cost_of(const std::string& model, const TokenUsage& usage,
                                              const std::string& date) const {
  const std::optional<TokenPrice> price = price_on(model, date);
  if (!price) return std::nullopt;
  const std::int64_t cached =
      std::clamp<std::int64_t>(usage.cache_read_input_tokens.value_or(0), 0, usage.input_tokens);
  const double cached_price = price->cached_input_per_million.value_or(price->input_per_million);
  LlmCost cost;
  cost.input_cost = (static_cast<double>(usage.input_tokens - cached) * price->input_per_million +
                     static_cast<double>(cached) * cached_price) /
                    1e6;
  cost.output_cost = static_cast<double>(usage.output_tokens) * price->output_per_million / 1e6;
  cost.total_cost = cost.input_cost + cost.output_cost;
  return cost;
}

std::string utc_date_today() { return internal::utc_date(std::chrono::system_clock::now()); }

bool price_llm_span(LiveSpan& span, const LlmPriceTable& prices, const std::string& date) {
  if (!span.is_recording()) return false;
  if (!span.get_attribute(SpanAttributeKey::kLlmCost).is_null()) return false;
  const JsonValue model = span.get_attribute(SpanAttributeKey::kModel);
  const JsonValue usage = span.get_attribute(SpanAttributeKey::kChatUsage);
  if (!model.is_string() || !usage.is_object()) return false;
  TokenUsage tokens;
  tokens.input_tokens = token_count(usage, "input_tokens");
  tokens.output_tokens = token_count(usage, "output_tokens");
  tokens.cache_read_input_tokens = token_count(usage, "cache_read_input_tokens");
  const std::optional<LlmCost> cost =
      prices.cost_of(model.as_string(), tokens, date.empty() ? utc_date_today() : date);
  if (!cost) return false;
  span.set_cost(*cost);
  return true;
}

}  // namespace mlflow::governance
