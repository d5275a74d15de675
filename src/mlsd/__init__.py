"""Helpers every notebook of the course shares: the click log, checks, figures and plots.

Nothing here answers an exercise; a learner may import and read all of it. `import mlsd` is
light: the click log's modules (pandas, pyarrow) and the registry's load when first used.
"""

import importlib
import os
from importlib.metadata import version as _version

from .feedback import exercise
from .notebook import setup
from .summary import record

# MLflow starts its usage telemetry when it is imported: the course's runs send none, so a
# notebook imports mlsd before mlflow.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

__version__ = _version("mlsd")
__all__ = ["ClickLog", "DataError", "check", "exercise", "load_log", "record", "registry",
           "setup", "__version__"]
_FROM_DATA = ("ClickLog", "DataError", "load_log")
_MODULES = ("data", "diagram", "oracle", "plotting", "registry", "simulate")


def __getattr__(name: str):
    if name in _FROM_DATA:
        return getattr(importlib.import_module(".data", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")


def check(target: str | None = None) -> bool:
    """Run a saved notebook in a fresh kernel and report each exercise (see mlsd.selfcheck)."""
    from .selfcheck import check as run_check

    return run_check(target)
