"""Check a submitted file against its step before grading: is it a notebook, is it this step's,
and are the cells nbgrader relies on still there as they were released?

Test cells (and any other locked cell) that were edited or deleted are restored from the
gradebook, so a learner cannot grade their own work by rewriting its checks; a deleted answer
cell comes back as its empty stub, so only that exercise is lost. Every such repair is
reported, in words an instructor can pass on.
"""

from __future__ import annotations

import json
import warnings

from .gradebook import CellSpec, Step, grade_id
from .record import Status, Submission


def screen(sub: Submission, step: Step, other_steps: dict[str, set[str]],
           raw: bytes | None = None) -> Submission:
    """Fill in the notebook to run (`sub.notebook`) and what was repaired, or reject it.

    `other_steps`: {step: grade ids} of the course's other steps, to recognise a mix-up;
    `raw`: the file's bytes (default: read from `sub.path`)."""
    raw = sub.path.read_bytes() if raw is None else raw
    try:
        notebook, reasons = _restore(raw, step, other_steps)
    except Exception:  # noqa: BLE001 - metadata damaged past repair: this notebook only
        notebook, reasons = None, ["damaged notebook: its cells' metadata could not be read "
                                   "or repaired; restore it from a checkpoint"]
    if notebook is None:
        return sub.done(Status.REJECTED, *reasons)
    sub.notebook = notebook
    sub.reasons = [*sub.reasons, *reasons]
    return sub


def _restore(raw: bytes, step: Step, other_steps: dict[str, set[str]]
             ) -> tuple[str | None, list[str]]:
    """(JSON text ready to grade, or None: scores zero; the cause, or what was repaired)."""
    import nbformat

    cells, order = step.cells, step.order
    if not raw.strip():
        return None, ["empty file"]
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, ["not a notebook: the file is not text"]
    except json.JSONDecodeError as err:
        return None, [f"not valid JSON (line {err.lineno}, column {err.colno}): "
                      "the file was damaged or edited outside Jupyter"]
    try:
        with warnings.catch_warnings():  # duplicate cell ids (a pasted cell): mended below
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(data), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
    except Exception:  # nbformat raises many kinds for a JSON file that is not a notebook
        return None, ["not a Jupyter notebook (valid JSON, but no notebook cells)"]

    ids = {grade_id(c) for c in nb.cells} - {None}
    if not ids & set(cells):
        for other, their_ids in sorted(other_steps.items()):
            if other != step.name and ids & their_ids:
                return None, [f"wrong notebook: this is {other}, not {step.name}"]
        return None, [f"not the {step.name} notebook: none of its exercises is in it"]

    reasons = _repair_metadata(nb, cells)
    for name in order:
        spec = cells.get(name)
        if spec is None or not (spec.locked or spec.solution):
            continue
        found = [i for i, c in enumerate(nb.cells) if grade_id(c) == name]
        kind = _kind(spec)
        if not found:
            nb.cells.insert(_position(nb, name, order), _cell(spec))
            reasons.append(f"{kind} {name} deleted: restored"
                           + ("" if spec.locked else " as the empty stub (scores 0)"))
        elif spec.locked and _changed(nb.cells[found[-1]], spec):
            nb.cells[found[-1]] = _cell(spec)
            reasons.append(f"{kind} {name} edited: restored from the gradebook")
    for cell in nb.cells:  # what the page shows comes from the grader's run, never the file
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nbformat.writes(nb), reasons


GRADING_FLAGS = ("grade", "solution", "locked", "task")  # with "points": what marks a graded cell


def _kind(spec: CellSpec) -> str:
    return "test cell" if spec.test else "task cell" if spec.task \
        else "written answer" if spec.cell_type == "markdown" \
        else "answer cell" if spec.solution else "locked cell"


