"""The course command line hands over to one function per subcommand, with readable errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mlsd import cli


def test_data_command_reports_where_the_log_went(tmp_path, capsys):
    assert cli.main(["data", "--preset", "tiny", "--root", str(tmp_path)]) == 0
    assert str(tmp_path / "tiny") in capsys.readouterr().out
    assert (tmp_path / "tiny" / "manifest.json").is_file()


def test_unknown_preset_is_refused():
    with pytest.raises(SystemExit):
        cli.main(["data", "--preset", "huge"])


def test_run_command_passes_the_preset(monkeypatch):
    seen = {}

    def fake_run_course(preset, steps):
        seen.update(preset=preset, steps=steps)
        return {"ok": False}

    monkeypatch.setattr("mlsd.run.run_course", fake_run_course)
    assert cli.main(["run", "--preset", "small", "01_requirements"]) == 1
    assert seen == {"preset": "small", "steps": ["01_requirements"]}


def test_lab_command_points_jupyter_at_the_course_config():
    from mlsd.course import lab_command

    command, env = lab_command(["--no-browser"])
    assert command[1] == "lab" and "--no-browser" in command
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / "grader")


def test_the_console_script_is_installed():
    out = subprocess.run([str(Path(sys.executable).parent / "mlsd"), "--help"],
                         capture_output=True, text=True, check=True).stdout
    for command in ("data", "release", "run", "lab"):
        assert command in out
