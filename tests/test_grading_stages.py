"""Each stage of the grading pipeline on hand-built inputs, without running a notebook: what
the run stage makes of a worker's result, what the store stage writes, what the report stage
shows. Collect and screen have theirs in test_submissions.py; the whole pipeline on a class of
adversarial submissions is test_grade_class.py."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, make_course

from mlsd.authoring.release import load_config
from mlsd.grading import gradebook, layout, report, store
from mlsd.grading.job import TRUNCATED, Task, _read_result
from mlsd.grading.layout import JobFolder
from mlsd.grading.record import Status, Submission
from mlsd.grading.sandbox import SETUP_FAILED, Limits, Outcome
from mlsd.learner.checks import FAILING, outcome_in
from mlsd.learner.checks import Outcome as CheckOutcome

STEP = "01_requirements"


def _sandbox(returncode=0, timed_out=False, notes=()):
    return Outcome(returncode, timed_out, 1.5, ["pid", "files"], list(notes))


@pytest.fixture(scope="module")
def step_source():
    nb = nbformat.read(ROOT / "solutions" / STEP / f"{STEP}.ipynb", as_version=4)
    tests = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    return nb, tests


@pytest.fixture
def job(tmp_path, step_source):
    """A job folder as the worker leaves it, and the task it ran, without running anything."""
    nb, tests = step_source
    config = load_config(ROOT / "grader" / "nbgrader_config.py")
    folder, _ = JobFolder.at(tmp_path, config, "ada", STEP)
    plan = tuple({"kind": "test", "key": t, "points": 2.0} for t in tests)
    task = Task(step=STEP, gradebook=b"", config=config, preset="tiny", plan=plan,
                limits=Limits(wall_clock=60, memory_mb=2048), cell_timeout=30)
    sub = Submission("ada", STEP, notebook=nbformat.writes(nb))
    return sub, task, folder, tests


def _write_result(folder: JobFolder, result: dict, autograded: str | None = None) -> None:
    Path(folder.result).write_text(json.dumps(result))
    if autograded is not None:
        Path(folder.autograded).parent.mkdir(parents=True, exist_ok=True)
        Path(folder.autograded).write_text(autograded)


def _graded(sub, tests, **extra):
    return {"graded": True, "raised": None, "error": "", "grades": {t: 2.0 for t in tests},
            "comments": {}, "late_penalty": None, "interrupted": [], "truncated": [], **extra}


# --- run: the worker's result, read back -------------------------------------------------------

def test_a_graded_result_keeps_the_scores_and_says_which_limits_cut_a_cell(job):
    sub, task, folder, tests = job
    _write_result(folder, _graded(sub, tests, interrupted=["c1"], truncated=[3]), sub.notebook)
    out = _read_result(sub, task, folder, _sandbox())
    assert out.status is Status.GRADED and out.grades == {t: 2.0 for t in tests}
    assert out.reasons == ["a cell ran over the per-cell limit of 30 s and was interrupted",
                           TRUNCATED]
    assert out.seconds == 1.5 and out.isolation == ("pid", "files")


def test_a_test_that_fails_its_recheck_scores_zero_and_shows_the_recheck(job):
    sub, task, folder, tests = job
    lost, kept = tests[0], tests[1]
    failed = CheckOutcome(lost.removesuffix("_test"), FAILING, "the peak is off.")
    recheck = {"passed": {**{t: True for t in tests}, lost: False}, "stopped": "",
               "outcomes": {lost: failed.data()}}
    _write_result(folder, _graded(sub, tests, recheck=recheck), sub.notebook)
    out = _read_result(sub, task, folder, _sandbox())
    assert out.status is Status.GRADED
    assert out.grades[lost] == 0.0 and out.grades[kept] == 2.0
    assert any(f"score 0 ({lost})" in r for r in out.reasons)
    cell = next(c for c in json.loads(out.autograded)["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == lost)
    assert [outcome_in(o) for o in cell["outputs"]] == [failed]


@pytest.mark.parametrize(("raised", "status"), [
    ("DeadKernelError", Status.KERNEL_DIED), ("CellTimeoutError", Status.TIMED_OUT)])
def test_a_notebook_stopped_part_way_scores_what_passed_before_it_stopped(job, raised, status):
    sub, task, folder, tests = job
    recheck = {"passed": {tests[0]: True}, "stopped": "", "outcomes": {}}
    _write_result(folder, {"graded": False, "raised": raised, "error": "", "recheck": recheck,
                           "interrupted": [], "truncated": []})
    out = _read_result(sub, task, folder, _sandbox(returncode=0))
    assert out.status is status
    assert out.grades == {t: (2.0 if t == tests[0] else 0.0) for t in tests}
    names = {c["metadata"]["nbgrader"]["grade_id"]: c["outputs"]
             for c in json.loads(out.autograded)["cells"]
             if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") in tests}
    assert names[tests[0]] == [] and names[tests[1]][0]["ename"] == "NotRun"
    assert "scored the 1 test cell(s) that passed before it stopped" in out.reasons[-1]


@pytest.mark.parametrize(("result", "sandbox", "status", "reason"), [
    ({"graded": False, "raised": "MemoryError"}, {}, Status.MEMORY_LIMIT, "2048 MiB"),
    ({"graded": False, "raised": "ValidationError"}, {}, Status.INVALID_METADATA,
     "metadata was edited"),
    (None, {"returncode": -9}, Status.STOPPED, "stopped by SIGKILL"),
    (None, {"timed_out": True, "returncode": -9}, Status.TIMED_OUT, "60 s limit"),
    ({"graded": False, "raised": "KeyError", "error": "Traceback: KeyError 'x'"}, {},
     Status.ERROR, "nbgrader could not grade it"),
    (None, {"returncode": 1, "notes": [f"{SETUP_FAILED}: OSError: no"]}, Status.ERROR,
     SETUP_FAILED),
    (None, {"returncode": -40}, Status.STOPPED, "stopped by signal 40"),  # a real-time one
    ({"graded": False, "raised": "DeadKernelError", "recheck": {"error": "Traceback ..."}}, {},
     Status.ERROR, "could not re-run the checks"),  # the grader's failure, not the learner's
])
def test_each_way_a_job_ends_has_its_status_and_reason(job, result, sandbox, status, reason):
    sub, task, folder, _ = job
    if result is not None:
        _write_result(folder, result)
    Path(folder.log).write_text("the sandbox's log")
    out = _read_result(sub, task, folder, _sandbox(**sandbox))
    assert out.status is status and reason in " ".join(out.reasons), out
    if status is Status.ERROR:
        assert out.detail  # the end of the log or nbgrader's error, for the instructor


def test_a_damaged_notebook_or_a_planted_link_is_never_read_as_a_result(job, tmp_path):
    sub, task, folder, tests = job
    _write_result(folder, _graded(sub, tests), "{ not json")
    assert _read_result(sub, task, folder, _sandbox()).status is Status.DAMAGED
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps(_graded(sub, tests)))
    os.unlink(folder.result)
    os.symlink(elsewhere, folder.result)  # the notebook's code could plant this
    sub = Submission("ada", STEP, notebook=sub.notebook)
    assert _read_result(sub, task, folder, _sandbox()).status is Status.ERROR


def _worker():
    import importlib.util

    from mlsd.grading.job import WORKER

    spec = importlib.util.spec_from_file_location("worker_under_test", WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_recheck_stops_after_the_last_test_cell_that_scored(job, tmp_path):
    _, _, _, tests = job
    plan = [{"kind": "given", "key": "g0"}]
    for t in tests:
        plan += [{"kind": "answer", "key": t.removesuffix("_test")}, {"kind": "test", "key": t}]
    worker = _worker()
    grades = {t: 0.0 for t in tests} | {tests[1]: 2.0}
    assert worker._up_to_last_scored(plan, grades) == plan[:plan.index(
        {"kind": "test", "key": tests[1]}) + 1]
    assert worker._up_to_last_scored(plan, {t: 2.0 for t in tests}) == plan
    assert worker._up_to_last_scored(plan, {}) == []
    # what the notebook's code may leave where the worker writes: cleared, never followed
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    for planted in (tmp_path / "a-folder", tmp_path / "a-link"):
        if planted.name == "a-folder":
            (planted / "inside").mkdir(parents=True)
        else:
            planted.symlink_to(target)
        worker._clear(str(planted))
        assert not os.path.lexists(planted)
    assert target.read_text() == "keep"


def test_the_job_folder_follows_the_course_configuration(tmp_path):
    config = load_config(ROOT / "grader" / "nbgrader_config.py")
    folder, private = JobFolder.at(tmp_path, config, "ada", STEP)
    course = tmp_path / "course"
    assert Path(folder.submitted) == course / "grader" / "submitted" / "ada" / STEP / \
        f"{STEP}.ipynb"
    assert Path(folder.autograded) == layout.notebook(private, "autograded", "ada", STEP)
    assert Path(folder.source) == course / "solutions" / STEP
    assert private.CourseDirectory.db_url == f"sqlite:///{folder.gradebook}"
    assert config.CourseDirectory.root == str(ROOT)  # the course's own is left as it was


# --- store and report ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    config_file = make_course(tmp_path_factory.mktemp("stages"))
    gradebook.record_assignment(config_file, STEP)
    config = load_config(config_file)
    return config_file, config, gradebook.step(config, STEP)


def _handed_in(tmp_path: Path, student: str) -> Path:
    path = tmp_path / f"{student}.ipynb"
    path.write_text((ROOT / "notebooks" / STEP / f"{STEP}.ipynb").read_text())
    return path


def test_store_writes_each_status_as_nbgrader_would(course, tmp_path):
    _, config, step = course
    tests = {n: c.points for n, c in step.cells.items() if c.test}
    written = [n for n, c in step.cells.items() if c.grade and c.cell_type == "markdown"]
    first = next(iter(tests))
    text = _handed_in(tmp_path, "x").read_text()
    subs = [
        Submission("graded", STEP, _handed_in(tmp_path, "graded"), "2026-12-01 10:00:00",
                   status=Status.GRADED, grades={**tests, first: 0.0}, autograded=text),
        Submission("rejected", STEP, _handed_in(tmp_path, "rejected"), status=Status.REJECTED),
        Submission("died", STEP, _handed_in(tmp_path, "died"), status=Status.KERNEL_DIED,
                   grades={first: tests[first]}, notebook=text),
        Submission("missing", STEP, status=Status.MISSING),
        Submission("error", STEP, _handed_in(tmp_path, "error"), status=Status.ERROR),
    ]
    with gradebook.connect(config) as gb:
        for sub in subs:
            store.store(gb, config, sub, step)
            store.fill_points(gb, sub)
        graded = gb.find_submission_notebook(STEP, STEP, "graded")
        scores = {g.name: g.auto_score for g in graded.grades}
        assert scores[first] == 0.0 and all(scores[n] == p for n, p in tests.items()
                                            if n != first)
        waiting = {g.name for g in graded.grades if g.needs_manual_grade}
        assert written and waiting == set(written)
        rejected = gb.find_submission_notebook(STEP, STEP, "rejected")
        assert rejected.score == 0 and not any(g.needs_manual_grade for g in rejected.grades)
        died = gb.find_submission_notebook(STEP, STEP, "died")
        assert died.score == tests[first]
        students = {s.id for s in gb.students}
        assert {"graded", "rejected", "died"} <= students
        assert not {"missing", "error"} & students  # nothing new, earlier results stand
    folder = layout.notebook(config, "submitted", "graded", STEP).parent
    assert (folder / "timestamp.txt").read_text() == "2026-12-01 10:00:00"
    assert layout.notebook(config, "autograded", "graded", STEP).read_text() == text
    assert not layout.notebook(config, "autograded", "rejected", STEP).parent.exists()
    assert subs[0].points == sum(tests.values()) - tests[first] and subs[0].max_points > 0
    assert subs[3].points == 0.0 and subs[4].points is None


def test_the_record_keeps_status_reasons_and_seed_and_an_error_leaves_the_last(course):
    _, config, _ = course
    record: dict = {}
    store.note(record, Submission("ada", STEP, reasons=["empty file"], status=Status.REJECTED,
                                  seed=42))
    store.note(record, Submission("ada", STEP, status=Status.ERROR))
    store.write_record(config, record)
    assert store.read_record(config) == {
        f"ada/{STEP}": {"status": "rejected", "reasons": ["empty file"], "seed": 42}}


def test_report_writes_the_page_the_csv_and_the_table_from_the_same_results(course, tmp_path):
    _, config, step = course
    tests = {n: c.points for n, c in step.cells.items() if c.test}
    sub = Submission("page", STEP, _handed_in(tmp_path, "page"), status=Status.GRADED,
                     grades=tests, autograded=_handed_in(tmp_path, "p").read_text(), seed=7,
                     reasons=["renamed notebook my.ipynb: graded as 01_requirements.ipynb"])
    broken = Submission("broken", STEP, status=Status.ERROR, reasons=["the worker failed"],
                        detail="Traceback ...")
    record = {}
    with gradebook.connect(config) as gb:
        store.store(gb, config, sub, step)
        store.note(record, sub)
        store.fill_points(gb, sub)
        report.write_page(gb, config, "page", step, sub.reasons)
    page = layout.notebook(config, "feedback", "page", STEP).read_text()
    assert f"Score: <b>{sum(tests.values()):g} / " in page and "renamed notebook" in page
    assert page.count("checks passed") == len(tests)
    grades = report.write_csv(config, tmp_path / "grades.csv", record, batch=[sub, broken])
    rows = {r["student"]: r for r in csv.DictReader(grades.open())}
    assert rows["page"]["seed"] == "7" and float(rows["page"][STEP]) == sum(tests.values())
    assert "grading error, not regraded" in rows["broken"]["notes"]
    out = io.StringIO()
    report.print_table([broken, sub], 3.0, grades, ["stray.txt"], out)
    table = out.getvalue()
    assert "1 of 2 notebooks graded" in table and "GRADING ERROR broken/" in table
    assert "sandbox:" not in table and "stray.txt" in table
    assert f"{sum(tests.values()):g}/{sub.max_points:g}" in table
