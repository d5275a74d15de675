"""`mlsd grade` and `mlsd feedback` hand their options over to one function each."""

from __future__ import annotations

from types import SimpleNamespace

from mlsd import cli
from mlsd.sandbox import Limits


def test_grade_passes_its_options_and_exits_non_zero_only_on_grading_errors(monkeypatch):
    seen = {}

    def fake_grade_class(source, **kwargs):
        seen.update(source=source, **kwargs)
        return SimpleNamespace(ok=seen["workers"] != 3)

    monkeypatch.setattr("mlsd.grade.grade_class", fake_grade_class)
    argv = ["grade", "class.zip", "--step", "01_requirements", "--step", "02_framing",
            "--workers", "3", "--timeout", "30", "--cell-timeout", "5", "--memory", "0",
            "--preset", "tiny", "--quiet"]
    assert cli.main(argv) == 1
    assert seen["source"] == "class.zip" and seen["steps"] == ["01_requirements", "02_framing"]
    assert seen["limits"] == Limits(wall_clock=30, memory_mb=None, cpu_seconds=900)
    assert seen["cell_timeout"] == 5 and seen["preset"] == "tiny" and not seen["progress"]
    assert cli.main(["grade", "class", "--workers", "2", "--scheduler", "tcp://h:8786"]) == 0
    assert seen["scheduler"] == "tcp://h:8786" and seen["steps"] is None


def test_feedback_rewrites_pages_and_csv(monkeypatch, capsys):
    monkeypatch.setattr("mlsd.grade.write_feedback", lambda csv=None: f"{csv or 'grades.csv'}")
    assert cli.main(["feedback", "--csv", "out.csv"]) == 0
    assert "out.csv" in capsys.readouterr().out
