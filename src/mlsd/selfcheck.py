"""`mlsd check` and `mlsd.check()`: run a saved notebook and report every exercise in one line each.

nbgrader's `validate` exits 0 even when tests fail, so this reads the outcome of each test
cell itself: passed, failing (with the check's friendly message) or not attempted yet.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import course
from .data import separate_build_dir

STATUS_MARK = {"passed": "\u2713", "failing": "\u2717", "not attempted": "\u2026",
               "to write": "\u270e", "written": "\u270e"}
_LINE = re.compile(r"^[\u2713\u2717\u2026] ([^:]+): (.*)$", re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
STUB_TEXT = "YOUR ANSWER HERE"


class NotebookError(RuntimeError):
    """The notebook cannot be read or run; nothing was changed."""


@dataclass(frozen=True)
class Outcome:
    exercise: str
    status: str  # passed | failing | not attempted | written | to write
    message: str = ""

    def line(self) -> str:
        text = f"{STATUS_MARK[self.status]} {self.exercise}: {self.status}"
        return text + (f": {self.message}" if self.message else "")


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _outcome(cell) -> Outcome:
    fallback = _nbgrader(cell).get("grade_id", "exercise").removesuffix("_test")
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [_ANSI.sub("", t) for t in output.get("traceback", [])]
            text = "\n".join(lines).strip()
            found = _LINE.match(text)
            name, message = (found.group(1), found.group(2)) if found else (
                fallback, f"{output.get('ename')}: {output.get('evalue')}")
            status = "not attempted" if output.get("ename") == "NotAttempted" else "failing"
            if status == "not attempted":
                message = ""
            return Outcome(name, status, message.strip())
    for output in cell.get("outputs", []):
        if output.get("name") != "stdout":
            continue
        found = _LINE.match(output.get("text", "").strip())
        if found:
            return Outcome(found.group(1), "passed")
    return Outcome(fallback, "passed")


def read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise NotebookError(f"{path} does not exist.") from None
    except Exception as err:  # nbformat raises several kinds for a damaged file
        raise NotebookError(
            f"{path} is not a readable notebook ({type(err).__name__}: {err}). "
            "If you edited it outside JupyterLab, restore it from your last checkpoint "
            "(File > Revert Notebook to Checkpoint)."
        ) from None


def check_notebook(path: Path, timeout: int = 300) -> list[Outcome]:
    """Execute a copy of the notebook in a fresh kernel, in its own folder; report each check."""
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = read_notebook(path)
    course.use_tool_env()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        with separate_build_dir():
            client.execute()
    except Exception as err:  # a kernel that dies or a cell that never ends
        raise NotebookError(
            f"{path.name} could not run to the end: {type(err).__name__}: {err}"
        ) from None
    outcomes = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not meta.get("grade"):
            continue
        if cell.cell_type == "code":
            outcomes.append(_outcome(cell))
        elif meta.get("solution"):
            written = cell.source.strip() and STUB_TEXT not in cell.source
            outcomes.append(Outcome(meta.get("grade_id", "written answer"),
                                    "written" if written else "to write",
                                    "graded by hand"))
    return outcomes


def targets(names: list[str] | None) -> list[Path]:
    """Paths of the notebooks to check: given paths, step names, or every released step."""
    if not names:
        return [course.release(step) for step in course.steps()]
    found = []
    for name in names:
        candidate = Path(name)
        found.append(candidate if candidate.suffix == ".ipynb" else course.release(name))
    return found


def report(paths: list[Path], echo=print) -> int:
    """Check each notebook and print its lines and progress; 0 only if every check passes."""
    failed = False
    for path in paths:
        echo(f"{path.stem}")
        try:
            outcomes = check_notebook(path)
        except NotebookError as err:
            echo(f"  \u2717 {err}")
            failed = True
            continue
        for outcome in outcomes:
            echo(f"  {outcome.line()}")
        auto = [o for o in outcomes if o.status in ("passed", "failing", "not attempted")]
        passed = sum(o.status == "passed" for o in auto)
        echo(f"  progress: {passed}/{len(auto)} exercises pass their visible checks")
        failed |= passed < len(auto)
    return 1 if failed else 0


def check(target: str | None = None) -> bool:
    """From a notebook cell: check a step (`"01_requirements"`) or a notebook path.

    Checks the saved file, so save first. Without a target, checks the notebook this kernel
    belongs to when JupyterLab tells the kernel its path.
    """
    if target is None:
        target = _this_notebook()
    return report(targets([target]), echo=lambda line: print(line, file=sys.stdout)) == 0


def _this_notebook() -> str:
    try:
        from IPython import get_ipython

        session = get_ipython().user_ns.get("__session__", "")
    except Exception:  # not inside IPython
        session = ""
    for candidate in (Path(session), course.root() / session):
        if session.endswith(".ipynb") and candidate.is_file():
            return str(candidate)
    raise ValueError('name the step to check, for example mlsd.check("01_requirements")')
