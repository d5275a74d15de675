"""The course's layout helpers and the environment they hand to nbgrader's subprocesses."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mlsd import course


def test_tool_env_puts_this_environment_first_once_however_often_it_is_called(monkeypatch):
    bindir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/local/bin", bindir, "/usr/bin"]))
    course.use_tool_env()
    once = os.environ["PATH"]
    for _ in range(5):
        course.use_tool_env()
    assert os.environ["PATH"] == once
    assert once.split(os.pathsep) == [bindir, "/usr/local/bin", "/usr/bin"]


def test_steps_are_the_numbered_folders_with_their_notebook(tmp_path):
    for name in ("01_first", "02_second", "notes", "03_missing"):
        (tmp_path / name).mkdir()
    for name in ("01_first", "02_second"):
        (tmp_path / name / f"{name}.ipynb").write_text("{}")
    (tmp_path / "03_missing" / "other.ipynb").write_text("{}")
    assert course.steps(tmp_path) == ["01_first", "02_second"]
