"""The oracle: what only the simulator knows.

A real click log has no ground truth; this one keeps it apart so that a notebook which uses
it says so by name. It gives the floor no model can beat (the Bayes-optimal log loss), and
so a free leakage detector: a model scoring below the floor on held-out data is cheating.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import data
from .simulate import ClickModel, get_preset
from .simulate import click_delay_cdf as _delay_cdf


def true_click_probability(preset: str | None = None, days=None) -> pd.DataFrame:
    """The probability that each impression is ever clicked: columns impression_id, p_click."""
    return data.read_table(data.ORACLE_TABLE, preset, days=days,
                           columns=["impression_id", "p_click"])


def true_conversion_probability(preset: str | None = None, days=None) -> pd.DataFrame:
    """P(a click on each impression ends in a conversion): columns impression_id, p_convert."""
    return data.read_table(data.ORACLE_TABLE, preset, days=days,
                           columns=["impression_id", "p_convert"])


def click_delay_cdf(seconds) -> np.ndarray:
    """P(a click arrives within `seconds` of its impression | the impression is clicked)."""
    return _delay_cdf(seconds, ClickModel())


def drift_date(preset: str | None = None) -> pd.Timestamp:
    """The first day the simulator shifted the device mix and weakened the interest match."""
    p = get_preset(data.resolve_preset(preset))
    return p.days()[p.drift_day]
