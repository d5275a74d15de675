"""The plain nbgrader round trip: nbgrader's own autograde, without the course's sandbox.

The suite uses it to prove each exercise's tests are worth their points, with nbgrader as it
is (tests/test_grading.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlsd.authoring.release import GraderError, api
from mlsd.clicklog.data import separate_build_dir


@dataclass(frozen=True)
class CellScore:
    grade_id: str
    cell_type: str  # "code" for autograded tests, "markdown" for written answers
    score: float | None  # None: waits for a manual grade
    max_score: float

    @property
    def autograded(self) -> bool:
        return self.cell_type == "code"


def autograde(step: str, students: list[str], config_file: Path | None = None) -> dict:
    """Autograde each student's submission of `step`; {student: {grade_id: CellScore}}.

    Submissions are read from the course's `submitted/<student>/<step>/`; existing results
    are regraded (nbgrader skips work that exists unless forced).
    """
    from nbgrader.api import Gradebook

    grader = api(config_file)
    for student in students:
        with separate_build_dir():
            result = grader.autograde(step, student, force=True, create=True)
        if not result["success"]:
            detail = result.get("error") or result.get("log")
            raise GraderError(f"autograding {student}/{step} failed:\n{detail}")
    scores = {}
    with Gradebook(grader.coursedir.db_url) as gradebook:
        for student in students:
            notebook = gradebook.find_submission_notebook(step, step, student)
            scores[student] = {
                g.name: CellScore(
                    g.name, g.cell_type,
                    None if g.cell_type == "markdown" and g.manual_score is None else g.score,
                    g.max_score)
                for g in notebook.grades
            }
    return scores
