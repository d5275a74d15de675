"""Helpers every notebook of the course shares: the click log, checks, figures and plots.

Nothing here answers an exercise; a learner may import and read all of it.
"""

from importlib.metadata import version as _version

from . import registry
from .data import ClickLog, DataError, load_log
from .feedback import exercise
from .notebook import setup
from .summary import record

__version__ = _version("mlsd")
__all__ = ["ClickLog", "DataError", "check", "exercise", "load_log", "record", "registry",
           "setup", "__version__"]


def check(target: str | None = None) -> bool:
    """Run a saved notebook in a fresh kernel and report each exercise (see mlsd.selfcheck)."""
    from .selfcheck import check as run_check

    return run_check(target)
