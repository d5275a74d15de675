"""`mlsd grade` on an adversarial class: one submission per way a notebook can go wrong.

The whole class is graded in one batch on the default pool (two workers), then regraded on a
local Dask cluster of two worker processes after a human grader has graded a written answer.
Each submission gets its expected score and reason, nothing from the hidden tests reaches a
feedback page, the sandbox kept every submission to its own folder, and the regrade changes
nothing, manual grade and comment included.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import make_course, wrong_answers

from mlsd.authoring.release import load_config
from mlsd.grading import gradebook
from mlsd.grading.pipeline import grade_class, write_feedback
from mlsd.grading.report import hidden_lines
from mlsd.grading.sandbox import Limits

pytestmark = [pytest.mark.slow,  # the pasted-cell case holds a duplicate cell id on purpose
              pytest.mark.filterwarnings("ignore:Non-unique cell id")]

STEP = "01_requirements"
OTHER = "02_framing"
# Short limits keep the suite fast, with room for a busy machine: a tiny-preset notebook takes
# a few seconds, its slowest cell one or two.
LIMITS = Limits(wall_clock=120, memory_mb=4096, cpu_seconds=120)
CELL_TIMEOUT = 20
SNOOP_MARK = "SNOOP"
RECHECKED = "did not pass there and score 0"
SNOOP_ATTEMPTS = 7  # the targets of _snoop_cell
STUDENTS = ["correct", "partly-correct", "infinite-loop", "swallows-interrupt", "os-exit",
            "memory-hog", "huge-output", "not-json", "empty-file", "renamed", "deleted-test",
            "edited-test", "extra-cells", "prints-hidden-tests", "answer-marked-graded",
            "test-pasted-twice", "renamed-test-id", "other-step", "missing",
            "swallows-failures", "blanks-test-cells", "hides-its-errors", "tampers-when-called"]
# Registers a hook that leaves every cell's whole source, hidden tests included, in its
# outputs: on a line that starts with a check mark, and as a check's outcome (data that the
# feedback page reads).
LEAK_HOOK = ("def _leak(info):\n"
             "    print('\\u2713 ' + info.raw_cell.replace('\\n', ' '))\n"
             "    get_ipython().display_pub.publish({'application/vnd.mlsd.check+json': {\n"
             "        'exercise': 'leak', 'status': 'failing', 'message': info.raw_cell}})\n"
             "get_ipython().events.register('pre_run_cell', _leak)")

# Tampering with the checks, from the first answer cell of a notebook whose first exercise is
# left unanswered. Those in TAMPERING score full marks in nbgrader's own run; re-run apart from
# the notebook's code, the unanswered exercise scores 0 and the answered ones keep their points.
TAMPERING = {
    # the course's check helper replaced by one that swallows every failure
    "swallows-failures": (
        "import mlsd, mlsd.learner.checks\n"
        "class _Pass:\n"
        "    def __init__(self, name): self.name = name\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *error):\n"
        "        print('\\u2713 ' + self.name + ': checks passed')\n"
        "        return True\n"
        "mlsd.exercise = mlsd.learner.checks.exercise = exercise = _Pass\n"),
    # an input transformer that turns every later test cell into `pass`
    "blanks-test-cells": (
        "def _blank(lines):\n"
        "    return ['pass\\n'] if 'with exercise(' in ''.join(lines) else lines\n"
        "get_ipython().input_transformers_cleanup.append(_blank)\n"),
}
# Errors still raised, never shown: nbgrader already scores the cell 0 from the kernel's error
# reply, so the re-check has nothing to take away.
HIDES_ERRORS = ("_shell = get_ipython()\n"
                "_shell.showtraceback = _shell._showtraceback = lambda *args, **kwargs: None\n")


def _tampers_when_called(name: str) -> str:
    """An answer whose top level is innocent: calling it disarms every later check."""
    return (f"def {name}(*args, **kwargs):\n"
            "    import mlsd.learner.checks\n"
            "    mlsd.learner.checks.exercise.__exit__ = lambda self, *error: True\n"
            "    return 1.0\n")


def _cells(nb, grade_id):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]


def _copy(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def _with(nb, grade_id, prefix="", replace=None):
    nb = _copy(nb)
    cell = _cells(nb, grade_id)[0]
    cell.source = replace if replace is not None else prefix + cell.source
    return nb


def _with_meta(nb, cell_id, **changes):
    nb = _copy(nb)
    _cells(nb, cell_id)[0].metadata.nbgrader.update(changes)
    return nb


def _pasted_twice(nb, grade_id):
    nb = _copy(nb)
    cell = _cells(nb, grade_id)[0]
    nb.cells.insert(nb.cells.index(cell), _copy(nb).cells[nb.cells.index(cell)])
    return nb


def _insert(nb, index, source):
    nb = _copy(nb)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


def _snoop_cell(course: Path, port: int) -> str:
    """Try everything a submission must not be able to do; print one line per attempt. Then
    leave a process behind that keeps rewriting every result file it can find."""
    notebook = str(course / "solutions" / STEP / f"{STEP}.ipynb")
    other = str(course.parent / "submissions" / "correct" / STEP / f"{STEP}.ipynb")
    temp = tempfile.gettempdir()
    env = tuple(sorted({sys.prefix, sys.base_prefix}))
    targets = {
        "read the solutions": f"open({notebook!r}).read()",
        "read the gradebook": f"open({str(course / 'grader' / 'gradebook.db')!r}, 'rb').read()",
        "read another student": f"open({other!r}).read()",
        # the Python environment is put back read-only (the checkout may live in /tmp): its
        # packages' own notebooks are not the class's
        "list the class": f"[p for p in __import__('pathlib').Path({temp!r}).rglob('*.ipynb')"
                          f" if 'extra-cells' not in str(p) and not str(p).startswith({env!r})]",
        "write outside": f"open({str(course / 'pwned.txt')!r}, 'w').write('x')",
        "reach the host": f"__import__('socket').create_connection(('127.0.0.1', {port}), 3)",
        "unmount": "__import__('ctypes').CDLL(None, use_errno=True)"
                   f".umount2({str(course).encode()!r}, 2) or 'unmounted'",
    }
    lines = ["def _try(what, action):",
             "    try:",
             "        result = action()",
             "        allowed = bool(result) and result != -1",
             "    except OSError:  # refused by the sandbox; any other error is a bug here",
             "        allowed = False",
             f"    print('{SNOOP_MARK}', what, 'ALLOWED' if allowed else 'denied')"]
    assert len(targets) == SNOOP_ATTEMPTS
    lines += [f"_try({what!r}, lambda: {code})" for what, code in targets.items()]
    lines += ["import os, json, time",
              "if os.fork() == 0:",
              "    os.setsid()",
              "    fake = json.dumps({'success': True, 'grades': {}, 'comments': {}})",
              "    for _ in range(1200):",
              "        for folder, _, files in os.walk(os.path.expanduser('~/..')):",
              "            for name in files:",
              "                if name.endswith(('.json', '.db')):",
              "                    try:",
              "                        open(os.path.join(folder, name), 'w').write(fake)",
              "                    except OSError:",
              "                        pass",
              "        time.sleep(0.05)",
              "    os._exit(0)"]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    config_file = make_course(base / "course")
    return base, config_file


@pytest.fixture(scope="module")
def host_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


@pytest.fixture(scope="module")
def cases(course, host_port):
    """The class folder, and {student: (notebook, expected: {"auto": points, "reason": ...})}."""
    base, config_file = course
    root = config_file.parent.parent
    solution = nbformat.read(root / "solutions" / STEP / f"{STEP}.ipynb", as_version=4)
    other = nbformat.read(root / "solutions" / OTHER / f"{OTHER}.ipynb", as_version=4)
    first_id = next(c for c in solution.cells
                    if c.metadata.get("nbgrader", {}).get("solution")
                    and c.cell_type == "code").metadata.nbgrader.grade_id
    tests = {c.metadata.nbgrader.grade_id: float(c.metadata.nbgrader.points)
             for c in solution.cells if c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata.nbgrader.get("solution")}
    full = sum(tests.values())
    wrong_cell, wrong = next(iter(wrong_answers(STEP).items()))
    wrong_code = next(iter(wrong["answers"].values()))
    lost = sum(tests[t] for t in wrong["tests"])
    first_test = f"{first_id}_test"
    called = next(c.metadata.nbgrader.grade_id for c in solution.cells  # the first function
                  if c.metadata.get("nbgrader", {}).get("solution")
                  and c.source.lstrip().startswith("def "))
    assert first_test in tests, "the test of an exercise is named <exercise>_test"
    graded = [c.metadata.nbgrader.grade_id for c in solution.cells
              if c.metadata.get("nbgrader", {}).get("grade_id") in tests]
    assert graded[0] == first_test, "the first exercise's test is the notebook's first"
    after_first = 1 + next(i for i, c in enumerate(solution.cells)
                           if c.metadata.get("nbgrader", {}).get("grade_id") == first_test)
    swallow = ("import time\nwhile True:\n    try:\n        time.sleep(0.5)\n"
               "    except KeyboardInterrupt:\n        pass")
    stub = _with(solution, first_id, replace="raise NotImplementedError()")
    without_test = _copy(solution)
    without_test.cells = [c for c in without_test.cells
                          if c.metadata.get("nbgrader", {}).get("grade_id") != first_test]
    # extra cells: scratch work, notes, and one that tries to get out of the sandbox
    extra = _insert(_insert(solution, len(solution.cells), _snoop_cell(root, host_port)), 1,
                    "x = 1  # a learner's extra cell")
    extra.cells.insert(2, nbformat.v4.new_markdown_cell("My notes."))

    spec = {
        "correct": (solution, {"auto": full}),
        "partly-correct": (_with(solution, wrong_cell, replace=wrong_code.strip("\n")),
                           {"auto": full - lost}),
        "infinite-loop": (_with(solution, first_id, "while True:\n    pass\n"),
                          {"auto": full - tests[first_test], "reason": "per-cell limit"}),
        # stopped part way: the test cells before the fault score what they re-check to
        "swallows-interrupt": (_insert(solution, after_first, swallow),
                               {"auto": tests[first_test], "reason": "timed out"}),
        "os-exit": (_insert(solution, after_first, "import os\nos._exit(0)"),
                    {"auto": tests[first_test], "reason": "kernel died"}),
        "memory-hog": (_with(solution, first_id, "_hog = bytearray(6 * 2**30)\n"),
                       {"auto": full - tests[first_test], "reason": "memory limit"}),
        # 20 MB in 200 writes: over the cap in a second, however busy the machine
        "huge-output": (_insert(solution, len(solution.cells),
                                "for i in range(200):\n    print(('spam ' * 20 + '\\n') * 1_000)"),
                        {"auto": full, "reason": "output truncated"}),
        "not-json": ('{"cells": [ this is not JSON', {"auto": 0, "reason": "not valid JSON"}),
        "empty-file": ("", {"auto": 0, "reason": "empty file"}),
        "renamed": (solution, {"auto": full, "reason": "renamed notebook", "name": "copy.ipynb"}),
        "deleted-test": (without_test, {"auto": full, "reason": f"{first_test} deleted"}),
        "edited-test": (_with(stub, first_test, replace="print('checks passed')"),
                        {"auto": full - tests[first_test], "reason": f"{first_test} edited"}),
        "extra-cells": (extra, {"auto": full}),
        "prints-hidden-tests": (_insert(solution, 1, LEAK_HOOK), {"auto": full}),
        # metadata accidents and edits: repaired from the gradebook, graded, batch exits 0
        "answer-marked-graded": (_with_meta(solution, first_id, grade=True, points=5),
                                 {"auto": full, "reason": "grading metadata was edited"}),
        "test-pasted-twice": (_pasted_twice(solution, first_test),
                              {"auto": full, "reason": f"{first_test} appeared 2 times"}),
        "renamed-test-id": (_with_meta(solution, first_test, grade_id="my_check"),
                            {"auto": full, "reason": "my_check is not one the step grades"}),
        "other-step": (other, {"auto": 0, "reason": f"this is {OTHER}"}),
        **{kind: (_with(stub, first_id, prefix=code),
                  {"auto": full - tests[first_test], "reason": RECHECKED})
           for kind, code in TAMPERING.items()},
        "hides-its-errors": (_with(stub, first_id, prefix=HIDES_ERRORS),
                             {"auto": full - tests[first_test]}),
        # `with` looks __exit__ up on entry, so the answer's own check still fails in nbgrader
        "tampers-when-called": (_with(solution, called, replace=_tampers_when_called(called)),
                                {"auto": full - tests[f"{called}_test"]}),
        "missing": (None, {"auto": None, "reason": "missing"}),
    }
    assert sorted(spec) == sorted(STUDENTS)
    folder = base / "submissions"
    for student, (nb, expected) in spec.items():
        target = folder / student / STEP
        target.mkdir(parents=True)
        if nb is None:
            continue
        text = nb if isinstance(nb, str) else nbformat.writes(nb)
        (target / expected.get("name", f"{STEP}.ipynb")).write_text(text)
    spec["correct"][1]["class digests"] = _digests(folder)  # before anything is graded
    return folder, spec


@pytest.fixture(scope="module")
def first_run(course, cases):
    _, config_file = course
    folder, _ = cases
    return grade_class(folder, config_file=config_file, workers=2, limits=LIMITS,
                       cell_timeout=CELL_TIMEOUT, progress=False)


def _by_student(report):
    return {o.student: o for o in report.submissions}


def _auto_points(config_file, student):
    config = load_config(config_file)
    with gradebook.connect(config) as gb:
        nb = gb.find_submission_notebook(STEP, STEP, student)
        return sum(g.auto_score or 0 for g in nb.grades if g.cell.cell_type == "code")


def test_the_batch_is_graded_without_a_grading_error(first_run):
    assert first_run.ok, [(o.student, o.reasons, o.detail) for o in first_run.submissions
                          if o.status == "grading error"]


@pytest.mark.parametrize("student", STUDENTS)
def test_each_submission_gets_its_score_and_reason(course, cases, first_run, student):
    _, config_file = course
    _, spec = cases
    expected = spec[student][1]
    outcome = _by_student(first_run)[student]
    reasons = " | ".join(outcome.reasons)
    if expected.get("reason"):
        assert expected["reason"] in reasons or expected["reason"] in outcome.status, \
            f"{student}: {outcome.status}: {reasons}"
    else:
        assert outcome.status == "graded" and not outcome.reasons, (student, outcome)
    if expected["auto"] is None:
        assert outcome.status == "missing"
    else:
        assert _auto_points(config_file, student) == expected["auto"], (student, reasons)


def test_the_sandbox_kept_an_extra_cell_to_its_own_folder(course, first_run):
    _, config_file = course
    root = config_file.parent.parent
    notebook = root / "grader" / "autograded" / "extra-cells" / STEP / f"{STEP}.ipynb"
    text = "".join("".join(o.get("text", "")) for c in json.loads(notebook.read_text())["cells"]
                   for o in c.get("outputs", []))
    for secret in (root / "solutions" / STEP / f"{STEP}.ipynb", root / "grader" / "gradebook.db",
                   root.parent / "submissions" / "correct" / STEP / f"{STEP}.ipynb"):
        assert secret.is_file(), f"the snoop's target {secret} must exist for its denial to count"
    lines = [line for line in text.splitlines() if line.startswith(SNOOP_MARK)]
    assert len(lines) == SNOOP_ATTEMPTS, text[-2000:]
    assert not [line for line in lines if "ALLOWED" in line], lines
    assert not (root / "pwned.txt").exists()
    layers = set(_by_student(first_run)["extra-cells"].isolation)
    assert {"pid", "files", "network"} <= layers
    if os.geteuid() == 0:  # the documented layer for a grader running as root
        assert "nobody" in layers, f"as root, submissions must run as user nobody: {layers}"


def test_huge_output_is_cut_in_the_autograded_notebook(course):
    _, config_file = course
    notebook = config_file.parent / "autograded" / "huge-output" / STEP / f"{STEP}.ipynb"
    assert notebook.stat().st_size < 2_000_000
    text = "".join("".join(o.get("text", "")) for c in json.loads(notebook.read_text())["cells"]
                   for o in c.get("outputs", []))
    assert "spam spam" in text, "the output up to the cap is kept"


def _hidden_lines(config_file) -> list[str]:
    source = (config_file.parent.parent / "solutions" / STEP / f"{STEP}.ipynb").read_text()
    lines = [line for cell in json.loads(source)["cells"]
             for line in hidden_lines("".join(cell["source"]))]
    assert lines, "the step has hidden tests"
    return lines


def test_feedback_shows_names_points_and_messages_but_no_secrets(course, cases, first_run):
    _, config_file = course
    hidden = _hidden_lines(config_file)
    pages = sorted((config_file.parent / "feedback").rglob("*.html"))
    assert len(pages) == len(STUDENTS) - 1  # every submission but the missing one
    for page in pages:
        text = html.unescape(page.read_text())
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page}: {leaked[:3]}"
        for secret in ("Traceback", "HIDDEN TESTS", 'File "', "assert "):
            assert secret not in text, f"{page} shows {secret!r}"
    partly = html.unescape((config_file.parent / "feedback" / "partly-correct" / STEP /
                            f"{STEP}.html").read_text())
    _, spec = cases
    got, best = spec["partly-correct"][1]["auto"], spec["correct"][1]["auto"]
    written = sum(c.points or 0 for c in gradebook.cells(load_config(config_file), STEP).values()
                  if c.grade and c.cell_type == "markdown")
    assert f"Score: <b>{got:g} / {best + written:g}</b>" in partly
    wrong_cell, wrong = next(iter(wrong_answers(STEP).items()))
    for name in wrong["tests"]:
        assert re.search(rf"<code>{name}</code></td><td>0 / [\d.]+</td><td>\u2717 ", partly)
    tests = [n for n, c in gradebook.cells(load_config(config_file), STEP).items() if c.test]
    assert all(f"<code>{n}</code>" in partly for n in tests)
    assert partly.count("\u2713 ") == len(tests) - len(wrong["tests"])


def test_the_csv_has_one_row_per_student_with_points_and_reasons(cases, first_run):
    import csv

    rows = first_run.csv.read_text().splitlines()
    assert rows[0] == f"student,{STEP},total,notes"
    by = {r["student"]: r for r in csv.DictReader(first_run.csv.open())}
    assert set(by) == set(STUDENTS)
    _, spec = cases
    for student, (_, expected) in spec.items():
        auto = expected["auto"] or 0
        assert float(by[student][STEP]) == auto and float(by[student]["total"]) == auto, student
        if expected.get("reason"):
            assert expected["reason"] in by[student]["notes"], (student, by[student]["notes"])
    assert "written answer(s) not graded yet" in by["correct"]["notes"]


def test_regrading_on_a_dask_cluster_changes_nothing_and_keeps_manual_grades(course, cases,
                                                                               first_run):
    import distributed
    _, config_file = course
    folder, _ = cases
    config = load_config(config_file)
    with gradebook.connect(config) as gb:  # a grader grades one written answer
        nb = gb.find_submission_notebook(STEP, STEP, "correct")
        written = next(g for g in nb.grades if g.cell.cell_type == "markdown")
        written.manual_score = 2.0
        written.needs_manual_grade = False
        next(c for c in nb.comments if c.name == written.name).manual_comment = "Well argued."
        gb.db.commit()
    write_feedback(config_file=config_file)  # what `mlsd feedback` does after manual grading
    before = _state(config_file, first_run.csv)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        second = grade_class(folder, config_file=config_file, executor=client.get_executor(),
                             limits=LIMITS, cell_timeout=CELL_TIMEOUT, progress=False)
    assert second.ok
    assert [(o.student, o.status, o.reasons, o.points) for o in second.submissions] == \
        [(o.student, o.status, o.reasons, o.points + (2.0 if o.student == "correct" else 0))
         for o in first_run.submissions]
    assert _state(config_file, second.csv) == before
    page = (config_file.parent / "feedback" / "correct" / STEP / f"{STEP}.html").read_text()
    assert "Well argued." in page


def _state(config_file, csv_path):
    config = load_config(config_file)
    grades = {}
    with gradebook.connect(config) as gb:
        for student in gb.students:
            nb = gb.find_submission_notebook(STEP, STEP, student.id)
            grades[student.id] = sorted(
                (g.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                for g in nb.grades) + sorted(
                (c.name, c.auto_comment, c.manual_comment) for c in nb.comments)
    pages = {p.name + p.parent.parent.name: p.read_text()
             for p in (config_file.parent / "feedback").rglob("*.html")}
    return grades, Path(csv_path).read_text(), pages


def test_a_folder_that_does_not_exist_is_an_error(course):
    _, config_file = course
    with pytest.raises(ValueError, match="no such folder"):
        grade_class(config_file.parent / "nowhere", config_file=config_file, progress=False)


def _digests(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_class_folder_is_left_as_it_was(cases, first_run):
    folder, spec = cases
    assert sorted(p.name for p in folder.iterdir()) == sorted(spec)
    assert _digests(folder) == spec["correct"][1]["class digests"]
