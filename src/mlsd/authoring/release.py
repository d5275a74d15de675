"""Regenerate the student notebooks in notebooks/ from the nbgrader sources in solutions/."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from .. import course


class GraderError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's own log."""


def load_config(config_file: Path | None = None):
    """The course's nbgrader configuration; nbgrader's Python API reads no file by itself."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(config_file or course.grader_config_file()).resolve()
    return PyFileConfigLoader(path.name, str(path.parent)).load_config()


def api(config_file: Path | None = None, db_url: str | None = None):
    """nbgrader's Python API on the course (or on a copy of it, via its config file)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course.use_tool_env()  # nbgrader runs `alembic` from PATH to create the gradebook
    config = load_config(config_file)
    if db_url:
        config.CourseDirectory.db_url = db_url
    log = logging.getLogger("mlsd.nbgrader")
    coursedir = CourseDirectory(config=config, log=log)
    return NbGraderAPI(coursedir=coursedir, config=config, log=log)


def release(steps: list[str] | None = None, config_file: Path | None = None, *,
            gradebook: bool = False) -> list[Path]:
    """Generate each step's student notebook; the result has no outputs and no solutions.

    By default the course's gradebook is left alone (a throwaway one records the cells), so a
    maintainer can change a notebook whatever an instructor has graded. `gradebook=True`
    records the assignments in the course's gradebook, as `nbgrader generate_assignment`
    does before autograding.
    """
    with tempfile.TemporaryDirectory() as scratch:
        db_url = None if gradebook else "sqlite:///" + str(Path(scratch) / "release.db")
        return _generate(api(config_file, db_url), steps)


def _generate(grader, steps):
    root = Path(grader.coursedir.root)
    chosen = steps or course.steps(root / grader.coursedir.source_directory)
    written = []
    for step in chosen:
        result = grader.generate_assignment(step, force=True, create=True)
        if not result["success"]:
            detail = result.get("error") or result.get("log")
            raise GraderError(f"could not release {step}:\n{detail}")
        written.append(root / grader.coursedir.release_directory / step / f"{step}.ipynb")
    written += _copy_landing_pages(root / grader.coursedir.source_directory,
                                   root / grader.coursedir.release_directory)
    return written


def _copy_landing_pages(source: Path, release: Path) -> list[Path]:
    """Notebooks at the top of solutions/ (the course's start page) hold no exercise: they
    are released as they are."""
    copied = []
    for page in sorted(source.glob("*.ipynb")):
        target = release / page.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        copied.append(target)
    return copied
