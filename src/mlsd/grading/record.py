"""One submission as grading carries it from stage to stage, and what became of it.

Each stage of the pipeline (collect, screen, run, store, report) fills in its own fields of
the one `Submission` and may set its `status`; nothing else about a submission is kept
anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Status(StrEnum):
    """What grading made of one submission. Only ERROR is the grader's fault."""

    GRADED = "graded"
    MISSING = "missing"  # nothing handed in
    REJECTED = "rejected"  # not a notebook of this step: scores zero without running
    TIMED_OUT = "timed out"
    KERNEL_DIED = "kernel died"
    MEMORY_LIMIT = "memory limit"
    STOPPED = "stopped"  # a signal from a CPU or memory limit
    DAMAGED = "damaged"  # the notebook's code damaged the grader's own files
    INVALID_METADATA = "invalid metadata"
    ERROR = "grading error"  # the grader failed: never the learner's fault

    @property
    def stored(self) -> bool:
        """Grading leaves a new result in the gradebook (nothing handed in and a grading error
        leave the last one standing)."""
        return self not in (Status.MISSING, Status.ERROR)


@dataclass
class Submission:
    """One student's one step. Collect fills the first block (and `seed` with --variants),
    screen `notebook`, run the results of the job, store the points."""

    student: str
    step: str
    path: Path | None = None  # the file handed in; None: nothing was
    timestamp: str | None = None  # nbgrader's timestamp.txt, for late penalties
    reasons: list[str] = field(default_factory=list)  # why it scored less than its answers
    status: Status | None = None  # None until a stage decides
    seed: int | None = None  # the log it was graded on, with --variants
    # screen: the notebook to run (JSON text), its locked cells restored
    notebook: str | None = None
    # run: nbgrader's scores and the executed notebook (JSON text)
    grades: dict[str, float | None] = field(default_factory=dict)
    comments: dict[str, str | None] = field(default_factory=dict)
    late_penalty: float | None = None
    autograded: str | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # the job's phases, in seconds
    isolation: tuple[str, ...] = ()  # the sandbox's layers in force
    detail: str = ""  # the end of the grader's log, for grading errors
    # store
    points: float | None = None
    max_points: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.step

    def done(self, status: Status, *reasons: str, **results) -> Submission:
        """Set the outcome of a stage: its status, its reasons after the earlier ones, and
        any result fields."""
        self.status = status
        self.reasons = [*self.reasons, *reasons]
        for name, value in results.items():
            setattr(self, name, value)
        return self
