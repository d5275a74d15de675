"""What the first cell of every notebook calls: one look, no noise."""

from __future__ import annotations

import warnings


def setup() -> None:
    """Course plot style, readable pandas output, and library notices kept out of the way.

    Only notices about libraries' own future (deprecations) are silenced. Warnings about the
    learner's work (a model that did not converge, a caveat of the data) still show: nbgrader's
    `IgnorePattern` in grader/nbgrader_config.py keeps them from zeroing a test cell.
    """
    import pandas as pd

    from .plotting import use_course_style

    use_course_style()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", "{:,.4f}".format)
    for category in (FutureWarning, DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
