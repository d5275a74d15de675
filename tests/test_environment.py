"""The environment is declared once and locked: pyproject.toml pins what the code imports,
environment.yml (conda) pins the same, and requirements/*.txt lock every package with hashes."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib

import pytest
from conftest import ROOT

REQUIRED = {"jupyterlab", "nbgrader", "pandas", "scikit-learn", "xgboost", "matplotlib",
            "papermill", "pyarrow", "ipykernel"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins(lines):
    pins = {}
    for line in lines:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_pins():
    return _pins(d for d in PROJECT["dependencies"] if "darwin" not in d)


def _extra_pins(extra: str):
    return _pins(PROJECT["optional-dependencies"][extra])


def _conda_pins():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    return _pins([re.sub(r"^\s*-\s*", "", line) for line in lines])


def test_every_dependency_is_pinned():
    declared = PROJECT["dependencies"] + [
        d for deps in PROJECT["optional-dependencies"].values() for d in deps
        if not d.startswith("mlsd[")]
    loose = [d for d in declared if "==" not in d]
    assert not loose, f"unpinned dependencies: {loose}"


def test_conda_and_pip_pin_the_same_packages():
    assert _conda_pins() == _runtime_pins()


def test_required_packages_are_there_with_the_cpu_xgboost():
    names = {n.removesuffix("-cpu") for n in _runtime_pins()}
    assert REQUIRED <= names
    assert "xgboost-cpu" in _runtime_pins(), "the CPU-only xgboost build avoids ~700 MB of CUDA"


def test_a_learner_gets_no_test_tools():
    runtime = set(_runtime_pins())
    for tool in ("pytest", "playwright", "ruff", "pyyaml"):
        assert tool not in runtime, f"{tool} is a test tool, not a course dependency"


@pytest.mark.parametrize(("lock", "extras"), [("lab.txt", ()), ("test.txt", ("test",))])
def test_the_lock_holds_every_pin_and_every_package_with_hashes(lock, extras):
    text = (ROOT / "requirements" / lock).read_text()
    locked = _pins(text.splitlines())
    wanted = _runtime_pins() | {k: v for e in extras for k, v in _extra_pins(e).items()}
    stale = {name: (version, locked.get(name)) for name, version in wanted.items()
             if locked.get(name) != version}
    assert not stale, f"requirements/{lock} is out of date with pyproject.toml: {stale}; " \
        "run `make lock`"
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [e.split()[0] for e in entries if e.strip() and "--hash=sha256:" not in e]
    assert not unhashed, f"entries without a hash in requirements/{lock}: {unhashed}"
    assert len(locked) > 3 * len(wanted), "the lock holds the whole environment, not the pins"
    if not extras:
        assert not {"pytest", "playwright", "ruff"} & set(locked)


def _imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _notebook_code(path) -> str:
    cells = json.loads(path.read_text())["cells"]
    lines = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return "\n".join(line for line in "\n".join(lines).splitlines()
                     if not line.lstrip().startswith(("%", "!")))


def _undeclared(sources, declared: set[str]) -> dict[str, list[str]]:
    local = {"mlsd"} | {p.stem for p in (ROOT / "tests").glob("*.py")}  # the suite's own
    to_dist = importlib.metadata.packages_distributions()
    missing = {}
    for path, source in sources:
        for module in sorted(_imports(source) - set(sys.stdlib_module_names) - local):
            dists = {_norm(d) for d in to_dist.get(module, [module])}
            dists = {d.removesuffix("-cpu") for d in dists}
            if not dists & declared:
                missing.setdefault(module, []).append(path.relative_to(ROOT).as_posix())
    return missing


def _declared(*extras) -> set[str]:
    names = set(_runtime_pins()) | {e for x in extras for e in _extra_pins(x)}
    return {n.removesuffix("-cpu") for n in names}


def test_the_package_and_the_notebooks_import_only_declared_packages():
    sources = [(p, p.read_text()) for p in (ROOT / "src").rglob("*.py")]
    sources += [(p, _notebook_code(p)) for p in (ROOT / "solutions").rglob("*.ipynb")
                if ".ipynb_checkpoints" not in p.parts]
    missing = _undeclared(sources, _declared())
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"


def test_the_tests_and_benchmarks_import_only_declared_packages():
    sources = [(p, p.read_text()) for folder in ("tests", "benchmarks")
               for p in (ROOT / folder).rglob("*.py")]
    missing = _undeclared(sources, _declared("test"))
    assert not missing, f"imported but not declared for the tests: {missing}"
