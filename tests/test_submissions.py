"""Finding a class's submissions, checking each against its step, and the feedback page: fast
tests that grade nothing."""

from __future__ import annotations

import json
import zipfile

import nbformat
import pytest
from conftest import ROOT

from mlsd.grading import collect, report, screen
from mlsd.grading.gradebook import CellSpec, Step
from mlsd.grading.record import Status, Submission
from mlsd.learner.checks import FAILING, MIME, Outcome, error_output

STEP, OTHER = "01_requirements", "02_framing"
STEPS = [STEP, OTHER]


def _write(path, text="{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _found(collection):
    return {(f.student, f.step): f for f in collection.found}


def test_nbgrader_layout_with_a_renamed_notebook_and_a_timestamp(tmp_path):
    _write(tmp_path / "alice" / STEP / f"{STEP}.ipynb")
    _write(tmp_path / "alice" / STEP / "timestamp.txt", "2026-11-20 10:00:00")
    _write(tmp_path / "bob" / STEP / "my work.ipynb")
    _write(tmp_path / "bob" / STEP / ".ipynb_checkpoints" / f"{STEP}-checkpoint.ipynb")
    _write(tmp_path / "carol" / STEP / "notes.txt", "no notebook")
    found = _found(collect.collect(tmp_path, STEPS, tmp_path / "scratch"))
    assert set(found) == {("alice", STEP), ("bob", STEP), ("carol", STEP)}
    assert found[("alice", STEP)].timestamp == "2026-11-20 10:00:00"
    assert found[("bob", STEP)].path.name == "my work.ipynb"
    assert "renamed notebook" in found[("bob", STEP)].reasons[0]
    assert found[("carol", STEP)].path is None and "missing" in found[("carol", STEP)].reasons[0]


def test_flat_lms_export_names_and_moodle_folders(tmp_path):
    _write(tmp_path / f"smithjane_LATE_12345_67890_{STEP}.ipynb")
    _write(tmp_path / f"doejohn_2233_{OTHER}-1.ipynb")
    _write(tmp_path / "Jane Roe_4455_assignsubmission_file_" / f"{STEP}.ipynb")
    _write(tmp_path / f"{STEP}.ipynb")  # no student in the name
    _write(tmp_path / "readme.txt", "export notes")
    collection = collect.collect(tmp_path, STEPS, tmp_path / "scratch")
    found = _found(collection)
    assert found[("smithjane", STEP)].path.name.startswith("smithjane")
    assert found[("doejohn", OTHER)].path is not None
    assert found[("doejohn", STEP)].path is None  # handed in the other step only
    assert found[("Jane-Roe", STEP)].path is not None
    assert f"{STEP}.ipynb" in collection.ignored and "readme.txt" in collection.ignored
    assert collection.layout == "flat"


def test_a_zip_of_either_layout_with_a_wrapping_folder(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"export/alice_{STEP}.ipynb", "{}")
        z.writestr(f"export/bob_{STEP}.ipynb", "{}")
        z.writestr("__MACOSX/._junk", "")
    found = _found(collect.collect(archive, STEPS, tmp_path / "scratch"))
    assert set(found) == {("alice", STEP), ("bob", STEP)}
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as z:
        z.writestr(f"submitted/alice/{STEP}/{STEP}.ipynb", "{}")
        z.writestr(f"submitted/bob/{OTHER}/{OTHER}.ipynb", "{}")
    found = _found(collect.collect(nested, STEPS, tmp_path / "scratch2", every_step=True))
    assert found[("alice", STEP)].path and found[("bob", OTHER)].path
    assert found[("alice", OTHER)].path is None and found[("bob", STEP)].path is None


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"../../escaped_{STEP}.ipynb", "{}")
    scratch = tmp_path / "a" / "b" / "scratch"
    collect.collect(archive, STEPS, scratch)
    escaped = [p for p in tmp_path.rglob("escaped*")]
    assert all(scratch in p.parents for p in escaped), escaped
    assert not (tmp_path / "a" / f"escaped_{STEP}.ipynb").exists()


