"""Where grading keeps a submission's notebooks: in the class's course, and in the private
course a job grades it in.

Both follow nbgrader's own rule for the course's folders (`CourseDirectory.format_path` with
the folder names of `grader/nbgrader_config.py`); a private course is the same configuration at
another root. The job builds the private course and hands the worker its paths, so the worker
spells none of them.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from pathlib import Path


def notebook(config, folder: str, student: str, step: str) -> Path:
    """A step's notebook in one of the course's folders: `folder` is "submitted",
    "autograded", "feedback" (an HTML page) or "source"."""
    from nbgrader.coursedir import CourseDirectory

    directory = getattr(config.CourseDirectory, f"{folder}_directory")
    found = CourseDirectory(config=config).format_path(
        directory, "." if folder == "source" else student, step)
    return Path(found) / f"{step}.{'html' if folder == 'feedback' else 'ipynb'}"


def gradebook_file(config) -> Path:
    return Path(config.CourseDirectory.db_url.removeprefix("sqlite:///"))


@dataclass(frozen=True)
class JobFolder:
    """One job's folder: a private course with one submission and a gradebook of one step,
    the worker's instructions and results, and the sandbox's home and scratch space."""

    top: str
    course: str
    gradebook: str
    submitted: str  # the notebook to grade
    autograded: str  # where nbgrader writes it, executed and scored
    source: str  # the step's source folder: nbgrader copies its other files from there
    job: str  # the worker's instructions (JSON)
    config: str  # the course's nbgrader configuration, pointed at this course (pickle)
    result: str  # the worker's result (JSON)
    log: str  # everything the sandboxed processes print
    home: str
    tmp: str
    build: str  # $MLSD_BUILD_DIR of the notebook

    @classmethod
    def at(cls, top: Path, config, student: str, step: str) -> tuple[JobFolder, object]:
        """The folder's layout and the configuration that grades in it."""
        private = copy.deepcopy(config)
        course = top / "course"
        private.CourseDirectory.root = str(course)
        private.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
        where = {
            "top": top, "course": course, "gradebook": gradebook_file(private),
            "submitted": notebook(private, "submitted", student, step),
            "autograded": notebook(private, "autograded", student, step),
            "source": notebook(private, "source", student, step).parent,
            "job": top / "job.json", "config": top / "config.pickle",
            "result": top / "result.json", "log": top / "sandbox.log", "home": top / "home",
            "tmp": top / "tmp", "build": top / "build"}
        return cls(**{k: str(v) for k, v in where.items()}), private

    def paths(self) -> dict[str, str]:
        return asdict(self)
