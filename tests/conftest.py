"""Shared fixtures: the course's layout, a throwaway course folder, the tiny click log."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from mlsd import course

ROOT = course.root()
# MLSD_STEPS="02_framing 03_data_preparation" limits the notebook tests to some steps.
STEPS = [s for s in course.steps() if s in os.environ.get("MLSD_STEPS", s).split()]
_unknown = set(os.environ.get("MLSD_STEPS", "").split()) - set(course.steps())
if _unknown or not STEPS:  # a typo must not turn every notebook test into a silent skip
    raise pytest.UsageError(f"MLSD_STEPS names no step of the course: {sorted(_unknown)}")
TEST_PRESET = "tiny"

# Everything the suite runs (papermill kernels, nbgrader autograding) uses the tiny log.
os.environ["MLSD_PRESET"] = TEST_PRESET


def pytest_configure(config):
    """Generate the tiny log once, before pytest-xdist starts its workers, so they never
    race to write it."""
    if not hasattr(config, "workerinput"):
        from mlsd.clicklog.data import ensure_log

        ensure_log(TEST_PRESET, progress=False)


@pytest.fixture(scope="session", autouse=True)
def tiny_log():
    from mlsd.clicklog.data import ensure_log

    return ensure_log(TEST_PRESET, progress=False)


def make_course(dest: Path) -> Path:
    """A copy of the course's nbgrader sources and configuration in `dest`."""
    shutil.copytree(ROOT / "solutions", dest / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (dest / "grader").mkdir(parents=True)
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", dest / "grader")
    return dest / "grader" / "nbgrader_config.py"


def run_solution_cell(step: str, grade_id: str, **names) -> dict:
    """Run one solution cell of a step in a fresh namespace holding `names`; return it."""
    import nbformat

    nb = nbformat.read(course.solution(step), as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    namespace = dict(names)
    exec(cell.source, namespace)
    return namespace


def wrong_answers(step: str) -> dict:
    """The catalogue of plausible wrong answers of one step (tests/wrong_answers/<step>.py)."""
    path = ROOT / "tests" / "wrong_answers" / f"{step}.py"
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{step}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG_ANSWERS