def test_a_missing_source_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no such folder"):
        collect.collect(tmp_path / "nowhere", STEPS, tmp_path)


# --- screen --------------------------------------------------------------------------------

def _specs(step):
    from nbgrader.utils import compute_checksum

    nb = nbformat.read(ROOT / "solutions" / step / f"{step}.ipynb", as_version=4)
    specs, order = {}, []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id"):
            order.append(meta["grade_id"])
            specs[meta["grade_id"]] = CellSpec(
                meta["grade_id"], cell.cell_type, cell.source, compute_checksum(cell),
                bool(meta.get("locked")), bool(meta.get("grade")), bool(meta.get("solution")),
                meta.get("points"), bool(meta.get("task")))
    return nb, specs, order


@pytest.fixture(scope="module")
def step_cells():
    nb, specs, order = _specs(STEP)
    others = {STEP: set(order), OTHER: set(_specs(OTHER)[2])}
    return nb, specs, order, others


def _screen(raw: bytes, step: str, specs, order, others) -> Submission:
    return screen.screen(Submission("alice", step), Step(step, specs, tuple(order)), others,
                         raw=raw)


def _check(nb, step_cells):
    _, specs, order, others = step_cells
    raw = nb if isinstance(nb, bytes) else nbformat.writes(nb).encode()
    return _screen(raw, STEP, specs, order, others)


def test_the_untouched_release_and_the_solution_need_no_repair(step_cells):
    solution = step_cells[0]
    released = nbformat.read(ROOT / "notebooks" / STEP / f"{STEP}.ipynb", as_version=4)
    assert _check(solution, step_cells).reasons == []
    assert _check(released, step_cells).reasons == []  # hidden tests stripped is not an edit


def test_an_edited_test_cell_is_restored(step_cells):
    nb, specs, order, _ = step_cells
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    test = next(n for n in order if specs[n].test)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == test)
    cell.source = "pass"
    checked = _check(nb, step_cells)
    assert checked.reasons == [f"test cell {test} edited: restored from the gradebook"]
    back = nbformat.reads(checked.notebook, as_version=4)
    assert specs[test].source in [c.source for c in back.cells]


def test_a_task_cell_released_without_its_mark_scheme_is_not_an_edit():
    step = "08_interview"  # its written answers' rubrics are mark schemes in task cells
    solution, specs, order = _specs(step)
    tasks = [n for n in order if specs[n].task]
    assert tasks, f"{step} has no task cell with a mark scheme any more: pick another step"
    released = nbformat.read(ROOT / "notebooks" / step / f"{step}.ipynb", as_version=4)
    assert not any("MARK SCHEME" in c.source for c in released.cells)
    for nb in (solution, released):
        raw = nbformat.writes(nb).encode()
        assert _screen(raw, step, specs, order, {step: set(order)}).reasons == []
    cell = next(c for c in released.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == tasks[0])
    cell.source += "\n\nI was here."
    checked = _screen(nbformat.writes(released).encode(), step, specs, order,
                      {step: set(order)})
    assert checked.reasons == [f"task cell {tasks[0]} edited: restored from the gradebook"]


def test_deleted_cells_come_back_where_they_were(step_cells):
    nb, specs, order, _ = step_cells
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    test = next(n for n in order if specs[n].test)
    answer = order[order.index(test) + 1]  # the next exercise's answer cell
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in (test, answer)]
    checked = _check(nb, step_cells)
    assert any(r.startswith(f"test cell {test} deleted") for r in checked.reasons)
    assert any(r.startswith(f"answer cell {answer} deleted") for r in checked.reasons)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id")
           for c in nbformat.reads(checked.notebook, as_version=4).cells]
    assert [i for i in ids if i] == order


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty file"), (b"  \n", "empty file"), (b'{"cells": [', "not valid JSON"),
    (b"\xff\xfe\x00", "not a notebook"), (b'{"a": 1}', "not a Jupyter notebook"),
])
def test_files_that_are_no_notebook_score_zero_with_a_reason(step_cells, raw, reason):
    checked = _check(raw, step_cells)
    assert checked.status is Status.REJECTED and checked.notebook is None
    assert reason in checked.reasons[0]


