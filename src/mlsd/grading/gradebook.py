"""The course's nbgrader gradebook: assignments, a per-step template, results, totals.

Only the main process writes the course's gradebook, one result after another in a fixed
order, so a parallel run leaves it exactly as a sequential one. Writing a result follows
nbgrader's own rules (`SaveAutoGrades`): the autograder's score goes to `auto_score`, a human
grader's `manual_score`, `extra_credit` and `manual_comment` are never touched, so regrading a
class keeps every written answer's grade and comment.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import course


@dataclass(frozen=True)
class CellSpec:
    """One cell nbgrader knows for a step, as recorded when the step was released."""

    name: str
    cell_type: str  # "code" or "markdown"
    source: str  # tests in full (hidden ones included), the stub for answer cells
    checksum: str
    locked: bool
    grade: bool  # scored (autograder tests and written answers)
    solution: bool  # the learner writes in it
    points: float | None
    task: bool = False  # a "manually graded task" cell: locked, its mark scheme kept from learners

    @property
    def test(self) -> bool:
        return self.grade and not self.solution


@dataclass(frozen=True)
class Step:
    """One step as the gradebook records it, its cells in the released order."""

    name: str
    cells: dict[str, CellSpec]
    order: tuple[str, ...]  # the recorded cells' ids as the source notebook orders them


def step(config, name: str) -> Step:
    """A step from the gradebook; the order comes from its source notebook, and cells the
    source no longer has go last."""
    source = Path(config.CourseDirectory.root) / config.CourseDirectory.source_directory
    known = cells(config, name)
    ids = [i for i in source_ids(source / name / f"{name}.ipynb") if i in known]
    return Step(name, known, tuple(ids + sorted(set(known) - set(ids))))


def source_ids(notebook: Path) -> list[str]:
    """The ids of a source notebook's graded and locked cells, in its order."""
    if not notebook.is_file():
        return []
    ids = [grade_id(c) for c in json.loads(notebook.read_text()).get("cells", [])]
    return [i for i in ids if i]


def grade_id(cell) -> str | None:
    """A notebook cell's nbgrader id, or None, however damaged its metadata (a submitted
    notebook's metadata is the learner's to edit)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    found = meta.get("grade_id") if isinstance(meta, dict) else None
    return found if isinstance(found, str) and found else None


def connect(config):
    """The course's gradebook (`with connect(config) as gb:`); created if it does not exist."""
    from nbgrader.api import Gradebook

    course.use_tool_env()  # a new gradebook runs `alembic` from PATH
    return Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id)


def has_assignment(config, step: str) -> bool:
    from nbgrader.api import MissingEntry

    with connect(config) as gb:
        try:
            gb.find_notebook(step, step)
            return True
        except MissingEntry:
            return False


def record_assignment(config_file: Path | None, step: str) -> None:
    """Record a step's cells (tests, points, checksums) in the course's gradebook, as
    `nbgrader generate_assignment` does, without touching the released notebooks."""
    from ..authoring.release import GraderError, api

    with tempfile.TemporaryDirectory() as scratch:
        grader = api(config_file)
        grader.coursedir.release_directory = scratch  # an absolute path wins in os.path.join
        result = grader.generate_assignment(step, force=True, create=True)
        if not result["success"]:
            raise GraderError(f"could not record {step} in the gradebook:\n"
                              f"{result.get('error') or result.get('log')}")


def cells(config, step: str) -> dict[str, CellSpec]:
    with connect(config) as gb:
        nb = gb.find_notebook(step, step)
        scored = {c.name: c for c in [*nb.grade_cells, *nb.task_cells]}
        grade = {c.name for c in nb.grade_cells}
        solution = {c.name for c in nb.solution_cells}
        task = {c.name for c in nb.task_cells}
        return {
            c.name: CellSpec(c.name, c.cell_type, c.source or "", c.checksum or "", c.locked,
                             c.name in grade, c.name in solution,
                             scored[c.name].max_score if c.name in scored else None,
                             c.name in task)
            for c in nb.source_cells
        }


