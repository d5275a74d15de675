"""environment.yml (conda) and pyproject.toml (pip) pin the same packages."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

REQUIRED = {"jupyterlab", "nbgrader", "pandas", "scikit-learn", "xgboost", "matplotlib",
            "papermill", "pyarrow", "ipykernel", "pytest"}


def _pins(lines):
    pins = {}
    for line in lines:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def _pip_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    linux = [d for d in project["dependencies"] if "darwin" not in d]
    return _pins(linux)


def _conda_pins():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    return _pins([re.sub(r"^\s*-\s*", "", line) for line in lines])


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    loose = [d for d in project["dependencies"] if "==" not in d]
    assert not loose, f"unpinned dependencies: {loose}"


def test_conda_and_pip_pin_the_same_packages():
    assert _conda_pins() == _pip_pins()


def test_required_packages_are_there_with_the_cpu_xgboost():
    names = {n.removesuffix("-cpu") for n in _pip_pins()}
    assert REQUIRED <= names
    assert "xgboost-cpu" in _pip_pins(), "the CPU-only xgboost build avoids ~700 MB of CUDA"
