"""Learner-facing outcomes of a check: passed, failing with a friendly message, not attempted.

Test cells wrap their asserts in `with exercise("name"):`. A failure shows one readable line
instead of a traceback (IPython renders `_render_traceback_`), so neither a visible check's
internals nor a hidden test's source reaches the learner, and nbgrader still scores it zero.
"""

from __future__ import annotations

import sys
import traceback
import warnings

NOT_ATTEMPTED = (
    "not attempted yet: replace `raise NotImplementedError()` in the exercise cell above "
    "with your code, run that cell, then run this one again."
)


class CheckFailed(AssertionError):
    """A check failed; its message names what is wrong and where to look."""

    status = "failing"

    def __init__(self, exercise: str, message: str):
        super().__init__(f"{exercise}: {message}")
        self.exercise = exercise
        self.message = message

    def _render_traceback_(self) -> list[str]:
        return [f"\u2717 {self.exercise}: {self.message}"]


class NotAttempted(CheckFailed):
    status = "not attempted"

    def _render_traceback_(self) -> list[str]:
        return [f"\u2026 {self.exercise}: {self.message}"]


def _your_line(tb, test_cell: str) -> str:
    """Where the learner's own code raised: the deepest frame in another notebook cell."""
    for frame in reversed(traceback.extract_tb(tb)):
        name = frame.filename
        if name != test_cell and ("ipykernel" in name or name.startswith("<ipython-input")):
            return f" (in your code: `{(frame.line or '').strip()}`)"
    return ""


class exercise:  # noqa: N801 - reads as a statement in a test cell: `with exercise("qps"):`
    """Run an exercise's checks; turn their outcome into one friendly line.

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
            print(f"\u2713 {self.name}: checks passed")
            return False
        if issubclass(kind, CheckFailed):
            return False
        if issubclass(kind, NotImplementedError):
            raise NotAttempted(self.name, NOT_ATTEMPTED) from None
        if issubclass(kind, AssertionError):
            raise CheckFailed(self.name, str(err) or "a check failed.") from None
        if issubclass(kind, Exception):
            raise CheckFailed(
                self.name,
                f"running your code raised {kind.__name__}: {err}{_your_line(tb, self._cell)}",
            ) from None
        return False  # KeyboardInterrupt and friends go through untouched
