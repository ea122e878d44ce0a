#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Writes tests/interop/data/text_cases.json: the text conformance table (issue 15) that
text_conformance_test.cpp runs through mlflow-cpp and text_conformance.py runs through Python
MLflow 3.18, on the embedded/SQL store and on a real server, comparing acceptance (ok or the
error code), the stored text as Python reads it back, and that every stored string is valid
UTF-8.

A case: {"id", "call", "args"}. Text arguments are specs expanded by both sides:
  "literal"                                  the string itself
  {"rep": unit, "n": count, "pre": s, "post": s}  pre + unit * count + post
  {"hex": "c3"}                              raw bytes (invalid UTF-8: C++ only; Python cannot
                                             hold it, and the expectation is our refusal)
Names that must be unique on a shared server (experiment, registered model, prompt) get a
12-character ASCII prefix from the runner; lengths below count it (PREFIX).

Run: python3 tests/interop/gen_text_cases.py > tests/interop/data/text_cases.json
"""
import json

PREFIX = 12  # length of the runner's unique-name prefix

cases = []


def add(call, cid, **args):
    cases.append({"id": f"{call}.{cid}", "call": call, "args": args})


def rep(unit, n, pre="", post=""):
    return {"rep": unit, "n": n, "pre": pre, "post": post}


def hexb(h):
    return {"hex": h}


# Keys: Python's `[/\w.\- :]` with a Unicode \w, the path rule, the empty key.
KEYS = {
    "ascii": "loss",
    "punctuation": "a/b.c-d e:f_g",
    "accented": "pr\u00e9cision_\u00e9t\u00e9",
    "cyrillic": "\u043f\u043e\u0442\u0435\u0440\u044f",
    "greek": "\u03b1\u03c0\u03ce\u03bb\u03b5\u03b9\u03b1",
    "cjk": "\u635f\u5931",
    "japanese": "\u640d\u5931_\u304b\u306a",
    "arabic": "\u062e\u0633\u0627\u0631\u0629",
    "arabic_indic_digit": "x\u0663",
    "superscript_two": "x\u00b2",
    "fullwidth": "\uff4c\uff4f\uff53\uff53",
    "math_bold": "\U0001d425\U0001d428\U0001d42c",
    "cjk_ext_b": "\U00020000x",
    "devanagari": "\u0939\u093e\u0928\u093f",
    "emoji": "loss_\U0001f525",
    "combining_acute": "e\u0301",
    "nbsp": "a\u00a0b",
    "ideographic_space": "a\u3000b",
    "zero_width_joiner": "a\u200db",
    "line_separator": "a\u2028b",
    "tab": "a\tb",
    "bom": "\ufeffloss",
    "empty": "",
    "space": " ",
    "double_slash": "a//b",
    "trailing_slash": "a/",
}
# Text Python cannot hold: C++ must refuse it, naming the field and the byte.
INVALID = {
    "lone_ff": hexb("6c6f7373ff"),
    "truncated_2": hexb("6fc3"),
    "overlong": hexb("c0af"),
    "surrogate": hexb("eda080"),
    "past_max": hexb("f4908080"),
    "stray_continuation": hexb("80"),
    "truncated_4": hexb("f09f94"),
}
VALUES = {
    "ascii": "value",
    "accented": "na\u00efve caf\u00e9",
    "cyrillic": "\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435",
    "cjk": "\u503c\u4e2d\u6587",
    "emoji": "\U0001f525\U0001f680 done",
    "combining": "e\u0301\u0308",
    "nbsp": "\u00a0",
    "newline": "line1\nline2\r\n",
    "empty": "",
    "rtl_mark": "\u200fabc\u200e",
}
# Units of 1, 2, 3 and 4 bytes; the first three and U+20000 are \w (valid in keys).
WORD_UNITS = {"a": "a", "zhe": "\u0436", "zhong": "\u4e2d", "ext_b": "\U00020000"}
ALL_UNITS = dict(WORD_UNITS, fire="\U0001f525")


def around(limit, units, deltas=(0, 1)):
    for uname, unit in units.items():
        for d in deltas:
            yield f"{uname}x{limit + d}", rep(unit, limit + d)


def key_cases(call, extra=None, with_lengths=True, limit=250):
    for name, k in KEYS.items():
        add(call, f"key.{name}", key=k, **(extra or {}))
    for name, k in INVALID.items():
        add(call, f"key.invalid_{name}", key=k, **(extra or {}))
    if with_lengths:
        for name, k in around(limit, WORD_UNITS):
            add(call, f"key.len_{name}", key=k, **(extra or {}))


def value_cases(call, limit, key="k", units=ALL_UNITS, invalid=True):
    for name, v in VALUES.items():
        add(call, f"value.{name}", key=key, value=v)
    if invalid:
        for name in ("lone_ff", "truncated_2", "surrogate"):
            add(call, f"value.invalid_{name}", key=key, value=INVALID[name])
    for name, v in around(limit, units):
        add(call, f"value.len_{name}", key=key, value=v)
    # The cut falls after 1 ASCII byte and then 4-byte characters.
    add(call, f"value.len_mixed{limit + 1}", key=key, value=rep("\U0001f525", limit, pre="a"))


def tag_cases(call, invalid_keys, invalid_value, value_limit, value_units):
    """A key/value call whose values are refused (not cut) past `value_limit`."""
    for name, k in KEYS.items():
        add(call, f"key.{name}", key=k, value="v")
    for name in invalid_keys:
        add(call, f"key.invalid_{name}", key=INVALID[name], value="v")
    for name, v in around(250, {"zhe": "\u0436", "ext_b": "\U00020000"}):
        add(call, f"key.len_{name}", key=v, value="v")
    for name, v in VALUES.items():
        add(call, f"value.{name}", key="k", value=v)
    add(call, "value.invalid", key="k", value=INVALID[invalid_value])
    for name, v in around(value_limit, value_units):
        add(call, f"value.len_{name}", key="k", value=v)


# ---- run data ----------------------------------------------------------------------------------
key_cases("log_metric")
key_cases("log_param", {"value": "v"})
value_cases("log_param", 6000)
key_cases("set_tag", {"value": "v"})
value_cases("set_tag", 8000)

# log_batch: several items, a refusal in the middle (nothing of the batch is stored), the order.
add("log_batch", "mixed_scripts",
    metrics=[KEYS["cyrillic"], KEYS["cjk"], "z_last"],
    params=[["zeta", VALUES["emoji"]], ["alpha", VALUES["cjk"]], [KEYS["greek"], "3"]],
    tags=[["t_z", VALUES["accented"]], [KEYS["japanese"], VALUES["combining"]]])
add("log_batch", "bad_metric_key_third", metrics=["a", "b", KEYS["emoji"]], params=[["p", "1"]])
add("log_batch", "bad_param_key_second", params=[["p1", "1"], [KEYS["nbsp"], "2"]])
add("log_batch", "invalid_param_value_second", metrics=["m"],
    params=[["p1", "1"], ["p2", INVALID["lone_ff"]]])
add("log_batch", "invalid_tag_key", tags=[["t1", "1"], [INVALID["surrogate"], "2"]])
add("log_batch", "long_values_cut", params=[["p", rep("\U0001f525", 6001)]],
    tags=[["t", rep("\u0436", 8001)]])
add("log_batch", "long_key", params=[[rep("\u0436", 251), "v"]])
add("log_batch", "order_kept", metrics=["zz", "aa", "mm"],
    params=[["zz", "1"], ["aa", "2"], ["mm", "3"]], tags=[["zz", "1"], ["aa", "2"]])

# ---- runs ----------------------------------------------------------------------------------------
NAMES = {
    "ascii": "run name",
    "cyrillic": "\u0437\u0430\u043f\u0443\u0441\u043a",
    "cjk": "\u8fd0\u884c",
    "emoji": "\U0001f525 run",
    "nbsp_only": "\u00a0",
    "combining": "e\u0301",
    "slash_colon": "a/b:c",
    "newline": "a\nb",
}
for name, v in NAMES.items():
    add("create_run", f"run_name.{name}", run_name=v)
for name, v in list(INVALID.items())[:3]:
    add("create_run", f"run_name.invalid_{name}", run_name=v)
for n in (250, 251, 1000):
    add("create_run", f"run_name.len_zhe{n}", run_name=rep("\u0436", n))
# Python's create_run checks neither tag keys nor lengths.
add("create_run", "tags.emoji_key", tags=[[KEYS["emoji"], "v"]])
add("create_run", "tags.double_slash_key", tags=[[KEYS["double_slash"], "v"]])
add("create_run", "tags.long_value", tags=[["t", rep("\u4e2d", 9000)]])
add("create_run", "tags.long_key", tags=[[rep("\u0436", 300), "v"]])
add("create_run", "tags.invalid_value", tags=[["t", INVALID["truncated_2"]]])
for name, v in NAMES.items():
    add("update_run", f"name.{name}", name=v)
add("update_run", "name.invalid", name=INVALID["lone_ff"])
add("update_run", "name.len_fire300", name=rep("\U0001f525", 300))

# ---- experiments -------------------------------------------------------------------------------
EXP_NAMES = {
    "ascii": "experiment",
    "accented": "exp\u00e9rience",
    "cyrillic": "\u044d\u043a\u0441\u043f\u0435\u0440\u0438\u043c\u0435\u043d\u0442",
    "cjk": "\u5b9e\u9a8c",
    "emoji": "\U0001f9ea lab",
    "combining": "e\u0301",
    "newline": "a\nb",
}
for name, v in EXP_NAMES.items():
    add("create_experiment", f"name.{name}", name=v)
# Blank in Python's eyes (no prefix: the whole name is the blank text).
for name, v in {"empty": "", "spaces": "   ", "nbsp": "\u00a0",
                "ideographic": "\u3000\u2028"}.items():
    add("create_experiment", f"name.blank_{name}", name=v, noprefix=True)
for name, v in list(INVALID.items())[:4]:
    add("create_experiment", f"name.invalid_{name}", name=v)
for name, v in around(500 - PREFIX, ALL_UNITS):
    add("create_experiment", f"name.len_{name}", name=v)
add("create_experiment", "tags.cyrillic", name="t", tags=[[KEYS["cyrillic"], VALUES["cjk"]]])
add("create_experiment", "tags.emoji_key", name="t", tags=[[KEYS["emoji"], "v"]])
add("create_experiment", "tags.invalid_value", name="t", tags=[["k", INVALID["lone_ff"]]])
add("create_experiment", "tags.value_zhe20001", name="t", tags=[["k", rep("\u0436", 20001)]])
tag_cases("set_experiment_tag", ("lone_ff", "surrogate"), "past_max", 20000, ALL_UNITS)
for name, v in EXP_NAMES.items():
    add("rename_experiment", f"name.{name}", name=v)
add("rename_experiment", "name.blank_nbsp", name="\u00a0\u00a0", noprefix=True)
add("rename_experiment", "name.invalid", name=INVALID["overlong"])
for name, v in around(500 - PREFIX, {"zhe": "\u0436", "fire": "\U0001f525"}):
    add("rename_experiment", f"name.len_{name}", name=v)

# ---- datasets ----------------------------------------------------------------------------------
DS = {"name": "d", "digest": "abc", "source_type": "local", "source": "s"}


def dataset_case(cid, tags=None, **fields):
    add("log_inputs", cid, dataset=dict(DS, **fields), tags=tags or [])


for name, v in {"cyrillic": NAMES["cyrillic"], "emoji": NAMES["emoji"],
                "combining": NAMES["combining"]}.items():
    dataset_case(f"name.{name}", name=v)
    dataset_case(f"source.{name}", source=v)
    dataset_case(f"tag.{name}", tags=[[v, v]])
dataset_case("name.invalid", name=INVALID["lone_ff"])
dataset_case("digest.invalid", digest=INVALID["truncated_2"])
dataset_case("schema.invalid", schema=INVALID["surrogate"])
dataset_case("tag_value.invalid", tags=[["mlflow.data.context", INVALID["past_max"]]])
for field, limit, units in (("name", 500, ALL_UNITS), ("digest", 36, ALL_UNITS),
                            ("source", 65535, {"zhe": "\u0436", "fire": "\U0001f525"}),
                            ("schema", 1048575, {"zhe": "\u0436"})):
    for name, v in around(limit, units):
        dataset_case(f"{field}.len_{name}", **{field: v})
for name, v in around(255, {"zhe": "\u0436", "fire": "\U0001f525"}):
    dataset_case(f"tag_key.len_{name}", tags=[[v, "v"]])
for name, v in around(500, {"zhe": "\u0436", "fire": "\U0001f525"}):
    dataset_case(f"tag_value.len_{name}", tags=[["k", v]])

# ---- model registry ----------------------------------------------------------------------------
MODEL_NAMES = dict(EXP_NAMES, slash="a/b", colon="a:b", nbsp_inside="a\u00a0b")
for name, v in MODEL_NAMES.items():
    add("create_registered_model", f"name.{name}", name=v)
add("create_registered_model", "name.blank_nbsp", name="\u00a0", noprefix=True)
add("create_registered_model", "name.blank_ideographic", name="\u3000", noprefix=True)
add("create_registered_model", "name.invalid", name=INVALID["lone_ff"])
add("create_registered_model", "name.long_fire600", name=rep("\U0001f525", 600))
for name, v in VALUES.items():
    add("create_registered_model", f"description.{name}", name="m", description=v)
add("create_registered_model", "description.invalid", name="m", description=INVALID["surrogate"])
add("create_registered_model", "description.long_fire30000", name="m",
    description=rep("\U0001f525", 30000))
for name in ("cyrillic", "emoji", "nbsp", "double_slash"):
    add("create_registered_model", f"tag_key.{name}", name="m", tags=[[KEYS[name], "v"]])
tag_cases("set_registered_model_tag", ("lone_ff", "truncated_4"), "overlong", 100000,
          {"zhe": "\u0436", "fire": "\U0001f525"})
for name in ("cyrillic", "emoji", "combining", "newline"):
    add("create_model_version", f"description.{name}", description=VALUES.get(name, NAMES.get(name)))
add("create_model_version", "description.invalid", description=INVALID["lone_ff"])
add("create_model_version", "tag.cyrillic", tags=[[KEYS["cyrillic"], VALUES["cjk"]]])
add("create_model_version", "tag.emoji_key", tags=[[KEYS["emoji"], "v"]])
for name in ("ascii", "cyrillic", "cjk", "emoji", "nbsp", "combining_acute", "empty"):
    add("set_model_version_tag", f"key.{name}", key=KEYS[name], value="v")
add("set_model_version_tag", "key.invalid", key=INVALID["surrogate"], value="v")
for name, v in around(250, {"zhe": "\u0436"}):
    add("set_model_version_tag", f"key.len_{name}", key=v, value="v")
for name, v in around(100000, {"fire": "\U0001f525"}):
    add("set_model_version_tag", f"value.len_{name}", key="k", value=v)
ALIASES = {"ascii": "champion", "cyrillic": "\u0447\u0435\u043c\u043f\u0438\u043e\u043d",
           "cjk": "\u51a0\u519b", "emoji": "best_\U0001f525", "nbsp": "a\u00a0b",
           "combining": "e\u0301", "dash_underscore": "a-b_c", "dot": "a.b",
           "superscript": "v\u00b2"}
for name, v in ALIASES.items():
    add("set_registered_model_alias", f"alias.{name}", alias=v)
add("set_registered_model_alias", "alias.invalid", alias=INVALID["lone_ff"])
for name, v in around(255, {"zhe": "\u0436", "ext_b": "\U00020000"}):
    add("set_registered_model_alias", f"alias.len_{name}", alias=v)

# ---- logged models (Python checks only the name's characters) -----------------------------------
for name, v in {"cyrillic": NAMES["cyrillic"], "cjk": NAMES["cjk"], "emoji": NAMES["emoji"],
                "nbsp": "a\u00a0b", "dot": "a.b"}.items():
    add("create_logged_model", f"name.{name}", name=v)
add("create_logged_model", "name.invalid", name=INVALID["lone_ff"])
add("create_logged_model", "tags_params.scripts", name="m",
    tags=[[KEYS["cyrillic"], VALUES["emoji"]], [KEYS["emoji"], "v"]],
    params=[[KEYS["cjk"], VALUES["combining"]], ["long", rep("\U0001f525", 7000)]])
add("create_logged_model", "tags.invalid_key", name="m", tags=[[INVALID["surrogate"], "v"]])
add("set_logged_model_tags", "scripts", tags=[[KEYS["greek"], VALUES["cjk"]],
                                              [KEYS["nbsp"], VALUES["newline"]]])
add("set_logged_model_tags", "invalid_value", tags=[["k", INVALID["lone_ff"]]])
add("log_model_params", "scripts", params=[[KEYS["japanese"], VALUES["accented"]],
                                           ["z", rep("\u0436", 9000)]])
add("log_model_params", "invalid_key", params=[[INVALID["overlong"], "v"]])

# ---- prompts -----------------------------------------------------------------------------------
for name, v in {"ascii": "prompt", "cyrillic": "\u043f\u0440\u043e\u043c\u043f\u0442",
                "emoji": "p\U0001f525"}.items():
    add("register_prompt", f"name.{name}", name=v, template="Hi {{ name }}")
for name, v in VALUES.items():
    add("register_prompt", f"template.{name}", name="p", template=v + " {{ x }}")
add("register_prompt", "template.invalid", name="p", template=INVALID["lone_ff"])
add("register_prompt", "commit_message.cjk", name="p", template="t",
    commit_message=VALUES["cjk"])
add("register_prompt", "tags.scripts", name="p", template="t",
    tags=[[KEYS["cyrillic"], VALUES["emoji"]]])
add("register_prompt", "tags.emoji_key", name="p", template="t", tags=[[KEYS["emoji"], "v"]])
add("register_prompt", "template.long_fire100001", name="p", template=rep("\U0001f525", 100001))

ids = [c["id"] for c in cases]
assert len(ids) == len(set(ids)), "duplicate case ids"
print(json.dumps(cases, ensure_ascii=True, indent=0, separators=(",", ":")))