def empty(config) -> bytes:
    """A new, empty gradebook (SQLite file): the course's, emptied (making a new one runs
    `alembic`, a second or two; emptying and compacting a copy takes milliseconds)."""
    import sqlite3

    from nbgrader.api import Gradebook

    course.use_tool_env()
    url = config.CourseDirectory.db_url
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "empty.db"
        if url.startswith("sqlite:///") and Path(url.removeprefix("sqlite:///")).is_file():
            with sqlite3.connect(url.removeprefix("sqlite:///")) as src, \
                    sqlite3.connect(path) as dst:
                src.backup(dst)
                tables = [r[0] for r in dst.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%' AND name != 'alembic_version'")]
                for table in tables:
                    dst.execute(f'DELETE FROM "{table}"')
                dst.commit()
                dst.execute("VACUUM")  # no page keeps a trace of a student
        else:
            with Gradebook(f"sqlite:///{path}", config.CourseDirectory.course_id):
                pass
        return path.read_bytes()


def template(config, step: str, base: bytes | None = None) -> bytes:
    """A new gradebook (SQLite file) holding this step's cells and nothing about students;
    `base`: an empty gradebook to start from (see `empty`)."""
    from nbgrader.api import Gradebook

    course.use_tool_env()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "template.db"
        path.write_bytes(base or empty(config))
        course_id = config.CourseDirectory.course_id
        with connect(config) as src, Gradebook(f"sqlite:///{path}", course_id) as dst:
            a = src.find_assignment(step)
            dst.update_or_create_assignment(step, duedate=a.duedate)
            for nb in a.notebooks:
                dst.update_or_create_notebook(nb.name, step, kernelspec=nb.kernelspec)
                for c in nb.grade_cells:
                    dst.update_or_create_grade_cell(c.name, nb.name, step, max_score=c.max_score,
                                                    cell_type=c.cell_type)
                for c in nb.solution_cells:
                    dst.update_or_create_solution_cell(c.name, nb.name, step)
                for c in nb.task_cells:
                    dst.update_or_create_task_cell(c.name, nb.name, step, max_score=c.max_score,
                                                   cell_type=c.cell_type)
                for c in nb.source_cells:
                    dst.update_or_create_source_cell(c.name, nb.name, step,
                                                     cell_type=c.cell_type, locked=c.locked,
                                                     source=c.source, checksum=c.checksum)
        return path.read_bytes()


def save(gb, student: str, step: str, *, grades: dict | None, comments: dict | None,
         timestamp: str | None = None, late_penalty: float | None = None) -> None:
    """Write one submission's autograder results; `grades=None`: nothing gradeable was handed
    in (every cell scores zero and needs no manual grade, as nbgrader does for a missing
    notebook). A 0-point task cell (a rubric) never waits for a grade, so Formgrader does not
    list the submission as needing manual grading once its written answers are graded."""
    import warnings

    gb.update_or_create_student(student)
    with warnings.catch_warnings():  # nbgrader's own way of adding a submission makes
        warnings.simplefilter("ignore")  # SQLAlchemy warn about its autoflush
        if timestamp:
            gb.update_or_create_submission(step, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(step, student)
    nb = gb.find_submission_notebook(step, step, student)
    for grade in nb.grades:
        old_auto, old_flag = grade.auto_score, grade.needs_manual_grade
        if grades is None:
            grade.auto_score = 0.0
            needs = False
        else:
            grade.auto_score = grades.get(grade.name)
            if grade.auto_score is None and not grade.max_score:
                grade.auto_score = 0.0  # a 0-point task cell carries a rubric: nothing to grade
            needs = grade.auto_score is None
        if grade.manual_score is not None:  # a human grade stands; review only if work changed
            needs = old_flag or grade.auto_score != old_auto
        grade.needs_manual_grade = needs
    for comment in nb.comments:
        comment.auto_comment = None if comments is None else comments.get(comment.name)
    nb.late_submission_penalty = late_penalty
    gb.db.commit()


def totals(config) -> dict[str, dict[str, float]]:
    """{student: {step: points}} for every submission in the gradebook (manual grades count,
    late penalties are taken off)."""
    out: dict[str, dict[str, float]] = {}
    with connect(config) as gb:
        for student in gb.students:
            for sub in gb.student_submissions(student.id):
                penalty = sum(nb.late_submission_penalty or 0 for nb in sub.notebooks)
                out.setdefault(student.id, {})[sub.assignment.name] = sub.score - penalty
    return out


def written_answers_waiting(gb, student: str, step: str) -> int:
    """Written answers that still wait for a grader (a 0-point task cell, which only carries
    a rubric, waits for nobody)."""
    nb = gb.find_submission_notebook(step, step, student)
    return sum(1 for g in nb.grades if g.cell.cell_type == "markdown" and g.needs_manual_grade
               and (g.max_score or 0) > 0)