def _repair_metadata(nb, cells: dict[str, CellSpec]) -> list[str]:
    """Put the grading metadata back as released, so nbgrader grades the notebook instead of
    failing on it: cells marked for grading that the release does not know lose the marks
    (they run as ordinary cells), a cell pasted twice keeps one graded copy, and an answer
    cell's edited flags, points or type are restored (its text is the learner's)."""
    reasons, copies = [], {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        if not isinstance(meta, dict):  # not nbgrader's: nbgrader would refuse the notebook
            del cell.metadata["nbgrader"]
            reasons.append("a cell's grading marks were damaged: removed, it ran as an "
                           "ordinary cell")
            continue
        name = grade_id(cell)
        if name in cells:
            copies.setdefault(name, []).append(cell)
        elif name or meta.get("points") or any(meta.get(k) for k in GRADING_FLAGS):
            del cell.metadata["nbgrader"]
            reasons.append(f"cell {name or '(no id)'} is not one the step grades: its grading "
                           "marks were removed and it ran as an ordinary cell")
    for name, found in copies.items():
        spec = cells[name]
        if len(found) > 1:
            for extra in found[:-1]:
                if spec.locked:
                    nb.cells = [c for c in nb.cells if c is not extra]
                else:
                    del extra.metadata["nbgrader"]
            reasons.append(f"{_kind(spec)} {name} appeared {len(found)} times: "
                           + ("the copies were removed" if spec.locked else
                              "the last one is graded, the others ran as ordinary cells"))
        cell = found[-1]
        if spec.locked:
            continue  # restored whole below if anything about it changed
        meta = cell.metadata["nbgrader"]
        as_found = (cell.cell_type, *(bool(meta.get(k)) for k in GRADING_FLAGS),
                    _points(meta.get("points")))
        as_released = (spec.cell_type, spec.grade, spec.solution, spec.locked, False,
                       _points(spec.points if spec.grade else None))
        if as_found != as_released:
            released = _cell(spec)
            released.source = cell.source
            if cell.get("id"):
                released["id"] = cell["id"]
            nb.cells = [released if c is cell else c for c in nb.cells]
            reasons.append(f"{_kind(spec)} {name}: its grading metadata was edited: restored "
                           "(your answer is kept)")
    return reasons


def _points(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return float("nan")  # never equal: points that are not a number were edited


def _changed(cell, spec: CellSpec) -> bool:
    """Neither the cell the gradebook holds nor the released one (its hidden tests removed)."""
    from nbgrader.utils import compute_checksum

    try:
        return cell.cell_type != spec.cell_type or \
            compute_checksum(cell) not in (spec.checksum, _released_checksum(spec))
    except Exception:  # metadata too damaged to checksum
        return True


def _released_checksum(spec: CellSpec) -> str:
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme
    from nbgrader.utils import compute_checksum

    cell = _cell(spec)
    ClearHiddenTests()._remove_hidden_test_region(cell)
    ClearMarkScheme()._remove_mark_scheme_region(cell)  # a task cell's rubric
    return compute_checksum(cell)


def _cell(spec: CellSpec):
    """The cell as released, rebuilt from what the gradebook recorded."""
    import nbformat

    meta = {"cell_type": spec.cell_type, "checksum": spec.checksum, "grade": spec.grade,
            "grade_id": spec.name, "locked": spec.locked, "schema_version": 3,
            "solution": spec.solution, "task": spec.task}
    if spec.grade or spec.task:
        meta["points"] = spec.points
    make = nbformat.v4.new_code_cell if spec.cell_type == "code" else nbformat.v4.new_markdown_cell
    cell = make(spec.source, metadata={"nbgrader": meta})
    if spec.locked:
        cell.metadata.update(deletable=False, editable=False)
    return cell


def _position(nb, name: str, order: list[str]) -> int:
    """After the nearest earlier cell of the release that is still there, else before the
    nearest later one, else at the end."""
    where = {grade_id(c): i for i, c in enumerate(nb.cells)}
    k = order.index(name)
    for earlier in reversed(order[:k]):
        if earlier in where:
            return where[earlier] + 1
    for later in order[k + 1:]:
        if later in where:
            return where[later]
    return len(nb.cells)
