"""Headline figures: a notebook records them, the course runner collects them.

`record("base_ctr", 0.021)` shows `base_ctr = 0.021` to the reader and leaves a JSON output
that `mlsd.authoring.run` reads from the executed notebook into the run summary.
"""

from __future__ import annotations

import json
import math
import numbers

MIME = "application/vnd.mlsd.figure+json"


def _plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(float(value)) else float(value)
    raise TypeError(f"record() takes a number or a string, not {type(value).__name__}")


def record(name: str, value) -> None:
    """Show a headline figure and keep it for the run summary."""
    from IPython.display import display

    value = _plain(value)
    if isinstance(value, float):
        shown = f"{value:,.4g}"
    elif isinstance(value, int) and not isinstance(value, bool):
        shown = f"{value:,}"
    else:
        shown = value
    display({MIME: {"name": name, "value": value}, "text/plain": f"{name} = {shown}"}, raw=True)


def figures_in(notebook) -> dict:
    """The figures recorded in an executed notebook (an nbformat node or a parsed JSON dict)."""
    found = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(MIME)
            if payload is not None:
                if isinstance(payload, str):
                    payload = json.loads(payload)
                found[payload["name"]] = payload["value"]
    return found
