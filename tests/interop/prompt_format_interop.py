#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Renders every case of a prompt_format_cases.json table with Python MLflow's
PromptVersion.format() and prints {"id": {"ok": bool, "result": text | messages, "error": str}}.
Run with the pinned venv's python (MLflow 3.18.0)."""
import json
import sys

from mlflow.entities.model_registry.prompt_version import PromptVersion


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    out = {}
    for case in cases:
        try:
            pv = PromptVersion("interop-prompt", 1, case["template"])
            result = pv.format(allow_partial=case["partial"], **case["values"])
            if isinstance(result, PromptVersion):
                result = result.template
            out[case["id"]] = {"ok": True, "result": result}
        except Exception as e:  # every failure counts as "error" in the comparison
            out[case["id"]] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
