"""The store stage: a graded submission into the class's course.

The file handed in goes to `submitted/` (unless it was graded where it lies), the executed
notebook to `autograded/`, the scores to the gradebook (`gradebook.save`, which keeps every
human grade), and its status, reasons and seed to the grading record (`grading.json` beside
the gradebook), which the CSV and `mlsd feedback` read later.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import gradebook, layout
from .gradebook import Step
from .record import Status, Submission

RECORD = "grading.json"


def store(gb, config, sub: Submission, step: Step, *, copy_in: bool = True) -> None:
    """Write one submission's files and scores; `copy_in=False`: it already lies in the
    course's `submitted/` (nbgrader collect)."""
    if not sub.status.stored:
        return  # nothing new to record: earlier results stand
    submitted = layout.notebook(config, "submitted", sub.student, sub.step)
    autograded = layout.notebook(config, "autograded", sub.student, sub.step)
    if copy_in:
        _replace_dir(submitted.parent)
        shutil.copyfile(sub.path, submitted)
        if sub.timestamp:
            (submitted.parent / "timestamp.txt").write_text(sub.timestamp)
    if sub.status is Status.REJECTED:  # nothing ran: no autograded notebook
        _remove_dir(autograded.parent)
        gradebook.save(gb, sub.student, sub.step, grades=None, comments=None,
                       timestamp=sub.timestamp)
        return
    _replace_dir(autograded.parent)
    if sub.status is Status.GRADED:
        autograded.write_text(sub.autograded)
        gradebook.save(gb, sub.student, sub.step, grades=sub.grades, comments=sub.comments,
                       timestamp=sub.timestamp, late_penalty=sub.late_penalty)
    else:  # it did not finish: the tests score what the re-check saw pass before it stopped
        # (job.py), or nothing; written answers are graded
        autograded.write_text(sub.autograded or sub.notebook)
        zero = {n: (0.0 if c.cell_type == "code" else None)
                for n, c in step.cells.items() if c.grade}
        scored = {n: v for n, v in sub.grades.items() if n in zero}
        gradebook.save(gb, sub.student, sub.step, grades={**zero, **scored}, comments={},
                       timestamp=sub.timestamp)


def fill_points(gb, sub: Submission) -> None:
    """The submission's points as the gradebook now holds them (manual grades count)."""
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_submission_notebook(sub.step, sub.step, sub.student)
    except MissingEntry:
        sub.points = 0.0 if sub.status is Status.MISSING else None
        return
    sub.points = nb.score - (nb.late_submission_penalty or 0)
    sub.max_points = nb.max_score


def _replace_dir(path: Path) -> None:
    _remove_dir(path)
    path.mkdir(parents=True)


def _remove_dir(path: Path) -> None:
    if path.exists():
        for p in path.rglob("*"):  # nbgrader leaves its outputs read-only
            if p.is_file():
                p.chmod(0o644)
        shutil.rmtree(path)


def read_record(config) -> dict:
    """{"student/step": {"status", "reasons", "seed"?}} of every submission graded so far."""
    path = _record_path(config)
    return json.loads(path.read_text()) if path.exists() else {}


def note(record: dict, sub: Submission) -> None:
    """Keep what this grading found about a submission (an error leaves the last entry)."""
    if sub.status is Status.ERROR:
        return
    entry = {"status": sub.status.value, "reasons": sub.reasons}
    if sub.seed is not None:
        entry["seed"] = sub.seed
    record[record_key(sub.student, sub.step)] = entry


def record_key(student: str, step: str) -> str:
    return f"{student}/{step}"


def write_record(config, record: dict) -> None:
    _record_path(config).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def _record_path(config) -> Path:
    return layout.gradebook_file(config).parent / RECORD
