"""Repository conventions: the lint that pre-commit runs, CI that runs the README's command,
licences and one version everywhere."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from conftest import ROOT

import mlsd

TEXT = (".py", ".md", ".toml", ".yml", ".yaml", ".cfg", ".cff", ".ipynb", ".json", ".txt")


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / f for f in out.stdout.splitlines() if (ROOT / f).is_file()]


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^(make \w+)\s+# set up the same way and run the whole test suite", readme,
                      re.M)
    assert match, "the README names its test command in its two-command block"
    return match.group(1)


def test_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.startswith("#")]
    assert commands[-1] == _readme_test_command()


def test_hosted_workflow_runs_the_same_command_on_two_pythons():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    test = workflow["jobs"]["test"]
    runs = [step["run"] for step in test["steps"] if "run" in step]
    assert runs == [_readme_test_command()]
    assert test["strategy"]["matrix"]["python-version"] == ["3.11", "3.12"]
    uploads = [s for s in test["steps"] if str(s.get("uses", "")).startswith("actions/upload")]
    assert uploads and uploads[0]["with"]["path"] == "build/runs/"
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML reads `on` as True
    assert {"push", "pull_request", "schedule"} <= set(triggers)


def test_ruff_passes_on_package_tests_and_notebooks():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
         "src", "tests", "benchmarks", "solutions", "notebooks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_pins_the_same_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    rev = next(r["rev"] for r in config["repos"] if r["repo"].endswith("ruff-pre-commit"))
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"ruff=={rev.lstrip('v')}" in pins["optional-dependencies"]["test"]


def _make_dry_run(*targets: str, **variables: str) -> subprocess.CompletedProcess:
    """What `make` would run for `targets` from scratch (-B: as if nothing were built)."""
    return subprocess.run(["make", "-n", "-B", *targets, *(f"{k}={v}" for k, v in
                                                            variables.items())],
                          cwd=ROOT, capture_output=True, text=True)


PRECIOUS = ("grader/gradebook.db", "grader/grades.csv", "grader/grading.json",
            "grader/submitted/ada/01_requirements/01_requirements.ipynb",
            "grader/feedback/ada/01_requirements/01_requirements.html")


def _course_with_grading(tmp_path: Path) -> Path:
    """The Makefile in a folder of its own, beside a class's grading (files of no value)."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in PRECIOUS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("grades")
    (tmp_path / "build").mkdir()
    return tmp_path


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CONFIRM", "MAKEFLAGS")}
    return subprocess.run(["make", *args], cwd=folder, env=env, capture_output=True, text=True)


def test_make_clean_never_deletes_the_grading(tmp_path):
    folder = _course_with_grading(tmp_path)
    assert _make(folder, "clean").returncode == 0
    assert not (folder / "build").exists(), "`make clean` removes what the build made"
    kept = [name for name in PRECIOUS if (folder / name).is_file()]
    assert kept == list(PRECIOUS), f"`make clean` deleted {set(PRECIOUS) - set(kept)}"


def test_deleting_the_gradebook_needs_its_own_target_and_a_confirmation(tmp_path):
    folder = _course_with_grading(tmp_path)
    refused = _make(folder, "clean-gradebook")
    assert refused.returncode != 0 and "CONFIRM=yes" in refused.stdout
    assert all((folder / name).is_file() for name in PRECIOUS)
    assert _make(folder, "clean-gradebook", "CONFIRM=yes").returncode == 0
    left = [name for name in PRECIOUS if (folder / name).exists()]
    assert not left, f"`make clean-gradebook CONFIRM=yes` left {left}"


def test_make_test_installs_from_the_lock_and_skips_the_learners_log():
    commands = _make_dry_run("test")
    assert commands.returncode == 0, commands.stderr
    assert "--require-hashes -r requirements/lab.txt" in commands.stdout
    assert "--require-hashes -r requirements/test.txt" in commands.stdout
    assert "--preset default" not in commands.stdout, "no test reads the default log"
    lab = _make_dry_run("lab").stdout
    assert "requirements/test.txt" not in lab, "`make lab` installs no test tool"
    assert "--preset default" in lab


def test_the_weekly_job_tests_the_newest_releases_the_pins_allow():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    weekly = [job for job in workflow["jobs"].values()
              if "make test-latest" in [s.get("run", "") for s in job["steps"]]]
    assert len(weekly) == 1 and "schedule" in weekly[0]["if"], "test-latest runs weekly"
    triggers = workflow[True] if True in workflow else workflow["on"]
    assert triggers["schedule"][0]["cron"]
    latest = _make_dry_run("test-latest").stdout
    assert "-e '.[test]'" in latest and "requirements/" not in latest


def test_every_notebook_is_stripped_and_valid_json():
    for path in _tracked():
        if path.suffix in (".ipynb", ".json"):
            data = json.loads(path.read_text())  # raises on invalid JSON
            for cell in data.get("cells", []) if path.suffix == ".ipynb" else []:
                if cell["cell_type"] == "code":
                    assert cell["outputs"] == [], f"{path.name} has outputs"
                    assert cell["execution_count"] is None, f"{path.name} has execution counts"


def test_no_trailing_whitespace_and_a_final_newline():
    bad = []
    for path in _tracked():
        if path.suffix in TEXT:
            text = path.read_text()
            if any(line != line.rstrip() for line in text.splitlines()) or (
                text and not text.endswith("\n")
            ):
                bad.append(path.relative_to(ROOT).as_posix())
    assert not bad, f"trailing whitespace or no final newline in {bad}"


def test_one_version_everywhere():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert mlsd.__version__ == version
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"] == version
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text()


def test_licences_are_stated_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert (ROOT / "LICENSE").is_file() and (ROOT / "LICENSE-CONTENT.md").is_file()
    assert "MIT" in readme and "CC BY 4.0" in readme
