"""Whiteboard diagrams of a serving path: its stages as boxes, and their latency budget.

`draw_design(stages)` draws the stages left to right, one box each with its name, how many
candidates it takes in and lets out, and its p99; arrows join consecutive stages.
`draw_budget(stages, target_ms)` stacks the stages' p99 in one bar beside the target. Both
only draw what they are given: neither checks whether a design is any good.
"""

from __future__ import annotations

from numbers import Real

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .plotting import titled

REQUIRED = ("name", "candidates_in", "candidates_out", "p99_ms")
BOX_GID, ARROW_GID = "stage-box", "stage-arrow"
_BOX_W, _BOX_H, _GAP = 1.0, 0.62, 0.45


def _checked(stages) -> list[dict]:
    """The stages as a list of mappings, or a ValueError that names what is missing."""
    if isinstance(stages, dict) or not hasattr(stages, "__iter__"):
        raise ValueError("stages should be a list of dicts, one per stage, in serving order")
    stages = list(stages)
    if not stages:
        raise ValueError("stages is empty: a serving path has at least one stage")
    for i, stage in enumerate(stages):
        if not hasattr(stage, "keys"):
            raise ValueError(f"stage {i} should be a dict with the fields {', '.join(REQUIRED)}")
        label = f"stage {i} ({stage['name']!r})" if "name" in stage else f"stage {i}"
        for field in REQUIRED:
            if field not in stage:
                raise ValueError(f"{label} has no field {field!r}")
        for field in REQUIRED[1:]:
            value = stage[field]
            if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
                raise ValueError(f"{label}: {field!r} should be a number >= 0, not {value!r}")
    return stages


def stage_label(stage: dict) -> str:
    """The text of one box: name, candidates in -> out, p99."""
    return (f"{stage['name']}\n{stage['candidates_in']:,} \u2192 {stage['candidates_out']:,}\n"
            f"p99 {stage['p99_ms']:g} ms")


def draw_design(stages, title: str = "Serving path", ax=None):
    """Draw `stages` (dicts with name, candidates_in, candidates_out, p99_ms) as boxes from
    left to right, joined by arrows. Returns the matplotlib Axes."""
    stages = _checked(stages)
    if ax is None:
        ax = plt.subplots(figsize=(max(6.0, 2.2 * len(stages)), 2.6))[1]
    step = _BOX_W + _GAP
    for i, stage in enumerate(stages):
        x = i * step
        box = FancyBboxPatch((x, 0), _BOX_W, _BOX_H, boxstyle="round,pad=0.02",
                             facecolor=f"C{i % 10}", alpha=0.25, edgecolor="0.25", gid=BOX_GID)
        ax.add_patch(box)
        ax.text(x + _BOX_W / 2, _BOX_H / 2, stage_label(stage), ha="center", va="center",
                fontsize=8.5)
        if i:
            arrow = FancyArrowPatch((x - _GAP + 0.03, _BOX_H / 2), (x - 0.03, _BOX_H / 2),
                                    arrowstyle="-|>", mutation_scale=12, color="0.25",
                                    gid=ARROW_GID)
            ax.add_patch(arrow)
    ax.set_xlim(-0.1, len(stages) * step - _GAP + 0.1)
    ax.set_ylim(-0.15, _BOX_H + 0.15)
    ax.set_xticks([i * step + _BOX_W / 2 for i in range(len(stages))],
                  [f"{i + 1}" for i in range(len(stages))])
    ax.set_yticks([])
    ax.grid(False)
    titled(ax, title, "stage, in serving order (candidates in \u2192 out)", "")
    return ax


def draw_budget(stages, target_ms: float, title: str = "Latency budget at p99", ax=None):
    """One bar stacking each stage's p99, beside a line at the request's p99 target.
    Returns the matplotlib Axes."""
    stages = _checked(stages)
    if isinstance(target_ms, bool) or not isinstance(target_ms, Real) or target_ms <= 0:
        raise ValueError(f"target_ms should be a positive number of milliseconds, "
                         f"not {target_ms!r}")
    if ax is None:
        ax = plt.subplots(figsize=(6.5, 3.6))[1]
    bottom = 0.0
    for i, stage in enumerate(stages):
        ax.bar(0, stage["p99_ms"], bottom=bottom, width=0.5, color=f"C{i % 10}",
               label=f"{stage['name']} ({stage['p99_ms']:g} ms)")
        bottom += stage["p99_ms"]
    ax.axhline(target_ms, color="k", linestyle="--", linewidth=1.2,
               label=f"p99 target ({target_ms:g} ms)")
    ax.set_xlim(-0.6, 1.6)
    ax.set_xticks([0], ["sum of the stages' p99"])
    ax.set_ylim(0, max(bottom, target_ms) * 1.15)
    ax.legend(loc="center right", fontsize=8)
    titled(ax, title, "serving path (stages in series)", "milliseconds at p99")
    return ax
