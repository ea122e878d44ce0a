// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// LLM token pricing for traces: dated prices per model (as Langfuse's model price tables),
/// applied to spans that carry token usage, recorded as MLflow's own `mlflow.llm.cost` span
/// attribute (which the trace's `mlflow.trace.cost` and the UI's cost views read). See
/// docs/adr/0027-governance.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlflow/tracing.hpp"

namespace mlflow::governance {

/// The price of a model's tokens from a date on, in USD per million tokens.
struct TokenPrice {
  std::string model;
  /// "YYYY-MM-DD" (UTC): the first day the price applies; empty = since always.
  std::string effective_from;
  double input_per_million = 0.0;
  double output_per_million = 0.0;
  /// Cached input tokens (TokenUsage::cache_read_input_tokens); the input price when unset.
  std::optional<double> cached_input_per_million = std::nullopt;
};

/// Dated token prices by model. Not thread-safe to add() while pricing; build it first.
class LlmPriceTable {
 public:
  /// Adds a price; throws InvalidArgument for an empty model, a date not YYYY-MM-DD or a
  /// negative price, AlreadyExists for a second price of the same model and date.
  void add(TokenPrice price);
  /// The price of `model` on `date` ("YYYY-MM-DD"): the entry with the latest
  /// effective_from not after it; std::nullopt when none applies.
  std::optional<TokenPrice> price_on(const std::string& model, const std::string& date) const;
  /// The cost of `usage` with the price of `model` on `date`: input tokens less the cached
  /// ones at the input price, cached ones at the cached price, output at the output price.
  std::optional<LlmCost> cost_of(const std::string& model, const TokenUsage& usage,
                                 const std::string& date) const;

 private:
  std::map<std::string, std::vector<TokenPrice>> prices_;  // each sorted by effective_from
};

/// Today's date in UTC, "YYYY-MM-DD".
std::string utc_date_today();

/// Prices a span: reads its `mlflow.llm.model` and `mlflow.chat.tokenUsage` and sets
/// `mlflow.llm.cost` (as Python's set_span_cost_attribute: never over a cost already set).
/// False when the span is inert, has no model or usage, already has a cost, or the table has
/// no price for the model on `date` (today when empty).
bool price_llm_span(LiveSpan& span, const LlmPriceTable& prices, const std::string& date = {});

}  // namespace mlflow::governance
