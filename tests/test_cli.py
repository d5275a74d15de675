"""The course command line hands over to one function per subcommand, with readable errors."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mlsd import cli

SUBCOMMANDS = ("data", "release", "run", "check", "grade", "feedback", "lab")


def test_data_command_reports_where_the_log_went(tmp_path, capsys):
    assert cli.main(["data", "--preset", "tiny", "--root", str(tmp_path)]) == 0
    assert str(tmp_path / "tiny") in capsys.readouterr().out
    assert (tmp_path / "tiny" / "manifest.json").is_file()


def test_unknown_preset_is_refused_with_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["data", "--preset", "huge"])
    assert stopped.value.code == 2  # argparse's usage error, not a crash or a success
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_unknown_option_of_a_subcommand_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["release", "--frobnicate"])
    assert stopped.value.code == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_our_own_errors_exit_2_with_the_command_named(monkeypatch, capsys):
    def refuse(steps):
        raise ValueError("no such step: 99_nothing")

    monkeypatch.setattr("mlsd.authoring.release.release", refuse)
    assert cli.main(["release", "99_nothing"]) == 2
    assert capsys.readouterr().err.strip() == "mlsd release: no such step: 99_nothing"


def test_run_command_passes_the_preset(monkeypatch):
    seen = {}

    def fake_run_course(preset, steps):
        seen.update(preset=preset, steps=steps)
        return {"ok": seen.get("ok", False)}

    monkeypatch.setattr("mlsd.authoring.run.run_course", fake_run_course)
    assert cli.main(["run", "--preset", "small", "01_requirements"]) == 1
    assert seen == {"preset": "small", "steps": ["01_requirements"]}
    seen["ok"] = True
    assert cli.main(["run"]) == 0 and seen["steps"] is None and seen["preset"] == "tiny"


def test_lab_command_points_jupyter_at_the_course_config():
    from mlsd.learner.lab import lab_command

    command, env = lab_command(["--no-browser"])
    assert command[1] == "lab" and "--no-browser" in command
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in command   # learners: no solutions
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / "grader")
    command, env = lab_command([], instructor=True)
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / "grader")


def test_the_parser_has_exactly_the_documented_subcommands():
    actions = [a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1 and tuple(actions[0].choices) == SUBCOMMANDS


MLSD = str(Path(sys.executable).parent / "mlsd")


def test_the_console_script_lists_every_subcommand():
    top = subprocess.run([MLSD, "--help"], capture_output=True, text=True)
    assert top.returncode == 0
    listed = [line.split()[0] for line in top.stdout.splitlines()
              if line.startswith("    ") and line.split()]
    missing = [c for c in SUBCOMMANDS if c not in listed]
    assert not missing, f"`mlsd --help` does not list {missing}: {top.stdout}"


@pytest.mark.parametrize("command", [c for c in SUBCOMMANDS if c != "lab"])  # lab: test_lab.py
def test_each_subcommand_has_its_own_help(command, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main([command, "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: mlsd {command}")


def test_version_is_the_package_version(capsys):
    import mlsd

    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"mlsd {mlsd.__version__}"


def test_importing_the_course_loads_neither_pandas_nor_pyarrow():
    """`import mlsd` is light: the click log's libraries load when the log is first used."""
    import subprocess
    import sys

    probe = ("import sys, mlsd; heavy = [m for m in ('pandas', 'pyarrow', 'mlflow') "
             "if m in sys.modules]; print(heavy); "
             "print(sorted(m for m in sys.modules if m.startswith('mlsd.'))); "
             "mlsd.load_log; print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "[]" and out[2] == "True"
    # what every notebook imports first: the checks and the notebook's set-up, no other part
    assert out[1] == str(["mlsd.learner", "mlsd.learner.checks", "mlsd.learner.figures",
                          "mlsd.learner.notebook"])
