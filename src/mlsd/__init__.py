"""Helpers every notebook of the course shares, and the course's command line.

The package, by what its parts are for:

- `mlsd.clicklog`: the synthetic click log: the simulator, loading and caching a log, the oracle;
- `mlsd.learner`: what learners use: the checks of exercises, `mlsd check`, plots, diagrams,
  headline figures, step 6's model registry, opening the course in JupyterLab;
- `mlsd.grading`: grading a class: collect, screen, run in a sandbox, store, report;
- `mlsd.authoring`: releasing the student notebooks and running the solutions;
- `mlsd.course`: where the steps, solutions and release live; `mlsd.cli`: the command line.

Nothing here answers an exercise; a learner may import and read all of it. `import mlsd` is
light: each part loads when first used (the click log's pandas and pyarrow, MLflow).
"""

import importlib
import os
from importlib.metadata import version as _version


def _submodules(package: str, names: tuple[str, ...]):
    """A package's `__getattr__` that imports its submodules when first used, so that
    `mlsd.clicklog.oracle.…` works after `import mlsd` alone."""

    def __getattr__(name: str):
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__



from .learner.checks import exercise  # noqa: E402 - after _submodules, which they use
from .learner.figures import record  # noqa: E402
from .learner.notebook import setup  # noqa: E402

# MLflow starts its usage telemetry when it is imported: the course's runs send none, so a
# notebook imports mlsd before mlflow.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

__version__ = _version("mlsd")
__all__ = ["ClickLog", "DataError", "check", "exercise", "load_log", "record", "setup",
           "__version__"]
_FROM_DATA = ("ClickLog", "DataError", "load_log")
_PACKAGES = ("authoring", "clicklog", "grading", "learner")


def __getattr__(name: str):
    if name in _FROM_DATA:
        return getattr(importlib.import_module(".clicklog.data", __name__), name)
    if name in _PACKAGES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")


def check(target: str | None = None) -> bool:
    """Run a saved notebook in a fresh kernel and report each exercise (see mlsd.learner)."""
    from .learner.selfcheck import check as run_check

    return run_check(target)
