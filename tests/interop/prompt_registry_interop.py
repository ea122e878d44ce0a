#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Prompt registry interop with Python MLflow 3.18 against the same server as the C++ test.

  read  URI SPEC_JSON   loads each prompt named in SPEC (written by C++) with
                        mlflow.genai.load_prompt and prints its fields, format() outputs and the
                        raw version tags as JSON.
  write URI PREFIX      registers a text and a chat prompt with Python (model config with extra
                        params, response format, tags, alias) and prints the same JSON for them.
"""
import json
import sys
import threading
import warnings

warnings.filterwarnings("ignore")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402


def describe(uri, values):
    pv = mlflow.genai.load_prompt(uri, cache_ttl_seconds=0)
    client = MlflowClient()
    # MlflowClient.get_model_version refuses prompts; the registry client gives the raw tags.
    mv = client._get_registry_client().get_model_version(pv.name, str(pv.version))
    formatted = pv.format(**values)
    partial = pv.format(allow_partial=True, **{k: v for k, v in list(values.items())[:1]})
    return {
        "name": pv.name,
        "version": pv.version,
        "is_text": pv.is_text_prompt,
        "template": pv.template,
        "variables": sorted(pv.variables),
        "commit_message": pv.commit_message,
        "tags": pv.tags,
        "aliases": sorted(pv.aliases),
        "response_format": pv.response_format,
        "model_config": pv.model_config,
        "uri": pv.uri,
        "single_brace": pv.to_single_brace_format(),
        "formatted": formatted,
        "partial": partial.template if hasattr(partial, "template") else partial,
        "raw_version_tags": mv.tags,
        "source": mv.source,
        "prompt_description": client.get_prompt(pv.name).description,
    }


def add_prompt_tags(out):
    # load_prompt and register_prompt link the prompt to the active experiment in a background
    # thread (tag _mlflow_experiment_ids); read the prompt tags once those writes are done.
    for t in threading.enumerate():
        if t is not threading.current_thread() and not t.daemon:
            t.join(timeout=30)
    client = MlflowClient()
    for item in out.values():
        item["prompt_tags"] = client.get_prompt(item["name"]).tags


def main():
    mode, uri = sys.argv[1], sys.argv[2]
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    if mode == "read":
        spec = json.loads(sys.argv[3])
        out = {item["uri"]: describe(item["uri"], item["values"]) for item in spec}
    else:
        prefix = sys.argv[3]
        text_name, chat_name = prefix + "-py-text", prefix + "-py-chat"
        mlflow.genai.register_prompt(
            name=text_name,
            template="Hi {{ name }}, meet {{place}} at {{ time }}. \u00e9\u2713 \"q\"\n",
            commit_message="python text v1",
            tags={"team": "py", "lang": "en"},
            response_format={"type": "object", "properties": {"answer": {"type": "string"}}},
            model_config={"provider": "openai", "model_name": "gpt-4o", "temperature": 0.5,
                          "max_tokens": 256, "stop_sequences": ["END"], "seed": 7,
                          "response_metadata": {"cache": True}},
        )
        mlflow.genai.register_prompt(
            name=chat_name,
            template=[{"role": "system", "content": "You help {{ owner }} \u00fc."},
                      {"role": "user", "content": "Walk {{dog}}? {% if x %}jinja{% endif %}"}],
            commit_message="python chat v1",
            tags={"kind": "chat"},
            model_config={"model_name": "claude", "top_k": 3, "top_p": 0.9},
        )
        mlflow.genai.set_prompt_alias(text_name, alias="prod", version=1)
        out = {
            "text": describe(f"prompts:/{text_name}@prod",
                             {"name": "Ann", "place": "Oslo", "time": 3}),
            "chat": describe(f"prompts:/{chat_name}/1", {"owner": "Bo", "dog": "Rex", "x": 1}),
        }
    add_prompt_tags(out)
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
