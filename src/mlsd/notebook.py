"""What the first cell of every notebook calls: one look, no noise."""

from __future__ import annotations

import warnings


def setup() -> None:
    """Course plot style, readable pandas output, and library notices kept out of the way.

    Only warnings about library internals are silenced; a learner's own mistakes still raise.
    """
    import pandas as pd

    from .plotting import use_course_style

    use_course_style()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", "{:,.4f}".format)
    for category in (FutureWarning, DeprecationWarning, PendingDeprecationWarning, UserWarning):
        warnings.filterwarnings("ignore", category=category)
