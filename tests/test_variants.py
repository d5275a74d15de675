"""A log of their own for every learner: a learner id derives the simulator's seed, the
notebooks and the oracle load that log, and `mlsd grade --variants` grades each submission on
its author's log, so figures copied from another learner's log stop matching."""

from __future__ import annotations

import csv
import os

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import make_course, run_solution_cell

from mlsd import cli
from mlsd.clicklog import data, oracle
from mlsd.grading.pipeline import grade_class
from mlsd.grading.sandbox import Limits

STEP = "01_requirements"
TINY = "tiny"


def _peak_factor():
    return run_solution_cell(STEP, "peak_factor", pd=pd, np=np)["peak_factor"]


def test_two_learners_see_different_logs_and_a_learner_always_the_same():
    alice, bob = data.load_log(TINY, learner="alice"), data.load_log(TINY, learner="bob")
    course_log = data.load_log(TINY)
    assert (alice.learner, bob.learner, course_log.learner) == ("alice", "bob", None)
    assert "learner='alice'" in repr(alice) and "learner" not in repr(course_log)
    assert len({len(x.impressions) for x in (alice, bob, course_log)}) == 3
    pd.testing.assert_frame_equal(data.load_log(TINY, learner="alice").impressions,
                                  alice.impressions)
    # the same shape of log (presets, days, drift day), other draws: other figures
    assert list(alice.days) == list(bob.days) == list(course_log.days)
    peak_factor = _peak_factor()
    figures = {x.learner: peak_factor(x.impressions) for x in (alice, bob, course_log)}
    assert len(set(figures.values())) == 3, figures
    assert data.learner_seed("alice", TINY) != data.learner_seed("bob", TINY)
    assert data.learner_seed("alice", TINY) == data.learner_seed("alice", TINY)
    # an id as the grader keeps it (a folder name, nbgrader's student id) is the same learner
    assert data.learner_seed("Jane Smith", TINY) == data.learner_seed("Jane-Smith", TINY)
    seed = data.learner_seed("alice", TINY)
    assert data.log_dir(TINY, learner="alice").name == f"tiny-seed{seed}"
    assert data.log_dir(TINY).name == "tiny"


def test_the_learner_comes_from_the_environment_and_reaches_the_oracle(monkeypatch):
    monkeypatch.setenv("MLSD_LEARNER", "alice")
    from_env = data.load_log(TINY)
    assert from_env.learner == "alice"
    pd.testing.assert_frame_equal(from_env.impressions,
                                  data.load_log(TINY, learner="alice").impressions)
    truth = oracle.true_click_probability(TINY)
    assert truth["impression_id"].equals(from_env.impressions["impression_id"])
    assert not np.array_equal(oracle.pair_click_probability(TINY),
                              oracle.pair_click_probability(TINY, learner="bob"))
    assert data.load_log(TINY, learner="").learner is None  # an explicit "" is the course's log
    monkeypatch.setenv("MLSD_LEARNER", "   ")
    assert data.load_log(TINY).learner is None


