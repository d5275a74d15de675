"""`mlsd check` and `mlsd.check()`: run a saved notebook and report every exercise in one line each.

nbgrader's `validate` exits 0 even when tests fail, so this reads the outcome each test cell
left as data (see `mlsd.learner.checks`): passed, failing with the check's friendly message, or
not attempted yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import course
from ..clicklog.data import separate_build_dir
from .checks import FAILING, MARKS, NOT_ATTEMPTED, PASSED, TO_WRITE, WRITTEN, Outcome, outcome_in

STUB_TEXT = "YOUR ANSWER HERE"


class NotebookError(RuntimeError):
    """The notebook cannot be read or run; nothing was changed."""


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _outcome(cell) -> Outcome:
    """A test cell's outcome: the one its check left, else what its error says."""
    name = _nbgrader(cell).get("grade_id", "exercise").removesuffix("_test")
    for output in cell.get("outputs", []):
        found = outcome_in(output)
        if found is not None:
            return Outcome(found.exercise, found.status,
                           "" if found.status in (PASSED, NOT_ATTEMPTED) else found.message)
        if output.get("output_type") == "error":
            return Outcome(name, FAILING, f"{output.get('ename')}: {output.get('evalue')}")
    return Outcome(name, PASSED)


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
                                    WRITTEN if written else TO_WRITE, "graded by hand"))
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
            echo(f"  {MARKS[FAILING]} {err}")
            failed = True
            continue
        for outcome in outcomes:
            echo(f"  {outcome.report_line()}")
        auto = [o for o in outcomes if o.status in (PASSED, FAILING, NOT_ATTEMPTED)]
        passed = sum(o.status == PASSED for o in auto)
        echo(f"  progress: {passed}/{len(auto)} exercises pass their visible checks")
        failed |= passed < len(auto)
    return 1 if failed else 0


FULL_UNAVAILABLE = (
    "only the visible checks are available here: the hidden tests are in the course's "
    "solutions/, which this copy of the course does not have (your instructor's grading runs "
    "them). Running the visible checks."
)


def full_report(paths: list[Path], learner: str | None = None, echo=print) -> int:
    """Grade the saved notebooks as an instructor would (hidden tests, the sandbox, a fresh
    kernel, on the learner's own log when there is a learner id) in a throwaway copy of the
    course; one line per exercise with its points, never a hidden test's text."""
    import io
    import shutil
    import tempfile

    from ..authoring.release import load_config
    from ..clicklog.data import resolve_learner
    from ..grading.pipeline import grade_class, graded_rows
    from ..grading.record import Status
    from ..grading.report import points_text

    solutions = course.root() / "solutions"
    if not solutions.is_dir():
        echo(f"mlsd check --full: {FULL_UNAVAILABLE}")
        return report(paths, echo)
    steps = course.steps()
    unknown = [p for p in paths if p.stem not in steps]
    if unknown:
        raise ValueError(f"{unknown[0].name} is not a step of the course "
                         f"({', '.join(steps)}): --full grades the course's notebooks")
    learner = resolve_learner(learner)
    student = course.learner_id(learner) if learner else "you"  # as the grader keeps it
    with tempfile.TemporaryDirectory(prefix="mlsd-check-") as scratch:
        work = Path(scratch)
        shutil.copytree(solutions, work / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (work / "grader").mkdir()
        shutil.copy(course.grader_config_file(), work / "grader")
        config_file = work / "grader" / course.grader_config_file().name
        for path in paths:
            folder = work / "submissions" / student / path.stem
            folder.mkdir(parents=True)
            read_notebook(path)  # a damaged file is said at once, in the learner's words
            shutil.copyfile(path, folder / f"{path.stem}.ipynb")
        whose = f" on the log of learner {learner!r}" if learner else ""
        echo(f"grading {len(paths)} notebook(s) with the hidden tests{whose}, as your "
             "instructor will (a minute or so per notebook)")
        result = grade_class(work / "submissions", config_file=config_file,
                             steps=[p.stem for p in paths], variants=learner is not None,
                             out=io.StringIO())
        config = load_config(config_file)
        short = False
        for sub in result.submissions:
            echo(sub.step)
            found = graded_rows(config, student, sub.step)
            for row in (found[0] if found else []):
                points = f"{points_text(row.score)}/{row.max_score:g}"
                answer = "graded by your instructor" if row.answered else "no answer yet"
                line = f"written answer {row.name}: {answer}" if row.written else row.message
                echo(f"  {points:>7}  {line}")
            for note in sub.reasons:
                echo(f"  note: {note}")
            auto = [r for r in (found[0] if found else []) if not r.written]
            got, best = sum(r.score or 0 for r in auto), sum(r.max_score for r in auto)
            echo(f"  score: {got:g}/{best:g} autograded points")
            short |= sub.status is not Status.GRADED or got < best
    return 1 if short else 0


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
