#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Writes tests/interop/data/prompt_format_cases.json: the table of PromptVersion.format() cases
that prompt_format_interop_test.cpp renders with mlflow-cpp and prompt_format_interop.py renders
with Python MLflow 3.18, comparing every output and every error/non-error.

Each case: {"id", "template": str | [{"role","content"}...], "values": {...}, "partial": bool}.
Run: python3 tests/interop/gen_prompt_format_cases.py > tests/interop/data/prompt_format_cases.json
"""
import itertools
import json

cases = []


def add(template, values, partial=False, cid=None):
    cases.append({
        "id": cid or f"case{len(cases):03d}",
        "template": template,
        "values": values,
        "partial": partial,
    })


# ---- double-brace templates: whitespace, dotted names, missing/extra, partial -----------------
brace_templates = [
    "Hello {{name}}!",
    "Hello {{ name }}!",
    "Hello {{   name\t}}!",
    "Hello {{\nname\n}}!",
    "Hello {{\u00a0name\u3000}}!",
    "{{name}}{{name}} and {{ name}}",
    "{{ user.name }} from {{user.city}}",
    "{{ a }} {{ b }}",
    "{{ a.b.c }}/{{a.b}}",
    "{{ 1abc }} {{a-b}} {{}} { {a} } {{{a}}} {{ a b }}",
    "no variables at all",
    "",
    "{{ name }}\n",
    "Ünïcödé {{ name }} ✓ 日本",
    "{ {{name}} }",
    "{{name}}} {{{name}}",
]
value_sets = [
    {},
    {"name": "Ann"},
    {"name": "Ann", "extra": "ignored", "more": 3},
    {"user.name": "Bo", "user.city": "Oslo"},
    {"user": {"name": "Bo", "city": "Oslo"}},
    {"a": 1, "b": 2.5},
    {"a": "{{ b }}", "b": "B"},
    {"a.b.c": "x", "a.b": "y"},
    {"a": "C:\\new\\table", "name": "\\1 and \\g<0>"},
    {"name": None, "a": True, "b": False},
    {"name": [1, "two", None, 3.0, {"k": "v"}], "a": {"x": [True]}},
    {"name": 1e-05, "a": 1e16, "b": 0.1},
    {"name": 12345678901234, "a": -0.0, "b": 2.0},
    {"name": "it's \"quoted\"\n", "a": "tab\there"},
]
for template, values, partial in itertools.product(brace_templates, value_sets, [False, True]):
    add(template, values, partial)

# Chat prompts (double-brace).
chat_templates = [
    [{"role": "system", "content": "You are a {{ style }} assistant."},
     {"role": "user", "content": "{{question}}"}],
    [{"role": "user", "content": "Hi {{ user.name }}, \"quote\" and\nnewline {{ x }}"}],
    [{"role": "assistant", "content": "no vars"}],
    [{"role": "user", "content": "{{\nx\n}} and {{ x }}"}],
]
chat_values = [
    {},
    {"style": "friendly", "question": "How are you?"},
    {"style": "terse"},
    {"user.name": "Zoé", "x": 1},
    {"x": None},
]
for template, values, partial in itertools.product(chat_templates, chat_values, [False, True]):
    add(template, values, partial)

# ---- Jinja2 ----------------------------------------------------------------------------------
jinja_templates = [
    # if / elif / else, truthiness of every value type
    "Hello {% if name %}{{ name }}{% else %}Guest{% endif %}!",
    "{% if n > 10 %}big{% elif n > 5 %}medium{% elif n == 5 %}five{% else %}small{% endif %}",
    "{% if items %}has items{% endif %}|{% if not items %}none{% endif %}",
    "{% if a and b %}both{% elif a or b %}one{% else %}neither{% endif %}",
    "{% if name is defined %}defined{% else %}undefined{% endif %} {% if name is none %}N{% endif %}",
    "{% if 'x' in name %}has x{% endif %}{% if 'q' not in name %} no q{% endif %}",
    "{% if n is even %}even{% endif %}{% if n is odd %}odd{% endif %}"
    "{% if n is divisibleby 3 %} div3{% endif %}{% if n is number %} num{% endif %}",
    "{% if 1 < n <= 10 %}in range{% endif %}{% if n != 5 %} not five{% endif %}",
    # for loops and loop.*
    "{% for x in items %}{{ loop.index }}:{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{% for x in items %}[{{ loop.index0 }}/{{ loop.length }} {{ loop.revindex }}"
    " {{ loop.revindex0 }} {{ loop.first }} {{ loop.last }}]{% else %}empty{% endfor %}",
    "{% for k, v in user.items() %}{{ k }}={{ v }};{% endfor %}",
    "{% for k in user %}{{ k }} {% endfor %}|{% for v in user.values() %}{{ v }} {% endfor %}",
    "{% for i in range(3) %}{{ i }}{% endfor %}{% for i in range(1, 10, 3) %}-{{ i }}{% endfor %}",
    "{% for c in name %}{{ c }}.{% endfor %}",
    "{% for row in rows %}{% for x in row %}{{ x }}{% endfor %};{% endfor %}",
    # output of values
    "{{ name }}|{{ n }}|{{ items }}|{{ user }}|{{ none_value }}|{{ flag }}|{{ missing }}|",
    "{{ user.name }} {{ user['city'] }} {{ items[0] }} {{ items[-1] }} {{ items.1 }} {{ user.nope }}",
    # filters
    "{{ name | upper }} {{ name|lower }} {{ name|title }} {{ name|capitalize }}",
    "[{{ padded | trim }}] [{{ padded|trim('x ') }}]",
    "{{ missing | default('fallback') }} {{ none_value|default('x') }} {{ ''|default('e', true) }}"
    " {{ name|d('d') }}",
    "{{ items | length }} {{ name|length }} {{ user|count }} {{ missing|length }}",
    "{{ items | join(', ') }} {{ items|join }} {{ name|join('-') }}",
    "{{ name | replace('a', 'A') }} {{ name|replace('', '.') }} {{ name|replace('a', '', 1) }}",
    "{{ num_str | int }} {{ '3.9'|int }} {{ 'x'|int(7) }} {{ 2.7|int }} {{ flag|int }}",
    "{{ num_str | float }} {{ 'bad'|float }} {{ n|float }} {{ ' 1e3 '|float }}",
    "{{ n | string }}{{ items|first }}{{ items|last }}{{ name|first }} {{ -3|abs }} {{ (-2.5)|abs }}",
    "{{ name|upper|replace('A', '4')|lower }}",
    # expressions
    "{{ n + 1 }} {{ n - 10 }} {{ n * 2 }} {{ n / 4 }} {{ n // 4 }} {{ n % 4 }} {{ n ** 2 }}",
    "{{ -7 // 2 }} {{ -7 % 3 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 2 ** -1 }} {{ 10 / 5 }}",
    "{{ 'a' ~ n ~ none_value ~ flag }} {{ name + '!' }} {{ items + [9] }} {{ 'ab' * 3 }}",
    "{{ name if flag else 'no' }} {{ 'yes' if missing else 'no' }} [{{ 'x' if false }}]",
    "{{ (n + 2) * 3 }} {{ n > 3 and n < 100 }} {{ not flag }} {{ missing or 'or-default' }}",
    "{{ 0.1 + 0.2 }} {{ 1e20 * 10 }} {{ 3.0 }} {{ 1_000 }} {{ true }} {{ None }}",
    "{{ user.get('name') }} {{ user.get('zzz', 'dflt') }} {{ name.upper() }} {{ padded.strip() }}",
    # set, comments, whitespace control, trailing newline
    "{% set greeting = 'Hi ' ~ name %}{{ greeting }}{# a comment #}!",
    "{% for x in items %}{% set y = x %}{% endfor %}[{{ y }}]",
    "Lines:\n{%- for x in items %}\n  - {{ x }}\n{%- endfor %}\nEnd\n",
    "  {{- name -}}  \n{# c #}  {%- if flag -%}  T  {%- endif -%}  .",
    "trailing newline kept? {{ name }}\n",
    "line1\r\nline2\rline3 {% if true %}x{% endif %}",
    "{% if flag %}\nA\n{% endif %}\nB\n\n",
    # more precedence, literals, kwargs and scoping
    "{{ not a == b }} {{ not (a == b) }} {{ -n ** 2 }} {{ 2 ** 3 ** 2 }} {{ 1 + 2 * 3 - 4 / 2 }}",
    "{{ 'a' 'b' }} {{ \"x\\\"y\" }} {{ 'tab\\there' }} {{ 'it\\'s' }}",
    "{{ missing|default(default_value='kw') }} {{ items|join(d='+') }} {{ padded|trim(chars='x') }}",
    "{% if items|length > 2 and name is not none %}long{% endif %}{% if zz is not defined %} nz{% endif %}",
    "{% if n is divisibleby(4) %}div4{% else %}nodiv4{% endif %} {{ n is odd }} {{ flag is true }}",
    "{% for x in items %}{% for y in items %}{{ loop.index }}{% endfor %}/{{ loop.index }} {% endfor %}",
    "{% if flag %}{% set v = 'set-in-if' %}{% endif %}[{{ v }}]",
    "{% for k in user %}{{ loop.index }}.{{ k }}={{ user[k] }} {% endfor %}",
    "{{ loop.index }}{% if true %}{% endif %}",
    "{{ items[10] }}|{{ items[-10] }}|{{ name[0] }}|{{ user['nope'] }}|{% if true %}{% endif %}",
    "{{ [1, 'a', none, true][1] }} {{ [n, n + 1] }} {{ [] }} {{ 5 in [1, 5] }} {{ 'k' in user }}",
    "{{ 3 == 3.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }} {{ none == none }}",
    "{{ 7 // -2 }} {{ -7 % -3 }} {{ 2 ** 62 }} {{ 1.5e3 }} {{ 0.000012 }} {{ 123456789012345678.0 }}",
    # errors Python raises too
    "{% if name %}unclosed",
    "{% for x in items %}no end",
    "{% endif %}",
    "{% foo %}",
    "{{ missing.attr }}{% if true %}{% endif %}",
    "{{ 1 / 0 }}{% if true %}{% endif %}",
    "{{ name + 1 }}{% if true %}{% endif %}",
    "{{ missing + 1 }}{% if true %}{% endif %}",
    "{% if n < 'a' %}{% endif %}",
    "{{ items|nosuchfilter }}{% if true %}{% endif %}",
]
jinja_values = [
    {},
    {"name": "alice", "n": 7, "items": ["a", "b", "c"], "user": {"name": "Bo", "city": "Oslo"},
     "none_value": None, "flag": True, "padded": "  xx pad xx  ", "num_str": "42",
     "rows": [[1, 2], [3]], "a": 1, "b": 0},
    {"name": "BOB the-builder (x)", "n": 12, "items": [], "user": {}, "none_value": None,
     "flag": False, "padded": "\t\n", "num_str": " -1_000 ", "rows": [], "a": "", "b": "y"},
    {"name": "", "n": 5, "items": [1, 2.5, None, True], "user": {"name": None, "city": ""},
     "none_value": None, "flag": 0, "padded": "x", "num_str": "3.75", "rows": [[]],
     "a": [], "b": {}},
    {"name": "qxa", "n": 3, "items": ["only"], "user": {"name": "Q", "city": "Z", "k": 1},
     "none_value": None, "flag": "yes", "padded": "xx", "num_str": "nope", "rows": [["x"]],
     "a": 0.0, "b": None},
]
# Python renders with Jinja2 only when the template holds both "{%" and "%}": give every
# template of this list a (neutral) block so that all of them exercise the Jinja2 path.
jinja_templates = [t if ("{%" in t and "%}" in t) else t + "{% if true %}{% endif %}"
                   for t in jinja_templates]
for template, values in itertools.product(jinja_templates, jinja_values):
    add(template, values, False)
# Partial formatting does not apply to Jinja2 templates (missing variables render empty).
for template in jinja_templates[:3]:
    add(template, {}, True)

# Chat prompts with Jinja2 (any message with {% %} makes every message Jinja-rendered).
jinja_chat = [
    [{"role": "system", "content": "{% if formal %}Dear user{% else %}Hey{% endif %},"},
     {"role": "user", "content": "{{ question }} {% for t in tags %}#{{ t }} {% endfor %}"}],
    [{"role": "system", "content": "plain {{ question }}"},
     {"role": "user", "content": "{% if true %}{{ question|upper }}{% endif %}"}],
]
for template, values in itertools.product(
        jinja_chat, [{}, {"formal": True, "question": "why?", "tags": ["a", "b"]}]):
    add(template, values, False)

print(json.dumps(cases, indent=1, ensure_ascii=False))
