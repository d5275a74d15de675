"""The oracle: what only the simulator knows.

A real click log has no ground truth; this one keeps it apart so that a notebook which uses
it says so by name. It gives the floor no model can beat (the Bayes-optimal log loss), and
so a free leakage detector: a model scoring below the floor on held-out data is cheating.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import data
from .simulate import ClickModel, _sigmoid, get_preset, make_entities, pair_logit
from .simulate import click_delay_cdf as _delay_cdf


def true_click_probability(preset: str | None = None, days=None,
                           learner: str | None = None) -> pd.DataFrame:
    """The probability that each impression is ever clicked: columns impression_id, p_click."""
    return data.read_table(data.ORACLE_TABLE, preset, days=days,
                           columns=["impression_id", "p_click"], learner=learner)


def true_conversion_probability(preset: str | None = None, days=None,
                                learner: str | None = None) -> pd.DataFrame:
    """P(a click on each impression ends in a conversion): columns impression_id, p_convert."""
    return data.read_table(data.ORACLE_TABLE, preset, days=days,
                           columns=["impression_id", "p_convert"], learner=learner)


def pair_click_probability(preset: str | None = None, user_ids=None,
                           learner: str | None = None) -> np.ndarray:
    """P(click) of every (user, ad) pair, logged or not: rows `user_ids` (all users by default),
    one column per ad_id.

    The context is fixed at a reference (slot 1 of the feed, on a desktop, at an hour of average
    appeal, no earlier exposure, before the drift day): a different context moves every ad of a
    user by the same amount on the logit scale, so each row's order of ads, which retrieval is
    judged by, is the order in any context.
    """
    p = data.log_preset(preset, learner)
    entities = make_entities(p)
    users = np.arange(len(entities.users)) if user_ids is None else np.asarray(user_ids)
    if users.size and (users.min() < 0 or users.max() >= len(entities.users)):
        raise ValueError(
            f"user_ids must lie in 0..{len(entities.users) - 1} for the {p.name!r} log"
        )
    ads = np.arange(len(entities.ads))
    logit = p.model.intercept + pair_logit(entities, p.model, users[:, None], ads[None, :])
    return _sigmoid(logit)


def click_delay_cdf(seconds) -> np.ndarray:
    """P(a click arrives within `seconds` of its impression | the impression is clicked)."""
    return _delay_cdf(seconds, ClickModel())


def drift_date(preset: str | None = None) -> pd.Timestamp:
    """The first day the simulator shifted the device mix and weakened the interest match."""
    p = get_preset(data.resolve_preset(preset))
    return p.days()[p.drift_day]
