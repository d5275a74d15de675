"""What a check says: passed, failing with a friendly message, not attempted, written.

Test cells wrap their asserts in `with exercise("name"):`. A failure shows one readable line
instead of a traceback (IPython renders `_render_traceback_`), so neither a visible check's
internals nor a hidden test's source reaches the learner, and nbgrader still scores it zero.
Each outcome is also data that `mlsd check` and the feedback pages read back, never parsed
from the line: a pass is published as `MIME` beside its line, a failure's error value is the
outcome as JSON. The marks and the wording of a line are defined here only.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from dataclasses import asdict, dataclass

MIME = "application/vnd.mlsd.check+json"
PASSED, FAILING, NOT_ATTEMPTED, WRITTEN, TO_WRITE = (
    "passed", "failing", "not attempted", "written", "to write")
MARKS = {PASSED: "\u2713", FAILING: "\u2717", NOT_ATTEMPTED: "\u2026", WRITTEN: "\u270e",
         TO_WRITE: "\u270e"}  # ✓ ✗ … ✎
NOT_ATTEMPTED_MESSAGE = (
    "not attempted yet: replace `raise NotImplementedError()` in the exercise cell above "
    "with your code, run that cell, then run this one again."
)


@dataclass(frozen=True)
class Outcome:
    """One exercise's outcome, as data."""

    exercise: str
    status: str  # PASSED, FAILING, NOT_ATTEMPTED, WRITTEN or TO_WRITE
    message: str = ""

    def line(self) -> str:
        """What a test cell shows: `✓ name: checks passed`, `✗ name: <message>`, `… name: ...`."""
        text = "checks passed" if self.status == PASSED and not self.message else self.message
        return f"{MARKS[self.status]} {self.exercise}: {text}"

    def report_line(self) -> str:
        """What `mlsd check` prints: the status spelt out, then the message if any."""
        text = f"{MARKS[self.status]} {self.exercise}: {self.status}"
        return text + (f": {self.message}" if self.message else "")

    def data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data) -> Outcome | None:
        """An outcome read back from a notebook's output; None if it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("exercise"), str) \
                or data.get("status") not in MARKS:
            return None
        return cls(data["exercise"], data["status"], str(data.get("message", "")))


def error_output(outcome: Outcome) -> dict:
    """The error output a failed check leaves in a notebook (nbformat's `error` output)."""
    ename = "NotAttempted" if outcome.status == NOT_ATTEMPTED else "CheckFailed"
    return {"output_type": "error", "ename": ename, "evalue": json.dumps(outcome.data()),
            "traceback": [outcome.line()]}


def outcome_in(output) -> Outcome | None:
    """The outcome a check left in one output of a notebook cell, if it left one (a notebook's
    outputs are the learner's to forge: anything else is None, never an error)."""
    try:
        if output.get("output_type") == "error":
            if output.get("ename") not in ("CheckFailed", "NotAttempted"):
                return None
            payload = output.get("evalue")
        else:
            payload = (output.get("data") or {}).get(MIME)
        if isinstance(payload, str):
            payload = json.loads(payload)
        return Outcome.from_data(payload) if isinstance(payload, dict) else None
    except (AttributeError, TypeError, ValueError):
        return None


def _show_pass(outcome: Outcome) -> None:
    """The pass's line for the reader, its outcome as data beside it (plain Python: the line)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "display_pub", None) is None:
        print(outcome.line())
        return
    shell.display_pub.publish({"text/plain": outcome.line(), MIME: outcome.data()})


class CheckFailed(AssertionError):
    """A check failed; its message names what is wrong and where to look."""

    status = FAILING

    def __init__(self, exercise: str, message: str):
        self.exercise = exercise
        self.message = message
        super().__init__(json.dumps(self.outcome.data()))  # the error value a notebook keeps

    @property
    def outcome(self) -> Outcome:
        return Outcome(self.exercise, self.status, self.message)

    def _render_traceback_(self) -> list[str]:
        return [self.outcome.line()]


class NotAttempted(CheckFailed):
    status = NOT_ATTEMPTED


def _your_line(tb, test_cell: str) -> str:
    """Where the learner's own code raised: the deepest frame in another notebook cell."""
    for frame in reversed(traceback.extract_tb(tb)):
        name = frame.filename
        if name != test_cell and ("ipykernel" in name or name.startswith("<ipython-input")):
            return f" (in your code: `{(frame.line or '').strip()}`)"
    return ""


class exercise:  # noqa: N801 - reads as a statement in a test cell: `with exercise("qps"):`
    """Run an exercise's checks; turn their outcome into one friendly line and its data.

    Warnings raised inside are silenced on purpose: nbgrader scores a test cell that writes
    to stderr as zero, and a library's deprecation notice must not cost a learner points.
    """

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self._cell = sys._getframe(1).f_code.co_filename
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        return self

    def __exit__(self, kind, err, tb):
        self._warnings.__exit__(None, None, None)
        if kind is None:
            _show_pass(Outcome(self.name, PASSED))
            return False
        if issubclass(kind, CheckFailed):
            failed = err
        elif issubclass(kind, NotImplementedError):
            failed = NotAttempted(self.name, NOT_ATTEMPTED_MESSAGE)
        elif issubclass(kind, AssertionError):
            failed = CheckFailed(self.name, str(err) or "a check failed.")
        elif issubclass(kind, Exception):
            failed = CheckFailed(
                self.name,
                f"running your code raised {kind.__name__}: {err}{_your_line(tb, self._cell)}")
        else:
            return False  # KeyboardInterrupt and friends go through untouched
        if failed is err:
            return False
        raise failed from None
