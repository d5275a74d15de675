"""Regenerate the student notebooks in notebooks/ from the nbgrader sources in solutions/."""

from __future__ import annotations

import logging
from pathlib import Path

from . import course


class GraderError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's own log."""


def load_config(config_file: Path | None = None):
    """The course's nbgrader configuration; nbgrader's Python API reads no file by itself."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(config_file or course.grader_config_file()).resolve()
    return PyFileConfigLoader(path.name, str(path.parent)).load_config()


def api(config_file: Path | None = None):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course.use_tool_env()  # nbgrader runs `alembic` from PATH to create the gradebook
    config = load_config(config_file)
    log = logging.getLogger("mlsd.nbgrader")
    coursedir = CourseDirectory(config=config, log=log)
    return NbGraderAPI(coursedir=coursedir, config=config, log=log)


def release(steps: list[str] | None = None, config_file: Path | None = None) -> list[Path]:
    """Generate each step's student notebook; the result has no outputs and no solutions."""
    grader = api(config_file)
    root = Path(grader.coursedir.root)
    chosen = steps or course.steps(root / grader.coursedir.source_directory)
    written = []
    for step in chosen:
        result = grader.generate_assignment(step, force=True, create=True)
        if not result["success"]:
            detail = result.get("error") or result.get("log")
            raise GraderError(f"could not release {step}:\n{detail}")
        written.append(root / grader.coursedir.release_directory / step / f"{step}.ipynb")
    return written
