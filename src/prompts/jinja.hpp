// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

// A Jinja2 subset for prompt templates, rendering as Python's jinja2 SandboxedEnvironment
// with default settings (Undefined renders as "", one trailing newline dropped, no autoescape)
// renders. Anything outside the subset throws InvalidArgument naming the construct, never a
// silently different text.
//
// Supported: {{ expr }}, {% if/elif/else/endif %}, {% for x in xs %} / {% for k, v in
// d.items() %} with {% else %} and loop.index/index0/revindex/revindex0/first/last/length,
// {% set x = expr %}, {# comments #}, whitespace control (-), literals, a.b / a['b'] / a[0],
// + - * / // % ** ~, comparisons, in / not in, and/or/not, inline if/else, list literals,
// range(), d.items()/keys()/values()/get(), s.upper()/lower()/strip(), tests (defined,
// undefined, none, number, string, mapping, even, odd, divisibleby, true, false, boolean,
// integer, float, lower, upper) and the filters listed in jinja_filters.cpp.

#include <string>

#include "mlflow/prompt_value.hpp"

namespace mlflow::internal::jinja {

/// Renders `source` with `values` as the template's variables.
std::string render(const std::string& source, const PromptValues& values);

}  // namespace mlflow::internal::jinja