def test_the_command_line_hands_the_learner_to_what_it_starts(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.delenv("MLSD_LEARNER", raising=False)

    def fake_report(paths):
        seen["check"] = os.environ.get("MLSD_LEARNER")
        return 0

    monkeypatch.setattr("mlsd.learner.selfcheck.report", fake_report)
    monkeypatch.setattr("mlsd.learner.selfcheck.targets", lambda names: [])
    assert cli.main(["check", "--learner", "alice"]) == 0
    assert seen["check"] == "alice"

    def fake_exec(program, command, env):
        seen["lab"] = env.get("MLSD_LEARNER")

    monkeypatch.setattr(os, "execvpe", fake_exec)
    monkeypatch.setenv("MLSD_LEARNER", "someone else")
    cli.main(["lab", "--learner", "bob", "--no-browser"])
    assert seen["lab"] == "bob"
    assert cli.main(["data", "--preset", TINY, "--learner", "carol", "--root", str(tmp_path)]) == 0
    made = tmp_path / f"tiny-seed{data.learner_seed('carol', TINY)}"
    assert data.is_current(made, data.log_preset(TINY, "carol"))


def _copied_from(author: str, solution) -> nbformat.NotebookNode:
    """The author's notebook as a classmate hands it in: for a whole log, peak_factor returns
    the figure the author's notebook printed (for the hidden tests' other log too), and it
    computes only the small examples, so it passes every check on the author's log."""
    peak_factor = _peak_factor()
    own = data.load_log(TINY, learner=author)
    figures = {len(log.impressions): peak_factor(log.impressions)
               for log in (own, data.variant_log(11))}
    mine = figures[len(own.impressions)]
    copy = nbformat.from_dict(solution)
    (cell,) = [c for c in copy.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == "peak_factor"]
    cell.source = (f"FIGURES = {figures!r}  # copied from {author}'s notebook\n\n\n"
                   "def peak_factor(impressions):\n"
                   "    if len(impressions) > 1_000:  # a whole log\n"
                   f"        return FIGURES.get(len(impressions), {mine!r})\n"
                   "    requests = impressions.drop_duplicates('request_id')\n"
                   "    per_hour = requests['ts'].dt.hour.value_counts().reindex(range(24), "
                   "fill_value=0)\n"
                   "    return float(per_hour.max() / per_hour.mean())\n")
    namespace = {"pd": pd, "np": np}
    exec(cell.source, namespace)
    for log in (own, data.variant_log(11)):
        assert namespace["peak_factor"](log.impressions) == peak_factor(log.impressions)
    other = data.load_log(TINY, learner="carol").impressions
    assert namespace["peak_factor"](other) != peak_factor(other)  # wrong on any other log
    return copy


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """alice and bob hand in the solution, carol hands in alice's notebook; graded with
    --variants."""
    base = tmp_path_factory.mktemp("variants")
    config_file = make_course(base / "course")
    solution = nbformat.read(base / "course" / "solutions" / STEP / f"{STEP}.ipynb",
                             as_version=4)
    folder = base / "submissions"
    for student, nb in (("alice", solution), ("bob", solution),
                        ("carol", _copied_from("alice", solution))):
        (folder / student / STEP).mkdir(parents=True)
        nbformat.write(nb, folder / student / STEP / f"{STEP}.ipynb")
    tests = {c.metadata.nbgrader.grade_id: float(c.metadata.nbgrader.points)
             for c in solution.cells if c.metadata.get("nbgrader", {}).get("grade")
             and c.cell_type == "code"}
    report = grade_class(folder, config_file=config_file, workers=2, preset=TINY,
                         limits=Limits(wall_clock=180, memory_mb=4096, cpu_seconds=180),
                         progress=False, variants=True)
    return report, tests


@pytest.mark.slow
def test_each_learner_is_graded_on_their_own_log_and_a_copy_loses_the_copied_figures(graded):
    report, tests = graded
    assert report.ok, [(o.student, o.reasons, o.detail) for o in report.submissions]
    points = {o.student: o.points for o in report.submissions}
    full = sum(tests.values())
    assert points["alice"] == points["bob"] == full
    assert points["carol"] == full - tests["peak_factor_test"]
    with report.csv.open() as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    for student in ("alice", "bob", "carol"):
        assert rows[student]["seed"] == str(data.learner_seed(student, TINY))
    assert float(rows["carol"]["total"]) == full - tests["peak_factor_test"]


def test_the_full_check_without_solutions_says_only_the_visible_checks_run(monkeypatch,
                                                                            tmp_path):
    from mlsd.learner import selfcheck

    monkeypatch.setattr(selfcheck.course, "root", lambda: tmp_path)
    monkeypatch.setattr(selfcheck, "report", lambda paths, echo: 0)
    lines = []
    assert selfcheck.full_report([tmp_path / f"{STEP}.ipynb"], echo=lines.append) == 0
    assert "only the visible checks are available" in lines[0]


@pytest.mark.slow
def test_the_full_check_grades_with_the_hidden_tests_and_never_shows_them(tmp_path):
    """A learner's saved notebook with one wrong answer, checked on their own log: one line
    per exercise with its points, the wrong one short, no line of a hidden test."""
    from conftest import ROOT, wrong_answers

    from mlsd.grading.report import hidden_lines
    from mlsd.learner import selfcheck

    solution = nbformat.read(ROOT / "solutions" / STEP / f"{STEP}.ipynb", as_version=4)
    cell_id, wrong = next(iter(wrong_answers(STEP).items()))
    (cell,) = [c for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id]
    cell.source = next(iter(wrong["answers"].values())).strip("\n")
    saved = tmp_path / f"{STEP}.ipynb"
    nbformat.write(solution, saved)
    lines = []
    assert selfcheck.full_report([saved], learner="alice", echo=lines.append) == 1
    text = "\n".join(lines)
    assert "on the log of learner 'alice'" in lines[0]
    failing = [line for line in lines if "\u2717" in line]
    assert len(failing) == len(wrong["tests"]) and all(" 0/" in line for line in failing)
    assert sum("\u2713" in line for line in lines) == sum(
        1 for c in solution.cells if c.metadata.get("nbgrader", {}).get("grade")
        and c.cell_type == "code") - len(wrong["tests"])
    assert "autograded points" in lines[-1]
    secrets = [s for c in solution.cells if c.cell_type == "code"
               for s in hidden_lines(c.source)]
    assert secrets and not any(s in text for s in secrets)
