# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""The pinned MLflow's character classes for python_chars_interop_test.cpp: one line of
"first-last " hex ranges of code points validate_param_and_metric_name accepts as a key, then
one of the code points str.strip() removes."""
from mlflow.utils.validation import validate_param_and_metric_name


def ranges(accepted):
    out, start = [], None
    for cp in range(0x110001):
        yes = cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF and accepted(chr(cp))
        if yes and start is None:
            start = cp
        if not yes and start is not None:
            out.append(f"{start:x}-{cp - 1:x} ")
            start = None
    return "".join(out)


print(ranges(lambda c: validate_param_and_metric_name(c) is not None))
print(ranges(lambda c: c.strip() == ""))
