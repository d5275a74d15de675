"""`mlsd check` reports each exercise of a saved notebook and fails unless all pass."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, wrong_answers

from mlsd import cli
from mlsd.learner.checks import MIME, Outcome, error_output, outcome_in
from mlsd.learner.selfcheck import check_notebook

pytestmark = pytest.mark.slow
STEP = "01_requirements"


def _statuses(outcomes):
    return {o.exercise: o.status for o in outcomes if o.status != "written"}


def _exercises(step):
    """The autograded exercises of a step: its test cells."""
    nb = nbformat.read(ROOT / "solutions" / step / f"{step}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
               and c.cell_type == "code")


def test_the_solution_passes_every_check(capsys):
    path = ROOT / "solutions" / STEP / f"{STEP}.ipynb"
    assert cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    n = _exercises(STEP)
    assert f"progress: {n}/{n}" in out and "\u2717" not in out


def test_the_stub_is_not_attempted_and_exits_non_zero(capsys):
    assert cli.main(["check", STEP]) == 1
    out = capsys.readouterr().out
    assert "\u2026 peak_qps: not attempted" in out
    assert "to write: graded by hand" in out
    assert f"progress: 0/{_exercises(STEP)}" in out


def test_a_wrong_answer_fails_with_its_friendly_message(tmp_path):
    nb = nbformat.read(ROOT / "solutions" / STEP / f"{STEP}.ipynb", as_version=4)
    wrong = wrong_answers(STEP)["p99"]["answers"]["fraction_not_percent"]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "p99":
            cell.source = wrong
    path = tmp_path / f"{STEP}.ipynb"
    nbformat.write(nb, path)
    outcomes = check_notebook(path)
    failing = [o for o in outcomes if o.status == "failing"]
    assert [o.exercise for o in failing] == ["p99"]
    assert "median" in failing[0].message  # the visible check's own words, no traceback
    assert "Traceback" not in failing[0].message
    assert _statuses(outcomes)["peak_qps"] == "passed"


def test_a_broken_notebook_is_a_clear_error_and_the_others_are_still_checked(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ this is not json")
    assert cli.main(["check", str(broken), STEP]) == 1
    out = capsys.readouterr().out
    assert "is not a readable notebook" in out
    assert "peak_qps" in out  # the second notebook was still checked
    assert broken.read_text() == "{ this is not json"  # and nothing was changed


def test_outcome_lines_read_well_and_travel_as_data():
    failing = Outcome("qps", "failing", "check the units.")
    assert failing.report_line() == "\u2717 qps: failing: check the units."
    assert failing.line() == "\u2717 qps: check the units."
    assert Outcome("qps", "passed").report_line() == "\u2713 qps: passed"
    assert Outcome("qps", "passed").line() == "\u2713 qps: checks passed"
    assert outcome_in(error_output(failing)) == failing
    passed = Outcome("qps", "passed")
    assert outcome_in({"output_type": "display_data", "data": {MIME: passed.data()}}) == passed
    # a line is never parsed back: printed text and forged values carry no outcome
    assert outcome_in({"output_type": "stream", "name": "stdout",
                       "text": "\u2713 qps: checks passed\n"}) is None
    assert outcome_in({"output_type": "error", "ename": "CheckFailed", "evalue": "qps: 1",
                       "traceback": ["\u2717 qps: check the units."]}) is None
    assert outcome_in({"output_type": "error", "ename": "CheckFailed",
                       "evalue": '{"exercise": "qps", "status": "won"}'}) is None
    for forged in ("text", None, {"output_type": "error", "ename": "CheckFailed", "evalue": 3},
                   {"output_type": "display_data", "data": {MIME: "[1, 2]"}},
                   {"output_type": "display_data", "data": [MIME]}):
        assert outcome_in(forged) is None


def test_mlsd_check_can_be_called_again_in_the_same_kernel(tmp_path):
    """The function must survive its own first call (its submodule must not replace it)."""
    import subprocess
    import sys

    nb = nbformat.v4.new_notebook()
    test = nbformat.v4.new_code_cell('from mlsd import exercise\nwith exercise("one"):\n'
                                     '    assert 1 + 1 == 2')
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "one_test", "solution": False,
                                 "locked": True, "points": 1}
    nb.cells = [test]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    script = (f"import mlsd\nfirst = mlsd.check({str(path)!r})\n"
              f"second = mlsd.check({str(path)!r})\nprint('RESULT', first, second)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "RESULT True True" in run.stdout, run.stdout
    assert run.stdout.count("\u2713 one: passed") == 2