def test_the_notebook_of_another_step_is_recognised(step_cells):
    other = nbformat.read(ROOT / "solutions" / OTHER / f"{OTHER}.ipynb", as_version=4)
    checked = _check(other, step_cells)
    assert checked.status is Status.REJECTED and checked.reasons == [
        f"wrong notebook: this is {OTHER}, not {STEP}"]


# --- feedback page ------------------------------------------------------------------------

def test_the_feedback_page_shows_messages_never_sources_or_tracebacks(step_cells):
    _, specs, order, _ = step_cells
    tests = [n for n in order if specs[n].test][:3]
    written = next(n for n in order if specs[n].grade and specs[n].cell_type == "markdown")
    secret = "assert abs(value - 41.9) < 1e-9"
    outputs = {
        tests[0]: [{"output_type": "stream", "name": "stdout",
                    "text": "\u2713 a: checks passed\n"}],
        tests[1]: [error_output(Outcome("a", FAILING, "the peak is off: check the units."))],
        tests[2]: [{"output_type": "error", "ename": "NameError", "evalue": "name 'x' is not"
                    " defined", "traceback": ["Traceback (most recent call last)", secret]}],
    }
    nb = {"cells": [{"cell_type": "code", "source": specs[n].source, "outputs": outputs[n],
                     "metadata": {"nbgrader": {"grade_id": n}}} for n in tests]}
    scores = {tests[0]: 2.0, tests[1]: 0.0, tests[2]: 0.0, written: 3.0}
    table = report.rows(json.dumps(nb), specs, order, scores, {written: "Good & clear."},
                        manual={written})
    page = report.render("alice", STEP, table, ["a note <b>"])
    assert "checks passed" in page and "the peak is off: check the units." in page
    assert "the checks stopped with NameError" in page
    assert "Good &amp; clear." in page and "a note &lt;b&gt;" in page
    for leak in (secret, "Traceback", "41.9", "name 'x'", specs[tests[0]].source[:40]):
        assert leak not in page


def _copy(nb):
    return nbformat.reads(nbformat.writes(nb), as_version=4)


def _by_id(nb, name):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name]


def test_an_answer_cell_marked_as_graded_is_put_back_with_its_answer(step_cells):
    nb, specs, order, _ = step_cells
    nb = _copy(nb)
    answer = next(n for n in order if specs[n].solution and specs[n].cell_type == "code")
    cell = _by_id(nb, answer)[0]
    cell.metadata.nbgrader.update(grade=True, points=50)
    checked = _check(nb, step_cells)
    out = nbformat.reads(checked.notebook, as_version=4)
    restored = _by_id(out, answer)[0]
    assert not restored.metadata.nbgrader.grade and "points" not in restored.metadata.nbgrader
    assert restored.source == cell.source and restored.id == cell.id  # the learner's answer
    assert checked.reasons == [f"answer cell {answer}: its grading metadata was edited: "
                               "restored (your answer is kept)"]


@pytest.mark.filterwarnings("ignore:Non-unique cell id")  # the paste this test makes
def test_a_test_cell_pasted_twice_keeps_one_copy(step_cells):
    nb, specs, order, _ = step_cells
    nb = _copy(nb)
    test = next(n for n in order if specs[n].test)
    where = nb.cells.index(_by_id(nb, test)[0])
    nb.cells.insert(where, _copy(nb).cells[where])
    out = nbformat.reads(_check(nb, step_cells).notebook, as_version=4)
    assert len(_by_id(out, test)) == 1
    assert len(out.cells) == len(step_cells[0].cells)
    assert f"test cell {test} appeared 2 times" in " ".join(_check(nb, step_cells).reasons)


