"""The re-check apart from the notebook's code (src/mlsd/recheck.py), step by step.

`mlsd grade` keeps nbgrader's points for a test cell only when the cell also passes in a
process where none of the notebook's code runs. For every step this proves that the solution
passes there on every test cell, that the released stub passes none, and that a stub which
disarms the course's check helper still passes none; for every exercise, that a wrong answer
from its catalogue fails there its own test cells and no other (nbgrader's round trip in
test_grading.py proves the whole catalogue, the re-check can only take points away). Values
cross between the two processes as data: the round trip keeps pandas and NumPy values and
in-place changes, and refuses objects of the notebook's own classes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import STEPS, make_course, wrong_answers

from mlsd.authoring.release import load_config, release
from mlsd.grading import gradebook, recheck

pytestmark = pytest.mark.slow

SCRIPT = Path(recheck.__file__)
DISARM = ("import mlsd, mlsd.learner.checks\n"
          "class _Pass:\n"
          "    def __init__(self, name): pass\n"
          "    def __enter__(self): return self\n"
          "    def __exit__(self, *error): return True\n"
          "mlsd.exercise = mlsd.learner.checks.exercise = exercise = _Pass\n")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("recheck")
    config_file = make_course(base)
    release(STEPS, config_file=config_file, gradebook=True)
    return base, load_config(config_file)


def _run(base: Path, config, step: str, submitted: dict, tag: str,
         interrupted: tuple[str, ...] = ()) -> dict:
    """recheck.py as the sandbox runs it: its own isolated interpreter, a JSON plan."""
    source = json.loads((base / "solutions" / step / f"{step}.ipynb").read_text())
    cwd = base / "runs" / step / tag
    cwd.mkdir(parents=True)
    job = {"plan": recheck.plan(source, gradebook.cells(config, step)), "submitted": submitted,
           "cwd": str(cwd), "seconds": 600, "cell_timeout": 120, "interrupted": list(interrupted)}
    (cwd.parent / f"{tag}.json").write_text(json.dumps(job))
    run = subprocess.run([sys.executable, "-I", str(SCRIPT), str(cwd.parent / f"{tag}.json")],
                         capture_output=True, text=True, timeout=900, check=True)
    outcome = json.loads(run.stdout)
    assert "error" not in outcome, outcome.get("error")
    tests = [s["key"] for s in job["plan"] if s["kind"] == "test"]
    assert tests and sorted(outcome["passed"]) == sorted(tests), \
        f"{step}: the re-check did not run every test cell ({outcome['stopped']})"
    return outcome


def _notebook(base: Path, folder: str, step: str) -> dict:
    return json.loads((base / folder / step / f"{step}.ipynb").read_text())


@pytest.mark.parametrize("step", STEPS)
def test_the_solution_passes_every_test_cell_when_re_checked(course, step):
    base, config = course
    outcome = _run(base, config, step, _notebook(base, "solutions", step), "solution")
    failed = {k: outcome["outcomes"].get(k, "(no message)")
              for k, ok in outcome["passed"].items() if not ok}
    assert not failed, f"{step}: the solution fails when re-checked: {failed}"


@pytest.mark.parametrize("step", STEPS)
def test_the_stub_passes_no_test_cell_when_re_checked_even_with_the_checks_disarmed(course,
                                                                                 step):
    base, config = course
    stub = _notebook(base, "notebooks", step)
    assert not any(_run(base, config, step, stub, "stub")["passed"].values())
    nb = nbformat.reads(json.dumps(stub), as_version=4)
    first = next(c for c in nb.cells
                 if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution"))
    first.source = DISARM + first.source
    outcome = _run(base, config, step, json.loads(nbformat.writes(nb)), "disarmed")
    assert not any(outcome["passed"].values()), \
        f"{step}: a stub that replaced the check helper passes {outcome['passed']}"


def test_a_cell_interrupted_in_grading_is_not_run_again(course):
    base, config = course
    step = STEPS[0]
    solution = _notebook(base, "solutions", step)
    first = next(c for c in solution["cells"]
                 if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code")
    outcome = _run(base, config, step, solution, "interrupted", interrupted=(first["id"],))
    failed = sorted(k for k, ok in outcome["passed"].items() if not ok)
    assert failed and len(failed) < len(outcome["passed"]), \
        f"{step}: skipping the first answer cell should fail its checks only, not {failed}"


# The first wrong answer of every exercise: the whole catalogue through the re-check would
# double the suite's longest test for a check that only looks for collateral losses.
FIRST_WRONG = [(step, cell, next(iter(entry["answers"])))
               for step in STEPS for cell, entry in wrong_answers(step).items()]


@pytest.mark.parametrize(("step", "cell", "name"), FIRST_WRONG,
                         ids=[f"{s}-{c}-{n}" for s, c, n in FIRST_WRONG])
def test_a_wrong_answer_fails_only_its_own_tests_when_re_checked(course, step, cell, name):
    base, config = course
    entry = wrong_answers(step)[cell]
    nb = _notebook(base, "solutions", step)
    (target,) = [c for c in nb["cells"]
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == cell]
    target["source"] = entry["answers"][name].strip("\n")
    passed = _run(base, config, step, nb, f"wrong-{cell}-{name}")["passed"]
    kept = sorted(t for t in entry["tests"] if passed[t])
    assert not kept, f"wrong answer {name!r} to {cell} still passes {kept} when re-checked"
    lost = sorted(t for t, ok in passed.items() if not ok and t not in entry["tests"])
    assert not lost, f"wrong answer {name!r} to {cell} also fails {lost} when re-checked"


def test_a_name_a_test_cell_bound_is_passed_by_value(tmp_path):
    """The answers process never runs test cells: a value the checker reaches through a name
    a test cell bound (a loop variable left over) must not travel as that name."""
    import pandas as pd

    given = ["import pandas as pd\nlog = pd.DataFrame({'x': [1, 2, 3]})\n",
             "log = pd.DataFrame({'x': [1]})\n"]
    answers = recheck.Answers([("a", given[0] + "def size(frame):\n    return len(frame)\n"),
                               ("b", given[1])], 60, str(tmp_path))
    try:
        answers.run_to(0)
        namespace = {"pd": pd}
        before = {k: id(v) for k, v in namespace.items()}
        exec(given[0], namespace)
        answers.remember(namespace, before)  # the given cell made `log`
        namespace["imp"] = namespace["log"]  # a test cell's loop left `imp` bound to it
        before = {k: id(v) for k, v in namespace.items()}
        answers.remember(namespace, before)  # a given cell that binds nothing new
        assert answers.call("size", (namespace["log"],), {}) == 3
        old = namespace["log"]
        answers.run_to(1)
        exec(given[1], namespace)  # a given cell binds `log` again, in both processes
        answers.remember(namespace, before)
        assert answers.call("size", (old,), {}) == 3, "the old value went as the new name"
        assert answers.call("size", (namespace["log"],), {}) == 1
    finally:
        answers.stop()


def _answers(code: str, tmp_path: Path) -> recheck.Answers:
    answers = recheck.Answers([("a", code)], 60, str(tmp_path))
    answers.run_to(0)
    return answers


def test_values_cross_as_data_and_in_place_changes_come_back(tmp_path):
    import numpy as np
    import pandas as pd

    answers = _answers(
        "import numpy as np, pandas as pd\n"
        "def frame(n):\n"
        "    t = pd.Timestamp('2024-01-01')\n"
        "    return pd.DataFrame({'x': np.arange(n), 'c': pd.Categorical(['a'] * n),\n"
        "                         'at': pd.date_range(t, periods=n, freq='h')},\n"
        "                        index=pd.timedelta_range('1h', periods=n))\n"
        "def promote(registry, name):\n"
        "    registry['aliases']['production'] = name\n"
        "    registry['log'].append(name)\n"
        "    return True\n"
        "def shift(values, table):\n"
        "    values += 10\n"
        "    table.drop(table.index[table['x'] > 1], inplace=True)\n", tmp_path)
    try:
        got = answers.call("frame", (3,), {})
        assert isinstance(got, pd.DataFrame) and list(got["x"]) == [0, 1, 2]
        assert isinstance(got.index, pd.TimedeltaIndex) and got["c"].dtype == "category"
        registry = {"aliases": {"production": "v1"}, "log": []}
        aliases = registry["aliases"]
        assert answers.call("promote", (registry, "v2"), {}) is True
        assert aliases == {"production": "v2"} and registry["log"] == ["v2"], \
            "an in-place change made by the learner's function did not reach the checker"
        assert np.array_equal(answers.call("frame", (2,), {})["x"], [0, 1])
        values, table = np.arange(3), pd.DataFrame({"x": [0, 1, 2, 3]})
        answers.call("shift", (values, table), {})
        assert list(values) == [10, 11, 12] and list(table["x"]) == [0, 1], \
            "an array or a table the learner's function changed in place did not change here"
    finally:
        answers.stop()


def test_an_object_of_the_notebooks_own_class_is_refused(tmp_path):
    answers = _answers(
        "class Anything:\n"
        "    def __eq__(self, other): return True\n"
        "def answer():\n"
        "    return Anything()\n"
        "def nested():\n"
        "    return {'value': [Anything()]}\n", tmp_path)
    try:
        for name in ("answer", "nested"):
            with pytest.raises(recheck.NotCheckable):
                answers.call(name, (), {})
    finally:
        answers.stop()


def test_a_function_that_hangs_is_interrupted_and_one_that_exits_is_gone(tmp_path):
    answers = recheck.Answers([("a", "import os, time\n"
                                      "def hang():\n    time.sleep(600)\n"
                                      "def leave():\n    os._exit(3)\n")], 2, str(tmp_path))
    try:
        answers.run_to(0)
        with pytest.raises(TimeoutError):
            answers.call("hang", (), {})
        with pytest.raises(recheck.Gone):
            answers.call("leave", (), {})
        with pytest.raises(recheck.Gone):
            answers.call("hang", (), {})
    finally:
        answers.stop()
