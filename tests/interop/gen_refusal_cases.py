#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Writes tests/interop/data/refusal_cases.json: the table of registry and prompt misuse cases
that refusal_conformance_test.cpp runs through mlflow-cpp and refusal_conformance.py runs
through Python MLflow 3.18's MlflowClient, each on the embedded SQLite store and on the real
server. Both sides must end alike: the same error code and message, or the same result and the
same state read back afterwards.

A case: {"id", "family", "world": [...], "world_id", "op", "args": {...}}.
* world: the objects the case needs, made before its call under names unique to its world
  (both runners build them with their own public API):
    M  registered model: description "d", tag t=1; v1 (source s3://b/1, description "v1",
       tag vt=1, alias champ), v2 (stage Staging, source s3://b/2), v3 deleted.
    P  prompt: v1 "hello {{x}}" (commit "c1", tags team=a), v2 "bye {{x}}" (commit "c2"),
       alias prod -> 1.   P3: P plus a v3 "gone", deleted.
    D  a registered model created and deleted.   Q  a prompt registered and deleted.
* world_id: cases with the same id share one world, built before the first of them and used
  in table order. Read-only calls share the world "shared" (M, P3, D, Q). A call that deletes,
  renames or adds versions gets a world of its own; the other calls share a world in groups of
  up to 8, so a call that changed state where it should have refused shows in its own state
  read-back and, since both sides run the same sequence, cannot hide a difference later.
  After every call that is not read-only, the state of the world's names is read back.
  group: a world shared by a sequence of calls in table order (a call, then reads of its effect).
* server_rule: Python's SQL store accepts what its server refuses; mlflow-cpp refuses on both
  stores with the server's answer (ADR 0008). The test checks that Python's two stores still
  disagree there, that C++ gives the server's answer on the embedded store too, and that the
  embedded store's state is what Python's was before the call (recorded as state_before).
* args: Python keyword arguments. In strings, {M} {P} {D} {Q} are the world's names, {X} a
  name never created, {N} a fresh name for a rename or create, {RUN} the id of a run.
Run: python3 tests/interop/gen_refusal_cases.py > tests/interop/data/refusal_cases.json
"""
import json

cases = []

READ_OPS = {
    "get_registered_model", "search_registered_models", "get_latest_versions",
    "get_model_version", "search_model_versions", "get_model_version_download_uri",
    "get_model_version_by_alias", "load_prompt", "search_prompts", "search_prompt_versions",
    "get_prompt", "get_prompt_version", "get_prompt_version_by_alias",
    "fluent.search_registered_models", "fluent.search_model_versions", "fluent.load_prompt",
    "fluent.search_prompts",
}


# Calls that delete, rename or add versions: their world is their own.
ALONE_OPS = {
    "delete_registered_model", "rename_registered_model", "delete_prompt", "delete_model_version",
    "delete_prompt_version", "create_model_version", "register_model", "fluent.register_model",
    "register_prompt", "fluent.register_prompt", "create_registered_model",
}
GROUP_SIZE = 8
groups = {}


def add(family, world, op, alone=False, group=None, server_rule=None, **args):
    cid = f"c{len(cases):03d}"
    if group:
        world_id = group
    elif op in READ_OPS:
        world_id = "shared"
    elif alone or op in ALONE_OPS:
        world_id = cid
    else:
        key = "".join(sorted(world)) or "none"
        count = groups.get(key, 0)
        groups[key] = count + 1
        world_id = f"g{key}{count // GROUP_SIZE}"
    case = {
        "id": cid,
        "family": family,
        "world": world,
        "world_id": world_id,
        "op": op,
        "args": args,
    }
    if server_rule:
        case["server_rule"] = server_rule
    cases.append(case)


# ---- 1. every model-registry call given a prompt's name -------------------------------------
F = "registry call on a prompt"
add(F, ["P"], "get_registered_model", name="{P}")
add(F, ["P"], "rename_registered_model", name="{P}", new_name="{N}")
add(F, ["P"], "update_registered_model", name="{P}", description="x")
add(F, ["P"], "delete_registered_model", name="{P}")
add(F, ["P"], "get_latest_versions", name="{P}")
add(F, ["P"], "get_latest_versions", name="{P}", stages=["None"])
add(F, ["P"], "set_registered_model_tag", name="{P}", key="k", value="v")
add(F, ["P"], "delete_registered_model_tag", name="{P}", key="team")
add(F, ["P"], "create_model_version", name="{P}", source="s3://b/x")
add(F, ["P"], "get_model_version", name="{P}", version="1")
add(F, ["P"], "get_model_version", name="{P}", version="9")
add(F, ["P"], "update_model_version", name="{P}", version="1", description="x")
add(F, ["P"], "transition_model_version_stage", name="{P}", version="1", stage="Staging")
add(F, ["P"], "transition_model_version_stage", name="{P}", version="1", stage="Production",
    archive_existing_versions=True)
add(F, ["P"], "delete_model_version", name="{P}", version="1")
add(F, ["P"], "get_model_version_download_uri", name="{P}", version="1")
add(F, ["P"], "set_model_version_tag", name="{P}", version="1", key="k", value="v")
add(F, ["P"], "delete_model_version_tag", name="{P}", version="1", key="team")
add(F, ["P"], "set_registered_model_alias", name="{P}", alias="a1", version="1")
add(F, ["P"], "delete_registered_model_alias", name="{P}", alias="prod")
add(F, ["P"], "get_model_version_by_alias", name="{P}", alias="prod")
add(F, ["P"], "get_model_version_by_alias", name="{P}", alias="latest")
add(F, ["P"], "get_model_version_by_alias", name="{P}", alias="nope")
add(F, ["P"], "search_registered_models", filter_string="name = '{P}'")
add(F, ["P"], "search_registered_models",
    filter_string="name = '{P}' AND tags.`mlflow.prompt.is_prompt` = 'true'")
add(F, ["P"], "search_model_versions", filter_string="name = '{P}'")
add(F, ["P"], "search_model_versions",
    filter_string="name = '{P}' AND tags.`mlflow.prompt.is_prompt` = 'true'")
add(F, ["P"], "create_registered_model", name="{P}")
add(F, ["P"], "register_model", model_uri="s3://b/x", name="{P}")
add(F, ["P"], "fluent.register_model", model_uri="s3://b/x", name="{P}")
add(F, ["P"], "fluent.set_model_version_tag", name="{P}", version="1", key="k", value="v")
add(F, ["P"], "fluent.search_registered_models", filter_string="name = '{P}'")
add(F, ["P"], "fluent.search_model_versions", filter_string="name = '{P}'")
add(F, ["P"], "rename_registered_model", name="{P}", new_name="{P}")
# The prompt marker on registry calls.
add(F, [], "create_registered_model", name="{N}", tags={"mlflow.prompt.is_prompt": "true"})
add(F, [], "create_registered_model", name="{N}", tags={"mlflow.prompt.is_prompt": "false"})
add(F, ["M"], "create_model_version", name="{M}", source="s3://b/x",
    tags={"mlflow.prompt.is_prompt": "true"})
add(F, ["M"], "register_model", model_uri="s3://b/x", name="{M}",
    tags={"mlflow.prompt.is_prompt": "true"})
add(F, ["M"], "set_registered_model_tag", name="{M}", key="mlflow.prompt.is_prompt",
    value="true")
add(F, ["M"], "set_model_version_tag", name="{M}", version="1", key="mlflow.prompt.is_prompt",
    value="true")
add(F, ["P", "M"], "rename_registered_model", name="{M}", new_name="{P}")

# ---- 2. every prompt call given an ordinary model's name ------------------------------------
F = "prompt call on a model"
add(F, ["M"], "register_prompt", name="{M}", template="t {{x}}")
add(F, ["M"], "register_prompt", name="{M}",
    template=[{"role": "user", "content": "hi {{x}}"}])
add(F, ["M"], "load_prompt", name_or_uri="{M}")
add(F, ["M"], "load_prompt", name_or_uri="{M}", version=1)
add(F, ["M"], "load_prompt", name_or_uri="prompts:/{M}/1")
add(F, ["M"], "load_prompt", name_or_uri="prompts:/{M}@champ")
add(F, ["M"], "load_prompt", name_or_uri="{M}", allow_missing=True)
add(F, ["M"], "load_prompt", name_or_uri="{M}", version=9, allow_missing=True)
add(F, ["M"], "search_prompt_versions", name="{M}")
add(F, ["M"], "get_prompt", name="{M}")
add(F, ["M"], "get_prompt_version", name="{M}", version=1)
add(F, ["M"], "get_prompt_version_by_alias", name="{M}", alias="champ")
add(F, ["M"], "search_prompts", filter_string="name = '{M}'")
add(F, ["M"], "delete_prompt", name="{M}")
add(F, ["M"], "delete_prompt_version", name="{M}", version=1)
add(F, ["M"], "set_prompt_alias", name="{M}", alias="a1", version=1)
add(F, ["M"], "delete_prompt_alias", name="{M}", alias="champ")
add(F, ["M"], "set_prompt_tag", name="{M}", key="k", value="v")
add(F, ["M"], "delete_prompt_tag", name="{M}", key="t")
add(F, ["M"], "set_prompt_version_tag", name="{M}", version=1, key="k", value="v")
add(F, ["M"], "delete_prompt_version_tag", name="{M}", version=1, key="vt")
add(F, ["M"], "set_prompt_model_config", name="{M}", version=1,
    model_config={"model_name": "gpt", "temperature": 0.5})
add(F, ["M"], "delete_prompt_model_config", name="{M}", version=1)
add(F, ["M"], "fluent.register_prompt", name="{M}", template="t")
add(F, ["M"], "fluent.load_prompt", name_or_uri="{M}")
add(F, ["M"], "fluent.search_prompts", filter_string="name = '{M}'")
add(F, ["M"], "fluent.set_prompt_alias", name="{M}", alias="a1", version=1)
add(F, ["M"], "fluent.delete_prompt_alias", name="{M}", alias="champ")
# A prompt version that is not one (a model version added to a prompt by the registry API).
add(F, ["P"], "register_prompt", name="{P}", template="v4 {{x}}", commit_message="c4",
    tags={"team": "b", "extra": "1"})

# ---- 3. wrong kinds of ids ------------------------------------------------------------------
F = "wrong kind of id"
add(F, [], "get_registered_model", name="{RUN}")
add(F, [], "get_registered_model", name="")
add(F, [], "get_registered_model", name="a/b")
add(F, [], "get_registered_model", name="prompts:/{P}/1")
add(F, [], "get_registered_model", name="{X}")
for version in ["abc", "1.0", "", " 1", "-1", "+1", "01", "0", "99", "champ", "v1"]:
    add(F, ["M"], "get_model_version", name="{M}", version=version)
for version in ["abc", "champ", "1.5", "-1", "9"]:
    add(F, ["M"], "set_registered_model_alias", name="{M}", alias="a1", version=version)
for version in ["abc", "0", "9"]:
    add(F, ["M"], "update_model_version", name="{M}", version=version, description="x")
    add(F, ["M"], "transition_model_version_stage", name="{M}", version=version,
        stage="Staging")
    add(F, ["M"], "delete_model_version", name="{M}", version=version)
    add(F, ["M"], "set_model_version_tag", name="{M}", version=version, key="k", value="v")
    add(F, ["M"], "get_model_version_download_uri", name="{M}", version=version)
add(F, ["M"], "get_model_version_by_alias", name="{M}", alias="1")
add(F, ["M"], "get_model_version_by_alias", name="{M}", alias="v1")
add(F, ["M"], "get_model_version_by_alias", name="{RUN}", alias="champ")
add(F, ["M"], "get_model_version", name="{RUN}", version="1")
SOURCE_RULE = "the server's model-version source checks"
for source in ["", "model", "/tmp/model", "s3://b/../x"]:
    add(F, ["M"], "create_model_version", server_rule=SOURCE_RULE, name="{M}", source=source)
add(F, ["M"], "create_model_version", name="{X}", source="s3://b/x")
add(F, ["M"], "create_model_version", name="{M}", source="s3://b/x", run_id="{X}")
add(F, ["M"], "rename_registered_model", name="{M}", new_name="")
add(F, ["M"], "rename_registered_model", name="{M}", new_name="a/b")
add(F, ["M"], "rename_registered_model", name="{X}", new_name="{N}")
add(F, ["M"], "update_model_version", name="{M}", version="1", description=None)
add(F, ["M"], "update_registered_model", name="{M}", description=None)
add(F, ["M"], "update_registered_model", name="{M}", description="")
add(F, ["M"], "update_model_version", name="{M}", version="1", description="")
add(F, ["M"], "register_model", model_uri="runs:/{RUN}/model", name="{M}")
add(F, ["M"], "register_model", model_uri="runs:/{X}/model", name="{M}")
add(F, ["P"], "get_prompt_version", name="{P}", version=0)
add(F, ["P"], "get_prompt_version", name="{P}", version=-1)
add(F, ["P"], "get_prompt_version", name="{P}", version=99)
add(F, ["P"], "get_prompt_version", name="{X}", version=1)
add(F, ["P"], "get_prompt_version_by_alias", name="{P}", alias="nope")
add(F, ["P"], "get_prompt_version_by_alias", name="{P}", alias="latest")
add(F, ["P"], "get_prompt_version_by_alias", name="{X}", alias="prod")
add(F, ["P"], "load_prompt", name_or_uri="{X}")
add(F, ["P"], "load_prompt", name_or_uri="{X}", allow_missing=True)
add(F, ["P"], "load_prompt", name_or_uri="{P}", version=99)
add(F, ["P"], "load_prompt", name_or_uri="{P}", version=99, allow_missing=True)
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}@nope")
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}@nope", allow_missing=True)
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}/1", version=1)
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}@latest")
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}/2")
add(F, ["P"], "load_prompt", name_or_uri="{P}")
add(F, ["P"], "search_prompt_versions", name="{X}")
add(F, ["P"], "search_prompt_versions", name="{P}")
add(F, ["P"], "get_prompt", name="{X}")
add(F, ["P"], "search_prompts", filter_string="experiment_id = 'abc'")
add(F, ["P"], "search_prompts", filter_string="name = '{P}' AND experiment_id = '0'")
add(F, ["P"], "search_prompts", filter_string="experiment_id = \"0\" AND name = '{P}'")
add(F, ["P"], "search_prompts", filter_string="name = '{P}' AND experiment_id = '987654'")
add(F, ["P"], "register_prompt", name="a b", template="t")
add(F, ["P"], "register_prompt", name="", template="t")
add(F, ["P"], "delete_prompt_version", name="{P}", version=9)
add(F, ["P"], "delete_prompt", name="{X}")
add(F, ["P"], "set_prompt_tag", name="{X}", key="k", value="v")
add(F, ["P"], "set_prompt_version_tag", name="{P}", version=9, key="k", value="v")
add(F, ["P"], "delete_prompt_tag", name="{P}", key="nope")
add(F, ["P"], "delete_prompt_version_tag", name="{P}", version=1, key="nope")
add(F, ["M"], "delete_registered_model_tag", name="{M}", key="nope")
add(F, ["M"], "delete_model_version_tag", name="{M}", version="1", key="nope")
add(F, ["M"], "search_registered_models", filter_string="name = '{M}'", max_results=0)
add(F, ["M"], "search_model_versions", filter_string="name = '{M}'", max_results=0)
add(F, ["M"], "search_model_versions", filter_string="name = '{M}'", max_results=-1)
add(F, ["P"], "set_prompt_tag", name="{P}", key="bad*key", value="v")
add(F, ["P"], "delete_prompt_tag", name="{P}", key="bad*key")
add(F, ["P"], "set_prompt_version_tag", name="{P}", version=1, key="bad*key", value="v")
add(F, ["P"], "delete_prompt_version_tag", name="{P}", version=1, key="bad*key")
add(F, ["P"], "search_prompts",
    filter_string="experiment_id = '0' AND name = '{P}' AND experiment_id = '987654'")
add(F, ["M"], "search_registered_models", filter_string="name = '{M}'", max_results=1001)
add(F, ["M"], "search_registered_models", filter_string="name = {M}")
add(F, ["M"], "search_model_versions", filter_string="version_number = 'x'")
add(F, ["M"], "search_model_versions", filter_string="name = '{M}' OR name = 'b'")
add(F, ["M"], "get_latest_versions", name="{X}")

# ---- 4. deleted objects ---------------------------------------------------------------------
F = "deleted object"
add(F, ["M"], "get_model_version", name="{M}", version="3")
add(F, ["M"], "update_model_version", name="{M}", version="3", description="x")
add(F, ["M"], "transition_model_version_stage", name="{M}", version="3", stage="Staging")
add(F, ["M"], "delete_model_version", name="{M}", version="3")
add(F, ["M"], "set_model_version_tag", name="{M}", version="3", key="k", value="v")
add(F, ["M"], "delete_model_version_tag", name="{M}", version="3", key="vt")
add(F, ["M"], "get_model_version_download_uri", name="{M}", version="3")
add(F, ["M"], "set_registered_model_alias", name="{M}", alias="a1", version="3")
add(F, ["M"], "create_model_version", name="{M}", source="s3://b/4")
add(F, ["M"], "delete_model_version", name="{M}", version="1")
add(F, ["D"], "get_registered_model", name="{D}")
add(F, ["D"], "update_registered_model", name="{D}", description="x")
add(F, ["D"], "rename_registered_model", name="{D}", new_name="{N}")
add(F, ["D"], "delete_registered_model", name="{D}")
add(F, ["D"], "set_registered_model_tag", name="{D}", key="k", value="v")
add(F, ["D"], "create_model_version", name="{D}", source="s3://b/x")
add(F, ["D"], "get_model_version", name="{D}", version="1")
add(F, ["D"], "get_latest_versions", name="{D}")
add(F, ["D"], "set_registered_model_alias", name="{D}", alias="a1", version="1")
add(F, ["D"], "create_registered_model", name="{D}")
add(F, ["P3"], "get_prompt_version", name="{P}", version=3)
add(F, ["P3"], "load_prompt", name_or_uri="{P}", version=3)
add(F, ["P3"], "load_prompt", name_or_uri="{P}", version=3, allow_missing=True)
add(F, ["P3"], "set_prompt_alias", name="{P}", alias="a1", version=3)
add(F, ["P3"], "set_prompt_version_tag", name="{P}", version=3, key="k", value="v")
add(F, ["P3"], "delete_prompt_version", name="{P}", version=3)
add(F, ["P3"], "delete_prompt_version", name="{P}", version=1)
add(F, ["P3"], "register_prompt", name="{P}", template="v4")
add(F, ["Q"], "load_prompt", name_or_uri="{Q}")
add(F, ["Q"], "get_prompt", name="{Q}")
add(F, ["Q"], "search_prompt_versions", name="{Q}")
add(F, ["Q"], "delete_prompt", name="{Q}")
add(F, ["Q"], "set_prompt_alias", name="{Q}", alias="a1", version=1)
add(F, ["Q"], "set_prompt_tag", name="{Q}", key="k", value="v")
add(F, ["Q"], "register_prompt", name="{Q}", template="again {{x}}", commit_message="c")

# A model version (no prompt marker) added to a prompt's name, then the prompt calls.
for op, args in [
    ("create_model_version", {"name": "{P}", "source": "s3://b/x"}),
    ("get_prompt_version", {"name": "{P}", "version": 3}),
    ("load_prompt", {"name_or_uri": "{P}", "version": 3}),
    ("search_prompt_versions", {"name": "{P}"}),
    ("get_model_version", {"name": "{P}", "version": "3"}),
    ("set_prompt_alias", {"name": "{P}", "alias": "a1", "version": 3}),
    ("set_registered_model_alias", {"name": "{P}", "alias": "a1", "version": "3"}),
]:
    add(F, ["P"], op, group="seqP", **args)
# The prompt marker set to "false" on a model by the registry API: Python's checks look at the
# key, its searches at the value.
for op, args in [
    ("set_registered_model_tag",
     {"name": "{M}", "key": "mlflow.prompt.is_prompt", "value": "false"}),
    ("get_registered_model", {"name": "{M}"}),
    ("search_registered_models", {"filter_string": "name = '{M}'"}),
    ("search_prompts", {"filter_string": "name = '{M}'"}),
    ("load_prompt", {"name_or_uri": "{M}", "version": 1}),
    ("get_prompt", {"name": "{M}"}),
    ("set_model_version_tag", {"name": "{M}", "version": "1", "key": "k", "value": "v"}),
    ("register_prompt", {"name": "{M}", "template": "t"}),
]:
    add(F, ["M"], op, group="seqF", **args)

# ---- 5. stage and alias misuse --------------------------------------------------------------
F = "stage or alias misuse"
for stage in ["Prod", "", "  ", "staging", "PRODUCTION", "archived", "none", "None",
              "Deleted_Internal"]:
    add(F, ["M"], "transition_model_version_stage", name="{M}", version="1", stage=stage)
for stage in ["None", "Archived", "Staging", "Production"]:
    add(F, ["M"], "transition_model_version_stage", name="{M}", version="1", stage=stage,
        archive_existing_versions=True)
add(F, ["M"], "get_latest_versions", name="{M}", stages=["Prod"])
add(F, ["M"], "get_latest_versions", name="{M}", stages=["staging", "NONE"])
add(F, ["M"], "get_latest_versions", name="{M}", stages=[""])
for alias in ["latest", "LATEST", "Latest", "v1", "V2", "v01", "v", "va", "1", "a b", "",
              "a-b_c", "é", "x" * 256]:
    add(F, ["M"], "set_registered_model_alias", name="{M}", alias=alias, version="2")
add(F, ["M"], "set_registered_model_alias", name="{M}", alias="champ", version="2")
for alias in ["latest", "LATEST", "champ", "nope", "v1", ""]:
    add(F, ["M"], "get_model_version_by_alias", name="{M}", alias=alias)
for alias in ["nope", "latest", "v1", "", "a b"]:
    add(F, ["M"], "delete_registered_model_alias", name="{M}", alias=alias)
for alias in ["latest", "v1", "a b", ""]:
    add(F, ["P"], "set_prompt_alias", name="{P}", alias=alias, version=1)
add(F, ["P"], "set_prompt_alias", name="{P}", alias="prod", version=2)
add(F, ["P"], "set_prompt_alias", name="{P}", alias="a1", version=9)
add(F, ["P"], "delete_prompt_alias", name="{P}", alias="nope")
add(F, ["P"], "delete_prompt_alias", name="{P}", alias="prod")
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}@LATEST")
add(F, ["P"], "load_prompt", name_or_uri="prompts:/{P}@prod")

print(json.dumps(cases, indent=1, ensure_ascii=False))
