"""One plotting style for the whole course, and the few chart helpers the notebooks share."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.ticker import PercentFormatter

STYLE = {
    "figure.figsize": (7.5, 3.8),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "legend.frameon": False,
}


def use_course_style() -> None:
    mpl.rcParams.update(STYLE)


def percent_axis(ax, axis: str = "y", decimals: int = 1) -> None:
    """Show fractions (0.02) as percentages (2.0 %) on one axis."""
    fmt = PercentFormatter(xmax=1.0, decimals=decimals)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def mark(ax, x, label: str, color: str = "C3", axis: str = "x") -> None:
    """A labelled reference line, e.g. a mean, a p99 or a drift day."""
    line = ax.axvline if axis == "x" else ax.axhline
    line(x, color=color, linestyle="--", linewidth=1.2, label=label)


def titled(ax, title: str, xlabel: str, ylabel: str):
    """Every course chart carries a title and labelled axes."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def new_axes(**kwargs):
    fig, ax = plt.subplots(**kwargs)
    return ax
