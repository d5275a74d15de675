"""`mlsd grade` and `mlsd feedback` hand their options over to one function each, and
`mlsd feedback` really rewrites the pages and the CSV from the gradebook."""

from __future__ import annotations

import csv
import html
from types import SimpleNamespace

import pytest
from conftest import make_course

from mlsd import cli
from mlsd.authoring.release import load_config
from mlsd.grading import gradebook
from mlsd.grading.pipeline import timeout_warning, write_feedback
from mlsd.grading.sandbox import Limits

STEP = "01_requirements"


def test_grade_passes_its_options_and_exits_non_zero_only_on_grading_errors(monkeypatch):
    seen = {}

    def fake_grade_class(source, **kwargs):
        seen.update(source=source, **kwargs)
        return SimpleNamespace(ok=seen["workers"] != 3)

    monkeypatch.setattr("mlsd.grading.pipeline.grade_class", fake_grade_class)
    argv = ["grade", "class.zip", "--step", "01_requirements", "--step", "02_framing",
            "--workers", "3", "--timeout", "30", "--cell-timeout", "5", "--memory", "0",
            "--preset", "tiny", "--quiet"]
    assert cli.main(argv) == 1
    assert seen["source"] == "class.zip" and seen["steps"] == ["01_requirements", "02_framing"]
    assert seen["limits"] == Limits(wall_clock=30, memory_mb=None, cpu_seconds=900)
    assert seen["cell_timeout"] == 5 and seen["preset"] == "tiny" and not seen["progress"]
    assert cli.main(["grade", "class", "--workers", "2", "--scheduler", "tcp://h:8786"]) == 0
    assert seen["scheduler"] == "tcp://h:8786" and seen["steps"] is None


@pytest.mark.parametrize("wall_clock, cell_timeout, warned", [
    (600, 120, False), (300, 120, False), (150, 120, True), (120, 120, True), (60, 120, True),
    (600, None, False)])
def test_a_per_cell_limit_close_to_the_notebooks_is_warned_about(wall_clock, cell_timeout,
                                                                 warned):
    warning = timeout_warning(wall_clock, cell_timeout)
    assert bool(warning) == warned
    if warned:
        assert "--timeout" in warning and "--cell-timeout" in warning


def test_feedback_command_hands_over_the_csv_path(monkeypatch, capsys):
    monkeypatch.setattr("mlsd.grading.pipeline.write_feedback",
                        lambda csv=None: f"{csv or 'grades.csv'}")
    assert cli.main(["feedback", "--csv", "out.csv"]) == 0
    assert "out.csv" in capsys.readouterr().out


@pytest.fixture
def graded_course(tmp_path):
    """A course whose gradebook holds one autograded submission (no notebook is run)."""
    config_file = make_course(tmp_path)
    config = load_config(config_file)
    gradebook.record_assignment(config_file, STEP)
    cells = gradebook.cells(config, STEP)
    tests = {n: c.points for n, c in cells.items() if c.test}
    first = sorted(tests)[0]
    grades = {n: (0.0 if n == first else p) for n, p in tests.items()}
    with gradebook.connect(config) as gb:
        gradebook.save(gb, "ada", STEP, grades=grades, comments={})
    return config_file, config, cells, sum(tests.values()) - tests[first]


def _manual_grade(config, points: float, comment: str) -> str:
    with gradebook.connect(config) as gb:
        nb = gb.find_submission_notebook(STEP, STEP, "ada")
        written = next(g for g in nb.grades if g.cell.cell_type == "markdown")
        written.manual_score = points
        written.needs_manual_grade = False
        next(c for c in nb.comments if c.name == written.name).manual_comment = comment
        gb.db.commit()
        return written.name


def test_feedback_rewrites_pages_and_csv_from_the_manual_grades(graded_course):
    config_file, config, cells, auto = graded_course
    grades_csv = config_file.parent / "grades.csv"
    write_feedback(config_file=config_file, csv=grades_csv)
    page = config_file.parent / "feedback" / "ada" / STEP / f"{STEP}.html"
    before = html.unescape(page.read_text())
    assert "not graded yet" in before
    row = next(csv.DictReader(grades_csv.open()))
    assert float(row[STEP]) == auto and "not graded yet" in row["notes"]

    name = _manual_grade(config, 2.5, "Clear & well argued.")
    assert write_feedback(config_file=config_file, csv=grades_csv) == grades_csv
    after = html.unescape(page.read_text())
    assert "Clear & well argued." in after and "graded by hand" in after
    assert f"Score: <b>{auto + 2.5:g} / " in after
    assert name in after
    row = next(csv.DictReader(grades_csv.open()))
    assert float(row[STEP]) == auto + 2.5 and float(row["total"]) == auto + 2.5
    assert "not graded yet" not in row["notes"]


def test_a_rubric_task_cell_never_waits_for_a_grade(tmp_path):
    """Step 8's rubrics are 0-point task cells: once its two written answers are graded, nothing
    waits, so the CSV does not say "not graded yet" for ever."""
    step = "08_interview"
    config_file = make_course(tmp_path)
    config = load_config(config_file)
    gradebook.record_assignment(config_file, step)
    cells = gradebook.cells(config, step)
    assert any(c.task and not c.points for c in cells.values()), "step 8's rubrics are task cells"
    with gradebook.connect(config) as gb:
        gradebook.save(gb, "ada", step, grades={n: c.points for n, c in cells.items() if c.test},
                       comments={})
        answers = [n for n, c in cells.items()
                   if c.grade and c.solution and c.cell_type == "markdown"]
        assert gradebook.written_answers_waiting(gb, "ada", step) == len(answers) == 2
        nb = gb.find_submission_notebook(step, step, "ada")
        for g in nb.grades:
            if g.name in answers:
                g.manual_score, g.needs_manual_grade = 1.0, False
        gb.db.commit()
        assert gradebook.written_answers_waiting(gb, "ada", step) == 0
        # and Formgrader, which reads nbgrader's own flag, lists nothing left to grade
        assert not gb.find_submission_notebook(step, step, "ada").needs_manual_grade