def test_a_renamed_test_is_restored_and_the_renamed_copy_is_not_graded(step_cells):
    nb, specs, order, _ = step_cells
    nb = _copy(nb)
    test = next(n for n in order if specs[n].test)
    _by_id(nb, test)[0].metadata.nbgrader.grade_id = "my_own_test"
    checked = _check(nb, step_cells)
    out = nbformat.reads(checked.notebook, as_version=4)
    assert len(_by_id(out, test)) == 1 and not _by_id(out, "my_own_test")
    text = " ".join(checked.reasons)
    assert "my_own_test is not one the step grades" in text and f"{test} deleted" in text


def test_a_plain_cell_marked_as_an_answer_runs_as_an_ordinary_cell(step_cells):
    nb = _copy(step_cells[0])
    extra = nbformat.v4.new_code_cell("x = 1")
    extra.metadata["nbgrader"] = {"solution": True, "grade": True, "points": 99}
    nb.cells.insert(1, extra)
    checked = _check(nb, step_cells)
    out = nbformat.reads(checked.notebook, as_version=4)
    assert "nbgrader" not in out.cells[1].metadata and out.cells[1].source == "x = 1"
    assert checked.reasons == ["cell (no id) is not one the step grades: its grading marks "
                               "were removed and it ran as an ordinary cell"]


def test_damaged_grading_marks_cost_only_this_notebook(step_cells):
    nb, specs, order, _ = step_cells
    plain = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": "x"})
    odd_id = nbformat.v4.new_code_cell("y = 2", metadata={"nbgrader": {"grade_id": [],
                                                                       "grade": True}})
    nb = _copy(nb)
    nb.cells[1:1] = [plain, odd_id]
    checked = _check(nb, step_cells)
    assert checked.status is None and checked.notebook is not None
    assert len(checked.reasons) == 2 and "damaged" in checked.reasons[0]
    out = nbformat.reads(checked.notebook, as_version=4)
    assert "nbgrader" not in out.cells[1].metadata and "nbgrader" not in out.cells[2].metadata
    broken = json.loads(nbformat.writes(nb))
    broken["cells"][1]["metadata"] = ["not", "a", "dict"]
    checked = _check(json.dumps(broken).encode(), step_cells)
    assert checked.status is Status.REJECTED and checked.reasons  # this one only


def test_the_notebook_handed_on_carries_none_of_the_files_outputs(step_cells):
    nb, specs, order, _ = step_cells
    nb = _copy(nb)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                in {n for n in order if specs[n].test})
    test.outputs = [nbformat.from_dict(error_output(Outcome("a", FAILING, "forged")))]
    test.execution_count = 3
    out = nbformat.reads(_check(nb, step_cells).notebook, as_version=4)
    assert all(c.outputs == [] and c.execution_count is None
               for c in out.cells if c.cell_type == "code")


def test_a_page_survives_outputs_the_learner_forged(step_cells):
    _, specs, order, _ = step_cells
    tests = [n for n in order if specs[n].test][:4]
    outputs = {
        tests[0]: "not a list",
        tests[1]: ["not a dict", {"output_type": "error", "ename": ["x"], "evalue": 3}],
        tests[2]: [{"output_type": "error", "ename": "CheckFailed", "evalue": {"a": 1}}],
        tests[3]: [{"output_type": "display_data", "data": {MIME: [1, 2]}}],
    }
    nb = {"cells": [{"cell_type": "code", "source": "", "outputs": outputs[n],
                     "metadata": {"nbgrader": {"grade_id": n}}} for n in tests]
          + [{"cell_type": "code", "metadata": {"nbgrader": "x"}, "outputs": []}]}
    table = report.rows(json.dumps(nb), specs, order, {n: 0.0 for n in tests}, {})
    messages = [r.message for r in table if r.name in tests]
    assert messages[0].startswith("not run") and all(
        m.endswith(": the checks did not pass") for m in messages[1:]), messages
